"""Opening the database: SQLite (a file) or PostgreSQL (through psycopg 3).

``--db`` takes a SQLAlchemy URL (``sqlite:///calls.db``,
``postgresql+psycopg://user@host/db``; ``postgresql://`` means the same) or a
plain file path for SQLite. The schema is created and migrated on open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from ..errors import DatabaseError, UsageError
from .migrations import migrate

DEFAULT_DB = "sqlite:///mcn-calls.db"


def database_url(value: str | None) -> str:
    """A SQLAlchemy URL from ``--db``: a URL, or a path to a SQLite file."""
    text = (value or DEFAULT_DB).strip()
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser()}"
    scheme, _, rest = text.partition("://")
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    if scheme not in ("sqlite", "postgresql+psycopg"):
        raise UsageError(
            f"Unsupported database {scheme}://: use sqlite:///FILE or postgresql://USER@HOST/DB."
        )
    return text


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi: Any, record: Any) -> None:
        dbapi.isolation_level = None  # we say BEGIN ourselves, so DDL is transactional too
        cursor = dbapi.cursor()
        # A new database gets 16 KiB pages (an existing one keeps its own): a window
        # inserts all over the indexes by number, and each commit writes every page
        # it touched; bigger pages are fewer writes for the same keys. The cache
        # (32 MiB, not 2) keeps those indexes' inner pages from being read again.
        cursor.execute("PRAGMA page_size=16384")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Statement journals to temporary files (the OS file cache), not the heap: the
        # move of a window journals every index page it changes, which grows with
        # the database (18 MB more at 1M calls than at 100k when kept in memory).
        cursor.execute("PRAGMA temp_store=FILE")
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


class Database:
    """A database mcn-calls writes calls to; the schema is brought up to date on open."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        parsed = make_url(self.url)
        self.shown = parsed.render_as_string(hide_password=True)
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite" and parsed.database:
            folder = Path(parsed.database).expanduser().resolve().parent
            if not folder.is_dir():
                raise UsageError(f"The folder {folder} for the database does not exist.")
        try:
            self.engine = create_engine(self.url, pool_pre_ping=self.dialect != "sqlite")
        except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError) as exc:
            raise UsageError(f"Cannot use the database URL {self.shown} ({exc}).") from None
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine)
        with self.begin() as conn:
            migrate(conn)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """One connection for the block; the caller begins its transactions."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa_exc.OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseError(
                f"The database {self.shown} failed ({reason.rstrip('.')}); check --db or MCN_DB."
            ) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({self.shown!r})"
