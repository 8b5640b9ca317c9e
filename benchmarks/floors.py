"""The two floors of a sync, on the same data: fetch + decode alone (no database),
and the insert of prepared rows alone (no network).

    python -m benchmarks.floors fetch DATE_FROM DATE_TO        (MCN_* in the environment)
    python -m benchmarks.floors insert DB DATE_FROM DATE_TO    (same, rows fetched first)
"""

from __future__ import annotations

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
    if kind == "fetch":
        first, last = date.fromisoformat(args[0]), date.fromisoformat(args[1])
        with Client() as client:
            started = time.perf_counter()
            rows = fetched_rows(client, first, last)
            seconds = time.perf_counter() - started
        total = sum(len(r) for r in rows.values())
    else:
        url, first, last = args[0], date.fromisoformat(args[1]), date.fromisoformat(args[2])
        with Client() as client:
            rows = fetched_rows(client, first, last)
            account = client.settings.account_id
        now = datetime.now(UTC).isoformat(" ")
        with Database(url) as db:
            writer = Writer(db.dialect)
            started = time.perf_counter()
            for vpbx, pbx_rows in rows.items():
                for i in range(0, len(pbx_rows), 20_000):  # about a day's window at a time
                    stager = writer.stager()
                    stager.add(pbx_rows[i : i + 20_000], [])
                    staged = stager.done()
                    with db.begin() as conn:
                        writer.write_window(
                            conn, account, vpbx, staged, detailed=False, seen_at=now
                        )
            seconds = time.perf_counter() - started
        total = sum(len(r) for r in rows.values())
    print(f"{total} {seconds:.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
