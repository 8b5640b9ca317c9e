"""Column types that mean the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, String, Text, TypeDecorator
from sqlalchemy.dialects.postgresql import JSON as PgJSON
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeEngine


class AwareDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp.

    PostgreSQL: ``timestamptz``. SQLite: ISO 8601 text with the offset, in PBX
    local time for call dates (``2024-12-23 01:04:50+03:00``), so text order is
    time order within a PBX's zone and ``substr(date, 1, 10)`` is the local day.
    A naive datetime is refused: it would be ambiguous.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or isinstance(value, str):
            return value
        if value.tzinfo is None:
            raise ValueError(f"A naive datetime cannot be stored: {value!r}")
        return value.isoformat(" ") if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value)
        return value  # type: ignore[no-any-return]


#: JSON: ``jsonb`` on PostgreSQL, text on SQLite.
Json = JSON().with_variant(JSONB(), "postgresql")
#: The raw record, kept as received: text on SQLite, ``json`` (verbatim) on PostgreSQL.
RawJson = Text().with_variant(PgJSON(), "postgresql")
