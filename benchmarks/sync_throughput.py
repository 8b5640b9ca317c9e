"""Sync throughput from the local emulator into SQLite, side by side with the
baseline users write today (baseline_sync.py), on the same emulator and data;
then the two floors, PostgreSQL's bulk path, and peak memory at ~100k and ~1M calls.

    .venv/bin/pip install -e '.[bench]'   # the baseline uses requests
    .venv/bin/python -m benchmarks.sync_throughput [--profile]

The emulator runs in its own process and serves pages it rendered once: a first
fetch of the range (not timed) fills its page cache, so neither contender pays
for the emulator's SQL. Its CPU time during each run is printed to show that.
"""

from __future__ import annotations

import cProfile
import os
import pstats
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


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with emulator() as base:
        env = api_env(base)
        emu_pid = int(
            subprocess.check_output(["pgrep", "-f", "--newest", "emulator serve"]).split()[0]
        )
        first, last = SHORT
        subprocess.run(
            [sys.executable, "-m", "benchmarks.floors", "fetch", first, last],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )  # warm-up
        print(f"Same emulator, same data: {first} .. {last}, 2 PBXs\n")
        rates = {}
        for name, command, url in (
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
                None,
            ),
            (
                "mcn-calls sync -> SQLite",
                [
                    *mcn_calls(),
                    "sync",
                    "--db",
                    fresh(OUT / "sync.db"),
                    "--from",
                    first,
                    "--to",
                    last,
                ],
                f"sqlite:///{OUT / 'sync.db'}",
            ),
        ):
            if url is None:
                fresh(OUT / "baseline.db")
            cpu0 = cpu_seconds(emu_pid)
            m = timed(command, env)
            if m.returncode:
                raise SystemExit(f"{name} failed:\n{m.stderr[-3000:]}")
            n = count(url or f"sqlite:///{OUT / 'baseline.db'}")
            rates[name] = n / m.seconds
            print(
                f"{name:46} {n:>8,} calls {m.seconds:6.2f} s {rates[name]:>9,.0f} calls/s "
                f"(emulator CPU {cpu_seconds(emu_pid) - cpu0:.1f} s)"
            )
        ours, baseline = rates["mcn-calls sync -> SQLite"], rates[next(iter(rates))]
        print(f"\nratio: {ours / baseline:.2f}x the baseline (target 1.5x)\n")

        fetch = subprocess.run(
            [sys.executable, "-m", "benchmarks.floors", "fetch", first, last],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=True,
        )
        n, s = fetch.stdout.split()
        print(
            f"{'floor: fetch + decode to rows, no database':46} {int(n):>8,} calls "
            f"{float(s):6.2f} s "
            f"{int(n) / float(s):>9,.0f} calls/s"
        )
        insert = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.floors",
                "insert",
                fresh(OUT / "floor.db"),
                first,
                last,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=True,
        )
        n, s = insert.stdout.split()
        print(
            f"{'floor: insert prepared rows, no network':46} {int(n):>8,} calls {float(s):6.2f} s "
            f"{int(n) / float(s):>9,.0f} calls/s"
        )

        schema, pg = pg_schema()
        try:
            m = timed([*mcn_calls(), "sync", "--db", pg, "--from", first, "--to", last], env)
            n = count(pg)
            print(
                f"{'mcn-calls sync -> PostgreSQL (COPY)':46} {n:>8,} calls {m.seconds:6.2f} s "
                f"{n / m.seconds:>9,.0f} calls/s"
            )
        finally:
            drop_schema(schema)

        print("\npeak memory of a sync (/usr/bin/time -v):")
        for label, (a, b) in (("~100k calls", SHORT), ("~1M calls", (FIRST, LAST))):
            m = timed(
                [*mcn_calls(), "sync", "--db", fresh(OUT / "rss.db"), "--from", a, "--to", b], env
            )
            n = count(f"sqlite:///{OUT / 'rss.db'}")
            print(
                f"  {label:12} {n:>9,} calls {m.seconds:6.1f} s {n / m.seconds:>9,.0f} calls/s "
                f"peak RSS {m.peak_rss_mb:.0f} MB"
            )

        if "--profile" in sys.argv:
            os.environ.update(env)
            from mcn_calls.cli import app

            url = fresh(OUT / "profile.db")
            cProfile.runctx(
                "app(['sync', '--db', url, '--from', first, '--to', last], standalone_mode=False)",
                globals(),
                {"app": app, "url": url, "first": first, "last": last},
                str(OUT / "sync.prof"),
            )
            print("\nwhere the time goes (the calling thread; fetching runs on another):")
            pstats.Stats(str(OUT / "sync.prof")).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
