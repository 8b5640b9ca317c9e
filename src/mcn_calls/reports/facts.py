"""The few facts of a call that reports need, and reading them fast from the database.

Reading is the hot path of a report (a million calls should take seconds), so it
goes straight through the driver's cursor (a server-side one on PostgreSQL),
with the session's time zone set to the PBX's there; SQLite already holds PBX
local time. Dates are converted only when the data was synced in another zone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import select

from ..store import Database, sync_state
from .numbers import number_key


class CallFacts(NamedTuple):
    """One call as reports see it; ``when`` is in PBX local time."""

    vpbx_id: int
    callid: str
    when: datetime
    type: str | None
    status: str | None
    waittime: int
    talktime: int
    src: str | None
    dst: str | None
    dst_name: str | None
    did: str | None


_COLUMNS = (
    "vpbx_id, callid, date, type, status, waittime, talktime, src_num, dst_num, dst_name, did"
)


def load(
    db: Database,
    first: date,
    last: date,
    tz: tzinfo,
    vpbx_ids: Sequence[int] = (),
    account_id: int | None = None,
) -> Iterator[CallFacts]:
    """The calls of ``[first, last]`` (whole local days), in time order."""
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
    sql = f"SELECT {_COLUMNS} FROM calls WHERE {' AND '.join(where)} ORDER BY date, vpbx_id, callid"
    with db.begin() as conn:
        zones = set(conn.execute(select(sync_state.c.tz).distinct()).scalars())
        convert = bool(zones - {str(tz)})  # synced in another zone than the report's
        driver = conn.connection.driver_connection
        if sqlite:
            cursor: Any = driver.cursor()  # type: ignore[union-attr]
        else:
            driver.execute("SELECT set_config('TimeZone', %s, true)", (str(tz),))  # type: ignore[union-attr]
            cursor = driver.cursor(name="mcn_report")  # type: ignore[union-attr]
            cursor.itersize = 10_000
        cursor.execute(sql, params)
        parse = datetime.fromisoformat
        for vpbx, callid, when, kind, status, wait, talk, src, dst, name, did in cursor:
            if sqlite:
                when = parse(when)
            if convert:
                when = when.astimezone(tz)
            yield CallFacts(
                vpbx,
                callid,
                when,
                kind,
                status,
                wait or 0,
                talk or 0,
                number_key(src),
                number_key(dst),
                name,
                did,
            )
        cursor.close()
