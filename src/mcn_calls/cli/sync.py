"""``mcn-calls sync`` (the main job) and ``mcn-calls demo`` (the same on the emulator)."""

from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .context import DB_OPTION, Progress, State, date_range

if TYPE_CHECKING:
    from ..client import Client
    from ..store import Database
    from ..sync import PbxResult

DEMO_DB = "mcn-calls-demo.db"


def _run_sync(
    client: Client,
    db: Database,
    vpbx: list[int],
    date_from: str | None,
    date_to: str | None,
    lookback_days: int,
    detailed: bool,
    initial_days: int = 30,
) -> list[PbxResult]:
    from ..sync import Syncer, raise_failures

    start = stop = None
    if date_from:
        start, stop = date_range(date_from, date_to)
    elif date_to:
        stop = date_range(date_to, date_to)[0]
    with Progress() as progress:
        tasks: dict[int, Any] = {}

        def on_window(vpbx_id: int, window: Any, result: PbxResult) -> None:
            progress.update(tasks.get(vpbx_id), advance=1, calls=result.calls)

        syncer = Syncer(
            client,
            db,
            detailed=detailed,
            lookback_days=lookback_days,
            initial_days=initial_days,
            on_window=on_window,
        )
        ids = vpbx or [p.vpbx_id for p in client.vpbx.list()]
        plans = [syncer.plan(vpbx_id, start, stop) for vpbx_id in ids]
        for plan in plans:
            tasks[plan.vpbx_id] = progress.task(f"vpbx {plan.vpbx_id}", len(syncer.windows(plan)))
        results = []
        for result in syncer.sync(plans):
            print(result.summary(), flush=True)
            results.append(result)
    raise_failures(results)
    return results


def sync(
    ctx: typer.Context,
    date_from: str | None = typer.Option(
        None, "--from", help="Backfill from this day (default: on from the last sync)."
    ),
    date_to: str | None = typer.Option(None, "--to", help="Last day, inclusive (default: today)."),
    vpbx: list[int] = typer.Option([], "--vpbx", help="PBX id; repeat for several (default: all)."),
    db: str | None = DB_OPTION,
    lookback_days: int = typer.Option(
        2, "--lookback-days", min=0, help="Days re-read before where the last sync stopped."
    ),
    initial_days: int = typer.Option(
        30, "--initial-days", min=0, help="Days the first sync of a PBX reaches back."
    ),
    detailed: bool = typer.Option(False, "--detailed", help="Also store events[] of each call."),
) -> None:
    """Sync calls into a database: every call exactly once, changed calls updated.

    Run it every few minutes or every night. Without --from it goes on from where
    the last sync of each PBX stopped, minus --lookback-days.
    """
    from ..store import Database

    state: State = ctx.obj
    with state.client() as client, Database(state.setting("db", db)) as database:
        print(f"Syncing account {client.settings.account_id} into {database.shown}", flush=True)
        _run_sync(client, database, vpbx, date_from, date_to, lookback_days, detailed, initial_days)


def demo(
    db: Path = typer.Option(Path(DEMO_DB), "--db", help="The SQLite file to sync into."),
    days: int = typer.Option(30, min=1, max=366, help="Days of history to sync."),
    calls_per_day: int = typer.Option(200, min=1, max=20_000, help="Calls per PBX on a weekday."),
) -> None:
    """The main job on the embedded default: the built-in emulator plus SQLite.

    Starts the emulator on a free local port, syncs the last DAYS days of two
    PBXs (with their events) into DB, and says what it did. No account, token or network needed;
    running it again is safe (it then changes nothing).
    """
    from ..client import Client
    from ..emulator import EmulatorConfig, running
    from ..store import Database

    started = time.perf_counter()
    account = 100001
    config = EmulatorConfig(
        accounts={account: secrets.token_urlsafe(16)},
        vpbx=2,
        days=days,
        calls_per_day=calls_per_day,
        seed=1,
    )
    print(
        f"Starting the built-in MCN emulator ({days} days, 2 PBXs, ~{calls_per_day} calls a "
        "weekday each) ...",
        flush=True,
    )
    with running(config) as live:
        date_from = (live.emulator.today - timedelta(days=days)).isoformat()
        date_to = live.emulator.today.isoformat()
        print(
            f"Emulator at {live.base_url}; syncing {date_from} .. {date_to} into {db}", flush=True
        )
        with (
            Client(
                base_url=live.base_url, token=config.accounts[account], account_id=account
            ) as client,
            Database(str(db)) as database,
        ):
            # With events, so that every report works on the demo (--by queue needs them).
            results = _run_sync(client, database, [], date_from, date_to, 2, True)
            totals = _totals(database)
    total = sum(r.calls for r in results)
    print(
        f"Done in {time.perf_counter() - started:.1f} s: {total} calls of {len(results)} PBXs "
        f"are in {os.path.abspath(db)} (table calls)."
    )
    print("Statuses: " + ", ".join(f"{status} {n}" for status, n in totals))
    print(
        f'Look inside: sqlite3 {db} "SELECT date, type, status, src_num, dst_name FROM calls '
        'ORDER BY date DESC LIMIT 10"'
    )
    print(f"Reports: mcn-calls report --db {db} --by queue; mcn-calls missed --db {db}")
    print(
        "Run it again: nothing is duplicated. Against MCN: set MCN_API_TOKEN and "
        "MCN_ACCOUNT_ID, then 'mcn-calls sync'."
    )


def _totals(database: Database) -> list[tuple[str, int]]:
    from sqlalchemy import func, select

    from ..store import calls

    with database.begin() as conn:
        query = select(calls.c.status, func.count()).group_by(calls.c.status)
        return sorted(((str(s), int(n)) for s, n in conn.execute(query)), key=lambda x: -x[1])


__all__ = ["demo", "sync"]
