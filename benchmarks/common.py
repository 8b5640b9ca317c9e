"""Shared pieces of the benchmarks: a cached large emulator dataset, an emulator in
its own process (so its cost sits on the other core), and /usr/bin/time -v."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
TOKEN = "bench-token"
ACCOUNT = 100001
TODAY = "2026-11-26"
#: 30 days x 2 PBXs x 21,000 calls on a weekday: 1,017,435 calls.
BIG = ["--days", "30", "--calls-per-day", "21000", "--vpbx", "2", "--seed", "1"]
FIRST, LAST = "2026-10-27", "2026-11-25"


def mcn_calls() -> list[str]:
    return [sys.executable, "-m", "mcn_calls"]


@contextmanager
def emulator(*args: str, data: Path | None = None) -> Iterator[str]:
    """Serve the dataset in a separate process; yields the base URL."""
    OUT.mkdir(parents=True, exist_ok=True)
    data = data or OUT / "emulator-1m.db"
    command = [
        *mcn_calls(),
        "emulator",
        "serve",
        "--port",
        "0",
        "--account",
        str(ACCOUNT),
        "--token",
        TOKEN,
        "--today",
        TODAY,
        "--data",
        str(data),
        *BIG,
        *args,
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"(http://\S+/v2/rest)", line)
        if not match:
            raise RuntimeError(f"the emulator did not start: {line!r}")
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(30)


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stderr: str


def timed(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run under /usr/bin/time -v: wall time and peak resident memory."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr)
    seconds = 0.0
    if wall:
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
    return Measured(
        seconds, int(rss.group(1)) / 1024 if rss else float("nan"), done.returncode, done.stderr
    )


def api_env(base_url: str) -> dict[str, str]:
    return {"MCN_API_URL": base_url, "MCN_API_TOKEN": TOKEN, "MCN_ACCOUNT_ID": str(ACCOUNT)}
