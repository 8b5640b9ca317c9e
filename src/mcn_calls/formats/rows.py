"""A call record as an output row: the normalised record plus whose it is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..model import CallEvent, CallRecord
from ..model.normalise import CALL_FIELDS

#: Columns of a flat row (CSV, table): whose call it is, then the record's fields.
COLUMNS = ("account_id", "vpbx_id", *(f for f in CALL_FIELDS if f != "vpbx_id"))

_RECORD_FIELDS = tuple(c for c in COLUMNS if c not in ("account_id", "vpbx_id"))
_EVENT_FIELDS = tuple(f for f in CallEvent.__struct_fields__ if f != "raw")


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)  # enum members become plain strings
    return value


def event_row(event: CallEvent) -> dict[str, Any]:
    return {name: _value(getattr(event, name)) for name in _EVENT_FIELDS}


def record_row(record: CallRecord, account_id: int, vpbx_id: int) -> dict[str, Any]:
    """The normalised record with ``account_id`` and ``vpbx_id``; ISO 8601 dates with
    their offset; ``events`` (parsed ``api_vars`` included) when the record has them."""
    row: dict[str, Any] = {"account_id": account_id, "vpbx_id": vpbx_id}
    for name in _RECORD_FIELDS:
        row[name] = _value(getattr(record, name))
    if record.events is not None:
        row["events"] = [event_row(e) for e in record.events]
    return row
