"""The database schema: one SQLAlchemy Core definition for SQLite and PostgreSQL.

``calls`` carries the spec's field names with proper types, the account and PBX
it belongs to (primary key ``(account_id, vpbx_id, callid)``), the raw record
as received (without ``events``, which have their own table), a hash of it for
change detection, and when the call was first seen and last changed.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from .types import AwareDateTime, Json, RawJson

metadata = MetaData()

#: One row per call (``callid``) of a PBX of an account.
calls = Table(
    "calls",
    metadata,
    Column("account_id", BigInteger, nullable=False),
    Column("vpbx_id", BigInteger, nullable=False),
    Column("callid", String(64), nullable=False),
    Column("date", AwareDateTime, nullable=False),
    Column("type", String(32)),
    Column("src_num", String(64)),
    Column("src_name", Text),
    Column("src_type", String(32)),
    Column("dst_num", String(64)),
    Column("dst_name", Text),
    Column("dst_type", String(32)),
    Column("did", String(32)),
    Column("waittime", Integer),
    Column("talktime", Integer),
    Column("billsec", Integer),
    Column("status", String(32)),
    Column("has_record", Boolean, nullable=False),
    Column("hangup_reason", String(64)),
    Column("answer_date", AwareDateTime),
    Column("end_date", AwareDateTime),
    Column("did_num", String(32)),
    Column("events_count", Integer),
    Column("transfered_linked_to", Boolean),
    Column("raw", RawJson, nullable=False),
    Column("raw_hash", BigInteger, nullable=False),
    Column("has_events", Boolean, nullable=False),
    Column("first_seen_at", AwareDateTime, nullable=False),
    Column("last_changed_at", AwareDateTime, nullable=False),
    PrimaryKeyConstraint("account_id", "vpbx_id", "callid", name="calls_pkey"),
)
Index("calls_by_date", calls.c.account_id, calls.c.vpbx_id, calls.c.date)
Index("calls_date", calls.c.date)
Index("calls_src_num", calls.c.src_num)
Index("calls_dst_num", calls.c.dst_num)

#: ``events[]`` of a call (``sync --detailed``); ``seq`` is the position in the list.
events = Table(
    "events",
    metadata,
    Column("account_id", BigInteger, nullable=False),
    Column("vpbx_id", BigInteger, nullable=False),
    Column("callid", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("event_type", String(64)),
    Column("event_status", String(64)),
    Column("event_dst_num", String(64)),
    Column("event_dst_name", Text),
    Column("event_dst_type", String(32)),
    Column("event_did", String(32)),
    Column("event_transfered_from", String(64)),
    Column("event_start_time", AwareDateTime),
    Column("event_end_time", AwareDateTime),
    Column("event_answer_time", AwareDateTime),
    Column("event_talk_time", Integer),
    Column("event_wait_time", Integer),
    Column("event_total_time", Integer),
    Column("event_rec_filename", Text),
    Column("event_leg_link_uniqueid_orig", String(64)),
    Column("api_vars", Json),
    Column("additional_info", Json),
    Column("speechkit_dialog", Json),
    Column("raw", RawJson, nullable=False),
    PrimaryKeyConstraint("account_id", "vpbx_id", "callid", "seq", name="events_pkey"),
)

#: How far each PBX is synced: everything up to ``synced_until`` (PBX local time).
sync_state = Table(
    "sync_state",
    metadata,
    Column("account_id", BigInteger, nullable=False),
    Column("vpbx_id", BigInteger, nullable=False),
    Column("tz", String(64), nullable=False),
    Column("synced_from", AwareDateTime, nullable=False),
    Column("synced_until", AwareDateTime, nullable=False),
    Column("last_run_at", AwareDateTime, nullable=False),
    PrimaryKeyConstraint("account_id", "vpbx_id", name="sync_state_pkey"),
)

#: The schema version, one row per migration applied.
schema_version = Table(
    "mcn_schema",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", AwareDateTime, nullable=False),
)

#: Columns a sync writes to ``calls``, in order (all of them).
CALL_COLUMNS = tuple(c.name for c in calls.columns)
#: What a sync row holds per call (the other columns are the same for a whole window).
WINDOW_COLUMNS = ("account_id", "vpbx_id", "has_events", "first_seen_at", "last_changed_at")
ROW_COLUMNS = tuple(c for c in CALL_COLUMNS if c not in WINDOW_COLUMNS)
#: Columns a sync writes to ``events``, in order.
EVENT_COLUMNS = tuple(c.name for c in events.columns)
#: Data columns of ``calls`` (what an update of a changed call rewrites).
CALL_DATA_COLUMNS = tuple(
    c for c in CALL_COLUMNS if c not in ("account_id", "vpbx_id", "callid", "first_seen_at")
)
