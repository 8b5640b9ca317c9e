"""Writing a window of calls fast: the dialect-specific bulk paths.

SQLite: one ``executemany`` of an ``INSERT ... ON CONFLICT DO UPDATE``.
PostgreSQL: ``COPY`` into a temporary table, then one ``INSERT ... SELECT ...
ON CONFLICT DO UPDATE``. Either way an update happens only when the raw record's
hash differs, and ``first_seen_at`` is never overwritten. Statements are built
from the one schema definition in :mod:`.schema`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .schema import CALL_COLUMNS, CALL_DATA_COLUMNS, EVENT_COLUMNS, calls, events, sync_state

_KEY = ("account_id", "vpbx_id", "callid")
_CHUNK = 500


def _names(columns: Sequence[str]) -> str:
    return ", ".join(columns)


def _upsert_tail(target: str) -> str:
    sets = ", ".join(f"{c} = excluded.{c}" for c in CALL_DATA_COLUMNS)
    return (
        f"ON CONFLICT ({_names(_KEY)}) DO UPDATE SET {sets} "
        f"WHERE {target}.raw_hash IS DISTINCT FROM excluded.raw_hash"
    )


_SQLITE_UPSERT = (
    f"INSERT INTO calls ({_names(CALL_COLUMNS)}) VALUES ({', '.join('?' * len(CALL_COLUMNS))}) "
    + _upsert_tail("calls").replace("IS DISTINCT FROM", "IS NOT")
)
_SQLITE_EVENTS = (
    f"INSERT INTO events ({_names(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)
_PG_TEMP = "CREATE TEMP TABLE IF NOT EXISTS {name} (LIKE {table}) ON COMMIT DELETE ROWS"
_PG_UPSERT = (
    f"INSERT INTO calls ({_names(CALL_COLUMNS)}) SELECT {_names(CALL_COLUMNS)} FROM calls_in "
    + _upsert_tail("calls")
)


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

    def upsert_calls(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        """Insert new calls and rewrite changed ones (rows in CALL_COLUMNS order)."""
        if not rows:
            return
        if self.dialect == "sqlite":
            conn.exec_driver_sql(_SQLITE_UPSERT, rows)
            return
        self._copy(conn, "calls_in", "calls", CALL_COLUMNS, rows)
        conn.exec_driver_sql(_PG_UPSERT)

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
        self._copy(conn, "events_in", "events", EVENT_COLUMNS, rows)
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
        self,
        conn: Connection,
        name: str,
        table: str,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
    ) -> None:
        conn.exec_driver_sql(_PG_TEMP.format(name=name, table=table))
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
