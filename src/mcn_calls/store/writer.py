"""Writing a window of calls fast: the dialect-specific bulk paths.

A window is written in two steps. A :class:`Stager` makes its rows ready, page
by page, on the thread that fetches (SQLite: a scratch database file of its
own, filled a block of rows per ``INSERT``; PostgreSQL: the rows, to ``COPY``).
:meth:`Writer.write_window` then reads them from staging tables (SQLite: that
file, attached by :meth:`Writer.loaded` around the window's transaction) and
works in set-based SQL from there: it counts new, changed and unchanged calls,
replaces or drops the events that must go, and moves the calls with one
``INSERT ... SELECT ... ON CONFLICT DO UPDATE``. On SQLite that split is what
makes a sync fast: binding values is Python work and runs beside the decoding
of the next pages, while everything ``write_window`` does runs inside SQLite,
which releases the GIL. A staged window lives in the operating system's file
cache, not in the process: no window-sized block is ever allocated, so memory
does not depend on how big the days are. An update happens only when the raw
record's hash differs, and ``first_seen_at`` is never overwritten. Statements
are built from the one schema definition in :mod:`.schema`.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Connection, case, select, text
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import DatabaseError
from .schema import (
    CALL_COLUMNS,
    CALL_DATA_COLUMNS,
    EVENT_COLUMNS,
    ROW_COLUMNS,
    WINDOW_COLUMNS,
    sync_state,
)

_KEY = ("account_id", "vpbx_id", "callid")
#: The schema a staged window's scratch file is attached as (see Writer.loaded).
STAGE = "stage"


def _names(columns: Iterable[str]) -> str:
    return ", ".join(columns)


def _move(mark: str, raw: str, source: str) -> str:
    """``INSERT INTO calls ... SELECT ... FROM <staged calls>``: the window's
    constants bound once, each call's columns from the staging table."""
    sets = ", ".join(f"{c} = excluded.{c}" for c in CALL_DATA_COLUMNS)
    values = {c: mark for c in WINDOW_COLUMNS} | {c: c for c in ROW_COLUMNS} | {"raw": raw}
    return (
        f"INSERT INTO calls ({_names(CALL_COLUMNS)}) "
        f"SELECT {_names(values[c] for c in CALL_COLUMNS)} FROM {source} WHERE true "
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


class _Sql:
    """The set-based statements of a window, over one dialect's staging tables."""

    def __init__(self, calls_in: str, events_in: str) -> None:
        stored = (
            f"FROM {calls_in} s LEFT JOIN calls c ON c.account_id = :account "
            "AND c.vpbx_id = :vpbx AND c.callid = s.callid"
        )
        #: How many staged calls there are, are stored already, and are stored unchanged.
        self.counts = text(
            "SELECT count(*), count(c.callid), "
            f"count(CASE WHEN c.raw_hash = s.raw_hash THEN 1 END) {stored}"
        )
        mine = "account_id = :account AND vpbx_id = :vpbx AND callid IN"
        #: Calls whose events a detailed window brings: new, changed, or stored without.
        wanting = (
            f"SELECT s.callid {stored} "
            "WHERE c.callid IS NULL OR c.raw_hash <> s.raw_hash OR NOT c.has_events"
        )
        self.drop_replaced_events = text(f"DELETE FROM events WHERE {mine} ({wanting})")
        self.add_events = text(
            f"INSERT INTO events ({_names(EVENT_COLUMNS)}) "
            f"SELECT {_names(EVENT_COLUMNS)} FROM {events_in} WHERE {mine} ({wanting})"
        )
        #: A plain window rewrites a call stored with events: its events no longer match.
        self.drop_stale_events = text(
            f"DELETE FROM events WHERE {mine} (SELECT s.callid {stored} "
            "WHERE c.has_events AND c.raw_hash <> s.raw_hash)"
        )
        #: A detailed window's unchanged calls now have their events too.
        self.flag_events = text(
            f"UPDATE calls SET has_events = :yes WHERE {mine} "
            f"(SELECT callid FROM {calls_in}) AND NOT has_events"
        )


_SQLITE = _Sql(f"{STAGE}.calls_in", f"{STAGE}.events_in")
_PG = _Sql("calls_in", "events_in")
# The raw record comes as bytes (no copy, no decoding in Python) and is stored as text.
_SQLITE_MOVE = _move("?", "CAST(raw AS TEXT)", f"{STAGE}.calls_in").replace(
    "IS DISTINCT FROM", "IS NOT"
)
_SQLITE_SCRATCH = (
    # A scratch file: nothing to recover after a crash, and written once.
    "PRAGMA journal_mode=OFF",
    "PRAGMA synchronous=OFF",
    f"CREATE TABLE calls_in ({_names(ROW_COLUMNS)})",
    f"CREATE TABLE events_in ({_names(EVENT_COLUMNS)})",
)
#: Rows per staging statement: one statement binds a block of rows, so that the
#: page costs a few steps (each of which releases and takes back the GIL), not
#: one a row; 500 x 23 values stays far below SQLite's smallest default limit.
_BLOCK = 500


class _Insert:
    """``INSERT INTO <table> VALUES`` a block of rows at a time, the rest row by row."""

    def __init__(self, table: str, width: int) -> None:
        one = f"({', '.join('?' * width)})"
        self.one = f"INSERT INTO {table} VALUES {one}"
        self.block = f"INSERT INTO {table} VALUES {', '.join([one] * _BLOCK)}"

    def __call__(self, db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        whole = len(rows) - len(rows) % _BLOCK
        for start in range(0, whole, _BLOCK):
            db.execute(self.block, tuple(chain.from_iterable(rows[start : start + _BLOCK])))
        if whole < len(rows):
            db.executemany(self.one, rows[whole:])


_SQLITE_STAGE_CALLS = _Insert("calls_in", len(ROW_COLUMNS))
_SQLITE_STAGE_EVENTS = _Insert("events_in", len(EVENT_COLUMNS))
_PG_STAGE_TABLES = (
    f"CREATE TEMP TABLE IF NOT EXISTS calls_in ON COMMIT DELETE ROWS AS "
    f"SELECT {_names(ROW_COLUMNS)} FROM calls WITH NO DATA",
    "CREATE TEMP TABLE IF NOT EXISTS events_in (LIKE events) ON COMMIT DELETE ROWS",
)
_PG_MOVE = _move("%s", "raw", "calls_in")
_RAW = ROW_COLUMNS.index("raw")


@dataclass
class Staged:
    """A window's rows made ready for :meth:`Writer.write_window`."""

    calls: int
    #: SQLite: the path of the staging database; PostgreSQL: (calls rows, events rows).
    payload: Any
    #: Removes the staging file: called by :meth:`discard`, or when the object is
    #: collected, so that a window never written leaves nothing behind.
    cleanup: Callable[[], object] | None = field(default=None, repr=False)

    def discard(self) -> None:
        """Let go of the staged rows."""
        self.payload = None
        if self.cleanup is not None:
            self.cleanup()


def _remove(path: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


@contextmanager
def _scratch_errors() -> Iterator[None]:
    """A window's scratch file that cannot be written is one sentence, not a traceback."""
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(
            f"A window could not be staged in the temporary folder {tempfile.gettempdir()} "
            f"({exc}); free some space there or point TMPDIR elsewhere."
        ) from None


class Stager:
    """Stages one window page by page, so that only one page is ever held as
    Python objects; :meth:`done` hands the window over. Runs on any one thread."""

    def __init__(self, dialect: str) -> None:
        self.calls = 0
        self._rows: list[tuple[Any, ...]] = []
        self._events: list[tuple[Any, ...]] = []
        self._file: sqlite3.Connection | None = None
        self._path: str | None = None
        if dialect == "sqlite":
            with _scratch_errors():
                handle, self._path = tempfile.mkstemp(prefix="mcn-calls-window-", suffix=".db")
                os.close(handle)
                self._file = sqlite3.connect(self._path, isolation_level=None, cached_statements=4)
                for statement in _SQLITE_SCRATCH:
                    self._file.execute(statement)

    def add(self, rows: list[tuple[Any, ...]], event_rows: list[tuple[Any, ...]]) -> None:
        """Calls rows in ROW_COLUMNS order (the raw record as bytes or text) and
        events rows in EVENT_COLUMNS order."""
        self.calls += len(rows)
        if self._file is None:
            self._rows += rows
            self._events += event_rows
            return
        with _scratch_errors():
            self._file.execute("BEGIN")  # one transaction a page, not one a row
            _SQLITE_STAGE_CALLS(self._file, rows)
            _SQLITE_STAGE_EVENTS(self._file, event_rows)
            self._file.execute("COMMIT")

    def done(self) -> Staged:
        if self._file is None or self._path is None:
            return Staged(self.calls, (self._rows, self._events))
        self._file.close()
        self._file = None
        staged = Staged(self.calls, self._path)
        staged.cleanup = weakref.finalize(staged, _remove, self._path)
        self._path = None  # the Staged owns the file now
        return staged

    def close(self) -> None:
        """Let go of a window not handed over."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._path is not None:
            _remove(self._path)
            self._path = None


@dataclass(frozen=True)
class Counts:
    new: int
    changed: int
    unchanged: int


class Writer:
    """The bulk operations of one sync on one connection's dialect."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect

    def stager(self) -> Stager:
        """A new window to stage (see :class:`Stager`)."""
        return Stager(self.dialect)

    @contextmanager
    def loaded(self, conn: Connection, staged: Staged) -> Iterator[None]:
        """The staged window readable by :meth:`write_window` on ``conn`` for the
        block, which begins and ends the window's transaction (SQLite attaches the
        staging file as ``stage`` outside any transaction, then detaches and removes
        it; PostgreSQL has nothing to do)."""
        if self.dialect != "sqlite":
            yield
            return
        driver: Any = conn.connection.driver_connection
        try:
            with _scratch_errors():
                driver.execute(f"ATTACH ? AS {STAGE}", (staged.payload,))
            try:
                yield
            finally:
                with suppress(sqlite3.Error):  # never in the way of the error in flight
                    driver.execute(f"DETACH {STAGE}")
        finally:
            staged.discard()

    def write_window(
        self,
        conn: Connection,
        account: int,
        vpbx: int,
        staged: Staged,
        *,
        detailed: bool,
        seen_at: str,
    ) -> Counts:
        """Store a staged window: new calls inserted, changed ones rewritten (their
        events with them), the rest untouched. The window's account, PBX, whether its
        events came along, and when it was seen are the same for every call."""
        window = _window_params(account, vpbx, detailed, seen_at)
        if self.dialect == "sqlite":  # attached by loaded()
            sql, move = _SQLITE, _SQLITE_MOVE
        else:
            sql, move = _PG, _PG_MOVE
            rows, event_rows = staged.payload
            staged.payload = None
            for statement in _PG_STAGE_TABLES:
                conn.exec_driver_sql(statement)
            self._copy(conn, "calls_in", ROW_COLUMNS, (_text_raw(r) for r in rows))
            self._copy(conn, "events_in", EVENT_COLUMNS, event_rows)
        mine = {"account": account, "vpbx": vpbx}
        total, stored, unchanged = conn.execute(sql.counts, mine).one()
        if detailed:
            conn.execute(sql.drop_replaced_events, mine)
            conn.execute(sql.add_events, mine)
        elif stored > unchanged:
            conn.execute(sql.drop_stale_events, mine)
        if total > unchanged:
            conn.exec_driver_sql(move, window)
        if detailed:
            conn.execute(sql.flag_events, mine | {"yes": True})
        return Counts(total - stored, stored - unchanged, unchanged)

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
