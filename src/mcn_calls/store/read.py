"""Reading many calls fast: straight through the driver's cursor.

Reports and exports read up to millions of rows in date order; going through
the driver (a server-side cursor on PostgreSQL, whose session time zone is set
to the PBX's) keeps that to seconds. Dates come back as SQLite's text or
PostgreSQL's aware datetimes; the callers turn them into what they need.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import select

from .database import Database
from .schema import sync_state


def stream_calls(
    db: Database,
    columns: Sequence[str],
    first: date,
    last: date,
    tz: tzinfo,
    vpbx_ids: Sequence[int] = (),
    account_id: int | None = None,
) -> Iterator[tuple[Any, ...]]:
    """``columns`` of the calls of ``[first, last]`` (whole local days), in date order."""
    start = datetime.combine(first, time(0), tz)
    stop = datetime.combine(last + timedelta(days=1), time(0), tz)
    sqlite = db.dialect == "sqlite"
    mark = "?" if sqlite else "%s"
    where = [f"date >= {mark}", f"date < {mark}"]
    params: list[Any] = [start.isoformat(" "), stop.isoformat(" ")] if sqlite else [start, stop]
    if vpbx_ids:
        where.append(f"vpbx_id IN ({', '.join([mark] * len(vpbx_ids))})")
        params += list(vpbx_ids)
    if account_id is not None:
        where.append(f"account_id = {mark}")
        params.append(account_id)
    sql = (
        f"SELECT {', '.join(columns)} FROM calls WHERE {' AND '.join(where)} "
        "ORDER BY date, vpbx_id, callid"
    )
    with db.begin() as conn:
        driver: Any = conn.connection.driver_connection
        if sqlite:
            cursor = driver.cursor()
        else:
            driver.execute("SELECT set_config('TimeZone', %s, true)", (str(tz),))
            cursor = driver.cursor(name="mcn_calls_read")
            cursor.itersize = 10_000
        cursor.execute(sql, params)
        try:
            yield from cursor
        finally:
            cursor.close()


def synced_zones(db: Database) -> set[str]:
    """The PBX time zones the stored calls were synced in."""
    with db.begin() as conn:
        return set(conn.execute(select(sync_state.c.tz).distinct()).scalars())
