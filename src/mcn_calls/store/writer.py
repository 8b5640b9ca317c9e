"""Writing a window of calls fast: the dialect-specific bulk paths.

Both engines load a window into a temporary table first (SQLite: an in-memory
table filled by ``executemany``; PostgreSQL: ``COPY``), then move it with one
``INSERT ... SELECT ... ON CONFLICT DO UPDATE``. On SQLite that matters: the
index and B-tree work runs inside one statement, which releases the GIL for all
of it, so the thread fetching the next pages runs meanwhile (row-by-row inserts
into the indexed table take the GIL back for every row). An update happens only
when the raw record's hash differs, and ``first_seen_at`` is never overwritten.
Statements are built from the one schema definition in :mod:`.schema`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .schema import (
    CALL_COLUMNS,
    CALL_DATA_COLUMNS,
    EVENT_COLUMNS,
    ROW_COLUMNS,
    WINDOW_COLUMNS,
    calls,
    events,
    sync_state,
)

_KEY = ("account_id", "vpbx_id", "callid")
_CHUNK = 500


def _names(columns: Iterable[str]) -> str:
    return ", ".join(columns)


def _move(mark: str, raw: str) -> str:
    """``INSERT INTO calls ... SELECT ... FROM calls_in``: the window's constants
    bound once, each call's columns from the staging table."""
    sets = ", ".join(f"{c} = excluded.{c}" for c in CALL_DATA_COLUMNS)
    values = {c: mark for c in WINDOW_COLUMNS} | {c: c for c in ROW_COLUMNS} | {"raw": raw}
    return (
        f"INSERT INTO calls ({_names(CALL_COLUMNS)}) "
        f"SELECT {_names(values[c] for c in CALL_COLUMNS)} FROM calls_in WHERE true "
        f"ON CONFLICT ({_names(_KEY)}) DO UPDATE SET {sets} "
        "WHERE calls.raw_hash IS DISTINCT FROM excluded.raw_hash"
    )


def _window_params(account: int, vpbx: int, has_events: bool, seen_at: str) -> tuple[Any, ...]:
    named = {
        "account_id": account,
        "vpbx_id": vpbx,
        "has_events": has_events,
        "first_seen_at": seen_at,
        "last_changed_at": seen_at,
    }
    return tuple(named[c] for c in CALL_COLUMNS if c in WINDOW_COLUMNS)


