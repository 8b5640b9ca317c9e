"""The emulator's call store: one SQLite file of pre-rendered records.

Records are kept as the JSON bytes the API serves, so a page is a range read
and a join. The order is ``(date, callid)``, which is stable, so limit/offset
paging over a range returns every call exactly once. A file given with
``--data`` is reused across restarts while the settings it was made with match.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS calls (
    vpbx_id INTEGER NOT NULL,
    date TEXT NOT NULL,
    callid TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (vpbx_id, date, callid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS calls_by_callid ON calls (vpbx_id, callid);
"""

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


class CallStore:
    """Thread-safe access to the call file: one connection per thread, one writer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        with self._write_lock:
            conn = self._conn()
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            self._connections.append(conn)
        return conn

    def close(self) -> None:
        for conn in self._connections:
            conn.close()
        self._connections.clear()
        self._local = threading.local()

    # -- metadata ---------------------------------------------------------------
    def meta(self, key: str) -> Any:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value: Any) -> None:
        with self._write_lock:
            self._conn().execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                (key, json.dumps(value, sort_keys=True)),
            )

    # -- bulk load --------------------------------------------------------------
    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Load many calls fast: one transaction, no fsync, tables emptied first."""
        with self._write_lock:
            conn = self._conn()
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("BEGIN")
            conn.execute("DELETE FROM calls")
            conn.execute("DELETE FROM meta")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA synchronous=NORMAL")

    def load(self, vpbx_id: int, records: Iterable[dict[str, Any]]) -> int:
        """Insert records inside :meth:`bulk` (the caller holds the transaction)."""
        rows = [(vpbx_id, r["date"], r["callid"], _encode(r)) for r in records]
        self._conn().executemany(
            "INSERT INTO calls (vpbx_id, date, callid, body) VALUES (?, ?, ?, ?)", rows
        )
        return len(rows)

    # -- reads ------------------------------------------------------------------
    def page(
        self, vpbx_id: int, date_from: str, date_to: str, limit: int, offset: int
    ) -> list[bytes]:
        """Rendered records with ``date_from <= date <= date_to``, in stable order."""
        cur = self._conn().execute(
            "SELECT body FROM calls WHERE vpbx_id = ? AND date >= ? AND date <= ? "
            "ORDER BY date, callid LIMIT ? OFFSET ?",
            (vpbx_id, date_from, date_to, limit, offset),
        )
        return [row[0] for row in cur]

    def count(self, vpbx_id: int, date_from: str, date_to: str) -> int:
        row = (
            self._conn()
            .execute(
                "SELECT count(*) FROM calls WHERE vpbx_id = ? AND date >= ? AND date <= ?",
                (vpbx_id, date_from, date_to),
            )
            .fetchone()
        )
        return int(row[0])

    def total(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM calls").fetchone()[0])

    def get(self, vpbx_id: int, callid: str) -> dict[str, Any] | None:
        row = (
            self._conn()
            .execute("SELECT body FROM calls WHERE vpbx_id = ? AND callid = ?", (vpbx_id, callid))
            .fetchone()
        )
        return _decode(row[0]) if row else None

    def between(self, vpbx_id: int, date_from: str, date_to: str) -> list[dict[str, Any]]:
        """The calls of a PBX with ``date_from <= date <= date_to``, decoded, in order."""
        cur = self._conn().execute(
            "SELECT body FROM calls WHERE vpbx_id = ? AND date >= ? AND date <= ? "
            "ORDER BY date, callid",
            (vpbx_id, date_from, date_to),
        )
        return [_decode(row[0]) for row in cur]

    # -- changes ----------------------------------------------------------------
    def put(self, vpbx_id: int, records: Iterable[dict[str, Any]]) -> None:
        """Insert or replace calls by callid (a changed date moves the call)."""
        with self._write_lock:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                for record in records:
                    conn.execute(
                        "DELETE FROM calls WHERE vpbx_id = ? AND callid = ?",
                        (vpbx_id, record["callid"]),
                    )
                    conn.execute(
                        "INSERT INTO calls (vpbx_id, date, callid, body) VALUES (?, ?, ?, ?)",
                        (vpbx_id, record["date"], record["callid"], _encode(record)),
                    )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
