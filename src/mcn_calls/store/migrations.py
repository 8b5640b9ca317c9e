"""Schema migrations: registered functions, applied in order, each recorded.

The tool creates and upgrades its own schema; a database made by a newer
version is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select, text

from ..errors import DatabaseError
from .schema import calls, events, metadata, schema_version, sync_state

Migration = tuple[int, str, Callable[[Connection], None]]


def _initial(conn: Connection) -> None:
    for table in (calls, events, sync_state):
        table.create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [
    (1, "calls, events and sync_state", _initial),
]
LATEST = MIGRATIONS[-1][0]


def migrate(conn: Connection) -> list[int]:
    """Bring the schema up to date inside the caller's transaction; the versions applied."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(781102)"))  # one migrator at a time
    schema_version.create(conn, checkfirst=True)
    current = conn.execute(select(func.max(schema_version.c.version))).scalar() or 0
    if current > LATEST:
        raise DatabaseError(
            f"The database has schema version {current}, newer than this mcn-calls knows "
            f"({LATEST}); upgrade mcn-calls."
        )
    applied = []
    for version, description, step in MIGRATIONS:
        if version > current:
            step(conn)
            conn.execute(
                schema_version.insert().values(
                    version=version, description=description, applied_at=datetime.now(UTC)
                )
            )
            applied.append(version)
    return applied


__all__ = ["LATEST", "MIGRATIONS", "metadata", "migrate"]
