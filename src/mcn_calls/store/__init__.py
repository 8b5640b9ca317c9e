"""Where synced calls live: the schema, its migrations, and the bulk writer."""

from .database import DEFAULT_DB, Database, database_url
from .migrations import LATEST, migrate
from .schema import CALL_COLUMNS, EVENT_COLUMNS, calls, events, metadata, sync_state
from .writer import Counts, Staged, Stager, Writer

__all__ = [
    "CALL_COLUMNS",
    "DEFAULT_DB",
    "EVENT_COLUMNS",
    "LATEST",
    "Counts",
    "Database",
    "Staged",
    "Stager",
    "Writer",
    "calls",
    "database_url",
    "events",
    "metadata",
    "migrate",
    "sync_state",
]
