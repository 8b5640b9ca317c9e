"""The two floors of a sync, on the same data: fetch + decode alone (no database),
and the insert of prepared rows alone (no network).

    python -m benchmarks.floors fetch DATE_FROM DATE_TO [--profile]      (MCN_* in the environment)
    python -m benchmarks.floors insert DB DATE_FROM DATE_TO [--profile]  (same, rows fetched first)

The insert floor is split in its two steps: staging (binding the values into a
scratch database file: Python work, on the fetching thread in a sync) and writing
(``Writer.write_window``: SQLite's own work, which releases the GIL).
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import sys
import time
from datetime import UTC, date, datetime

from mcn_calls.client import Client
from mcn_calls.store import Database, Writer
from mcn_calls.sync import row_decoder


def fetched_rows(client: Client, first: date, last: date) -> dict[int, list[tuple[object, ...]]]:
    """Rows of each PBX, ready to write."""
    rows = {}
    for pbx in client.vpbx.list():
        decode = row_decoder(client.settings.account_id, pbx.vpbx_id)
        rows[pbx.vpbx_id] = [row for row, _ in client.calls.pages(pbx.vpbx_id, first, last, decode)]
    return rows


def main(kind: str, *args: str) -> None:
    """Prints ``calls seconds`` (insert: ``calls seconds staging writing``); with
    ``--profile``, where the time goes on stderr."""
    gc.set_threshold(50_000, 20, 20)  # as the CLI sets it (mcn_calls.cli.main)
    profile = cProfile.Profile() if "--profile" in args else None
    args = tuple(a for a in args if a != "--profile")
    if kind == "fetch":
        first, last = date.fromisoformat(args[0]), date.fromisoformat(args[1])
        with Client() as client:
            started = time.perf_counter()
            if profile:
                profile.enable()
            rows = fetched_rows(client, first, last)
            if profile:
                profile.disable()
            seconds = time.perf_counter() - started
        total = sum(len(r) for r in rows.values())
        print(f"{total} {seconds:.3f}")
    else:
        url, first, last = args[0], date.fromisoformat(args[1]), date.fromisoformat(args[2])
        with Client() as client:
            rows = fetched_rows(client, first, last)
            account = client.settings.account_id
        now = datetime.now(UTC).isoformat(" ")
        staging = writing = 0.0
        with Database(url) as db:
            writer = Writer(db.dialect)
            if profile:
                profile.enable()
            for vpbx, pbx_rows in rows.items():
                for i in range(0, len(pbx_rows), 20_000):  # about a day's window at a time
                    started = time.perf_counter()
                    stager = writer.stager()
                    for j in range(i, min(i + 20_000, len(pbx_rows)), 2000):  # page by page
                        stager.add(pbx_rows[j : min(j + 2000, i + 20_000)], [])
                    staged = stager.done()
                    staged_at = time.perf_counter()
                    with db.connect() as conn, writer.loaded(conn, staged), conn.begin():
                        writer.write_window(
                            conn, account, vpbx, staged, detailed=False, seen_at=now
                        )
                    staging += staged_at - started
                    writing += time.perf_counter() - staged_at
            if profile:
                profile.disable()
        total = sum(len(r) for r in rows.values())
        print(f"{total} {staging + writing:.3f} {staging:.3f} {writing:.3f}")
    if profile:
        stats = pstats.Stats(profile, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(10)


if __name__ == "__main__":
    main(*sys.argv[1:])
