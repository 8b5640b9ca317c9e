"""The few facts of a call that reports need, and reading them from the database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import select

from ..store import Database, calls
from .numbers import number_key


@dataclass(frozen=True, slots=True)
class CallFacts:
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
    c = calls.c
    query = (
        select(
            c.vpbx_id,
            c.callid,
            c.date,
            c.type,
            c.status,
            c.waittime,
            c.talktime,
            c.src_num,
            c.dst_num,
            c.dst_name,
            c.did,
        )
        .where(c.date >= start, c.date < stop)
        .order_by(c.date, c.vpbx_id, c.callid)
    )
    if vpbx_ids:
        query = query.where(c.vpbx_id.in_(list(vpbx_ids)))
    if account_id is not None:
        query = query.where(c.account_id == account_id)
    with db.begin() as conn:
        for row in conn.execute(query.execution_options(yield_per=5000)):
            yield CallFacts(
                vpbx_id=row.vpbx_id,
                callid=row.callid,
                when=row.date.astimezone(tz),
                type=row.type,
                status=row.status,
                waittime=row.waittime or 0,
                talktime=row.talktime or 0,
                src=number_key(row.src_num),
                dst=number_key(row.dst_num),
                dst_name=row.dst_name,
                did=row.did,
            )
