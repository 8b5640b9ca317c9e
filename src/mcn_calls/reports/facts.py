"""The few facts of a call that reports need, and reading them fast from the database.

Reading is the hot path of a report (a million calls should take seconds): see
:func:`~mcn_calls.store.read.stream_calls`. SQLite already holds PBX local time
and PostgreSQL answers in it; dates are converted only when the data was synced
in another zone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, tzinfo
from typing import NamedTuple

from ..store import Database
from ..store.read import stream_calls, synced_zones
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
    #: The queue the caller waited in, read only for ``--by queue`` (see :data:`QUEUE`).
    queue: str | None = None


_COLUMNS = (
    "vpbx_id",
    "callid",
    "date",
    "type",
    "status",
    "waittime",
    "talktime",
    "src_num",
    "dst_num",
    "dst_name",
    "did",
)

#: The queue of a call: its destination when no operator answered (``dst_type``
#: ``queue``); for an answered call only its ``events[]`` name it, so the first
#: ``queue`` event of a ``sync --detailed`` is read. NULL: in no queue; ``""``:
#: not known, the call was synced without its events.
QUEUE = (
    "CASE WHEN dst_type = 'queue' THEN dst_name WHEN NOT has_events THEN '' ELSE ("
    "SELECT e.event_dst_name FROM events e WHERE e.account_id = calls.account_id"
    " AND e.vpbx_id = calls.vpbx_id AND e.callid = calls.callid"
    " AND lower(e.event_type) = 'queue' ORDER BY e.seq LIMIT 1) END"
)


def load(
    db: Database,
    first: date,
    last: date,
    tz: tzinfo,
    vpbx_ids: Sequence[int] = (),
    account_id: int | None = None,
    queue: bool = False,
) -> Iterator[CallFacts]:
    """The calls of ``[first, last]`` (whole local days), in time order; with
    ``queue``, each call's queue too."""
    convert = bool(synced_zones(db) - {str(tz)})  # synced in another zone than the report's
    parse = datetime.fromisoformat
    columns = (*_COLUMNS, QUEUE if queue else "NULL")
    rows = stream_calls(db, columns, first, last, tz, vpbx_ids, account_id)
    for vpbx, callid, when, kind, status, wait, talk, src, dst, name, did, in_queue in rows:
        if isinstance(when, str):
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
            in_queue,
        )