_SQLITE_STAGE_TABLE = (
    f"CREATE TEMP TABLE IF NOT EXISTS calls_in AS SELECT {_names(ROW_COLUMNS)} "
    "FROM main.calls WHERE 0"
)
_SQLITE_STAGE = (
    f"INSERT INTO temp.calls_in ({_names(ROW_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(ROW_COLUMNS))})"
)
# The raw record comes as bytes (no copy, no decoding in Python) and is stored as text.
_SQLITE_MOVE = _move("?", "CAST(raw AS TEXT)").replace("IS DISTINCT FROM", "IS NOT")
_SQLITE_EVENTS = (
    f"INSERT INTO events ({_names(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)
_PG_STAGE_TABLE = (
    f"CREATE TEMP TABLE IF NOT EXISTS calls_in ON COMMIT DELETE ROWS AS "
    f"SELECT {_names(ROW_COLUMNS)} FROM calls WITH NO DATA"
)
_PG_MOVE = _move("%s", "raw")
_PG_EVENTS_TABLE = "CREATE TEMP TABLE IF NOT EXISTS events_in (LIKE events) ON COMMIT DELETE ROWS"
_RAW = ROW_COLUMNS.index("raw")


class Writer:
    """The bulk operations of one sync on one connection's dialect."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect

    def existing(
        self, conn: Connection, account: int, vpbx: int, lo: datetime, hi: datetime
    ) -> dict[str, tuple[int, bool]]:
        """``callid -> (raw_hash, has_events)`` of the calls stored for a window."""
        c = calls.c
        query = select(c.callid, c.raw_hash, c.has_events).where(
            c.account_id == account, c.vpbx_id == vpbx, c.date >= lo, c.date <= hi
        )
        return {callid: (h, bool(e)) for callid, h, e in conn.execute(query)}

    def upsert_calls(
        self,
        conn: Connection,
        account: int,
        vpbx: int,
        rows: list[tuple[Any, ...]],
        *,
        has_events: bool,
        seen_at: str,
    ) -> None:
        """Insert new calls and rewrite changed ones. ``rows`` hold ROW_COLUMNS (the raw
        record as bytes or text); the rest is the window's: its account, PBX, whether
        events come along, and when it was seen."""
        if not rows:
            return
        window = _window_params(account, vpbx, has_events, seen_at)
        if self.dialect == "sqlite":
            conn.exec_driver_sql(_SQLITE_STAGE_TABLE)
            conn.exec_driver_sql(_SQLITE_STAGE, rows)
            conn.exec_driver_sql(_SQLITE_MOVE, window)
            conn.exec_driver_sql("DELETE FROM temp.calls_in")
            return
        conn.exec_driver_sql(_PG_STAGE_TABLE)
        self._copy(conn, "calls_in", ROW_COLUMNS, (_text_raw(r) for r in rows))
        conn.exec_driver_sql(_PG_MOVE, window)

    def replace_events(
        self,
        conn: Connection,
        account: int,
        vpbx: int,
        callids: list[str],
        rows: list[tuple[Any, ...]],
    ) -> None:
        """Drop the stored events of ``callids`` and store ``rows`` (EVENT_COLUMNS order)."""
        self.drop_events(conn, account, vpbx, callids)
        if not rows:
            return
        if self.dialect == "sqlite":
            conn.exec_driver_sql(_SQLITE_EVENTS, rows)
            return
        conn.exec_driver_sql(_PG_EVENTS_TABLE)
        self._copy(conn, "events_in", EVENT_COLUMNS, rows)
        conn.exec_driver_sql(
            f"INSERT INTO events ({_names(EVENT_COLUMNS)}) SELECT {_names(EVENT_COLUMNS)} "
            "FROM events_in"
        )

    def drop_events(self, conn: Connection, account: int, vpbx: int, callids: list[str]) -> None:
        e = events.c
        for i in range(0, len(callids), _CHUNK):
            conn.execute(
                events.delete().where(
                    e.account_id == account,
                    e.vpbx_id == vpbx,
                    e.callid.in_(callids[i : i + _CHUNK]),
                )
            )

    def flag_events(
        self, conn: Connection, account: int, vpbx: int, callids: list[str], value: bool
    ) -> None:
        c = calls.c
        for i in range(0, len(callids), _CHUNK):
            conn.execute(
                update(calls)
                .where(
                    and_(
                        c.account_id == account,
                        c.vpbx_id == vpbx,
                        c.callid.in_(callids[i : i + _CHUNK]),
                    )
                )
                .values(has_events=value)
            )

    def _copy(
        self, conn: Connection, name: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> None:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {name} ({_names(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def state(self, conn: Connection, account: int, vpbx: int) -> Any:
        s = sync_state.c
        return conn.execute(
            select(sync_state).where(s.account_id == account, s.vpbx_id == vpbx)
        ).first()

    def save_state(
        self,
        conn: Connection,
        account: int,
        vpbx: int,
        tz: str,
        start: datetime,
        until: datetime,
        now: datetime,
    ) -> None:
        """Record that everything of ``[start, until]`` is stored (extending what was)."""
        dialect = sqlite if self.dialect == "sqlite" else postgresql
        insert = dialect.insert(sync_state).values(
            account_id=account,
            vpbx_id=vpbx,
            tz=tz,
            synced_from=start,
            synced_until=until,
            last_run_at=now,
        )
        ex, s = insert.excluded, sync_state.c
        conn.execute(
            insert.on_conflict_do_update(
                index_elements=[s.account_id, s.vpbx_id],
                set_={
                    "tz": ex.tz,
                    "synced_from": case(
                        (ex.synced_from < s.synced_from, ex.synced_from), else_=s.synced_from
                    ),
                    "synced_until": case(
                        (ex.synced_until > s.synced_until, ex.synced_until), else_=s.synced_until
                    ),
                    "last_run_at": ex.last_run_at,
                },
            )
        )


def _text_raw(row: tuple[Any, ...]) -> tuple[Any, ...]:
    raw = row[_RAW]
    if isinstance(raw, str):
        return row
    return (*row[:_RAW], bytes(raw).decode(), *row[_RAW + 1 :])
