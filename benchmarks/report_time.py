"""Time of ``mcn-calls report`` over ~1M synced calls (SQLite, and PostgreSQL when
asked), with peak memory.

    .venv/bin/python -m benchmarks.report_time [DB_URL]

Without a URL it uses benchmarks/out/sync.db, which benchmarks.sync_throughput
leaves holding the 1,017,435 calls of the 1M dataset.
"""

from __future__ import annotations

import sys

from .common import FIRST, LAST, OUT, mcn_calls, timed


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{OUT / 'sync.db'}"
    print(f"report over {url} ({FIRST} .. {LAST})")
    for by in (None, "day", "operator"):
        args = ["report", "--db", url, "--from", FIRST, "--to", LAST, "--format", "json"]
        if by:
            args += ["--by", by]
        m = timed([*mcn_calls(), *args])
        if m.returncode:
            raise SystemExit(m.stderr[-2000:])
        label = f"--by {by}" if by else "totals"
        print(f"  {label:14} {m.seconds:6.1f} s  peak RSS {m.peak_rss_mb:.0f} MB")
    m = timed(
        [*mcn_calls(), "missed", "--db", url, "--from", FIRST, "--to", LAST, "--format", "json"]
    )
    print(f"  {'missed':14} {m.seconds:6.1f} s  peak RSS {m.peak_rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
