"""Peak memory of ``mcn-calls calls fetch`` to JSON Lines, at ~100k and ~1M calls,
side by side with the naive baseline (naive_fetch.py) on the same emulator data.

    .venv/bin/python -m benchmarks.fetch_memory

The first run generates the 1M-call dataset (about a minute) into benchmarks/out/.
"""

from __future__ import annotations

import sys

from .common import FIRST, LAST, OUT, api_env, emulator, mcn_calls, timed

RANGES = {
    "~100k calls (3 days)": ("2026-11-23", "2026-11-25"),
    "~1M calls (30 days)": (FIRST, LAST),
}


def count_lines(path: str) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main() -> None:
    with emulator() as base:
        env = api_env(base)
        print(
            f"{'range':24} {'tool':10} {'calls':>9} {'seconds':>8} {'calls/s':>9} {'peak RSS':>9}"
        )
        for label, (first, last) in RANGES.items():
            out = str(OUT / "fetch.jsonl")
            ours = [
                *mcn_calls(),
                "calls",
                "fetch",
                "--from",
                first,
                "--to",
                last,
                "--format",
                "jsonl",
                "-o",
                out,
            ]
            naive = [sys.executable, "-m", "benchmarks.naive_fetch", first, last, out]
            for tool, command in (("mcn-calls", ours), ("naive", naive)):
                m = timed(command, env)
                if m.returncode:
                    raise SystemExit(f"{tool} failed:\n{m.stderr[-2000:]}")
                n = count_lines(out)
                print(
                    f"{label:24} {tool:10} {n:>9,} {m.seconds:>8.1f} {n / m.seconds:>9,.0f} "
                    f"{m.peak_rss_mb:>7.0f}MB",
                    flush=True,
                )


if __name__ == "__main__":
    main()
