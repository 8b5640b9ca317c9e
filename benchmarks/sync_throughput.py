"""Sync throughput from the local emulator into SQLite, side by side with the
baseline users write today (baseline_sync.py), on the same emulator and data at
~100k and ~1M calls (with the peak memory of each), three runs each in turn;
then the two floors and PostgreSQL's bulk path.

    .venv/bin/pip install -e '.[bench]'   # the baseline uses requests
    .venv/bin/python -m benchmarks.sync_throughput [--profile]

The emulator runs in its own process and serves pages it rendered once: a first
fetch of the range (not timed) fills its page cache, so neither contender pays
for the emulator's SQL. Its CPU time during each run is printed to show that.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import uuid
from pathlib import Path

from .common import FIRST, LAST, OUT, api_env, emulator, mcn_calls, timed

SHORT = ("2026-11-23", "2026-11-25")  # 3 weekdays x 2 PBXs: ~134k calls
PG = "postgresql+psycopg://root@127.0.0.1:5432/test"


def fresh(path: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def count(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text("SELECT count(*) FROM calls")).scalar() or 0)
    engine.dispose()
    return n


def pg_schema() -> tuple[str, str]:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("host=127.0.0.1 user=root dbname=test", autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {schema}")
    return schema, f"{PG}?options=-csearch_path%3D{schema}"


def drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=root dbname=test", autocommit=True) as c:
        c.execute(f"DROP SCHEMA {schema} CASCADE")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def side_by_side(env: dict[str, str], emu_pid: int, first: str, last: str, runs: int = 3) -> float:
    """The baseline and ``mcn-calls sync`` on the same range, ``runs`` times in turn
    (this machine's speed drifts by 20% within minutes); prints every run and the
    medians, and returns the ratio of the medians."""
    contenders = (
        (
            "baseline (requests+json+sqlite3 row by row)",
            [
                sys.executable,
                "-m",
                "benchmarks.baseline_sync",
                str(OUT / "baseline.db"),
                first,
                last,
            ],
            OUT / "baseline.db",
        ),
        (
            "mcn-calls sync -> SQLite",
            [*mcn_calls(), "sync", "--db", str(OUT / "sync.db"), "--from", first, "--to", last],
            OUT / "sync.db",
        ),
    )
    seconds: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
    rss: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
    calls = 0
    for _ in range(runs):
        for name, command, path in contenders:
            fresh(path)
            cpu0 = cpu_seconds(emu_pid)
            m = timed(command, env)
            if m.returncode:
                raise SystemExit(f"{name} failed:\n{m.stderr[-3000:]}")
            calls = count(f"sqlite:///{path}")
            seconds[name].append(m.seconds)
            rss[name].append(m.peak_rss_mb)
            print(
                f"{name:46} {calls:>9,} calls {m.seconds:6.2f} s {calls / m.seconds:>7,.0f} "
                f"calls/s peak RSS {m.peak_rss_mb:4.0f} MB "
                f"(emulator CPU {cpu_seconds(emu_pid) - cpu0:.1f} s)"
            )
    rates = []
    for name, _, _ in contenders:
        median = statistics.median(seconds[name])
        rates.append(calls / median)
        print(
            f"{'median: ' + name:54} {median:6.2f} s {calls / median:>7,.0f} calls/s "
            f"peak RSS {max(rss[name]):4.0f} MB (the highest)"
        )
    baseline, ours = rates
    print(f"{'ratio of the medians':46} {ours / baseline:.2f}x the baseline (target 1.5x)\n")
    return ours / baseline


def floor(kind: str, env: dict[str, str], *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.floors", kind, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    if "--profile" in args:
        print(done.stderr)
    return done.stdout.split()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with emulator("--cache-mb", "1024") as base:  # every page of the month stays rendered
        env = api_env(base)
        emu_pid = int(
            subprocess.check_output(["pgrep", "-f", "--newest", "emulator serve"]).split()[0]
        )
        floor("fetch", env, FIRST, LAST)  # warm-up: the emulator renders every page once
        for first, last in (SHORT, (FIRST, LAST)):
            print(f"Same emulator, same data: {first} .. {last}, 2 PBXs")
            side_by_side(env, emu_pid, first, last)

        first, last = SHORT
        n, s = floor("fetch", env, first, last)
        print(
            f"{'floor: fetch + decode to rows, no database':46} {int(n):>9,} calls "
            f"{float(s):6.2f} s {int(n) / float(s):>7,.0f} calls/s"
        )
        n, s, staging, writing = floor("insert", env, fresh(OUT / "floor.db"), first, last)
        print(
            f"{'floor: insert of prepared rows, no network':46} {int(n):>9,} calls "
            f"{float(s):6.2f} s {int(n) / float(s):>7,.0f} calls/s "
            f"(staging {float(staging):.2f} s + writing {float(writing):.2f} s)"
        )

        schema, pg = pg_schema()
        try:
            m = timed([*mcn_calls(), "sync", "--db", pg, "--from", first, "--to", last], env)
            n = count(pg)
            print(
                f"{'mcn-calls sync -> PostgreSQL (COPY)':46} {int(n):>9,} calls "
                f"{m.seconds:6.2f} s {int(n) / m.seconds:>7,.0f} calls/s"
            )
        finally:
            drop_schema(schema)

        if "--profile" in sys.argv:
            print("\nwhere the time goes: fetch + decode (the fetching thread's share)")
            floor("fetch", env, first, last, "--profile")
            print("where the time goes: staging + writing")
            floor("insert", env, fresh(OUT / "floor.db"), first, last, "--profile")


if __name__ == "__main__":
    main()
