"""Coercion of loosely typed JSON values into the model's Python types.

Real traffic sends numbers as strings and strings as numbers, uses ``""`` for
"no value" and sometimes ``0000-00-00 00:00:00`` for a date that never
happened. Each helper takes the field name so that a value that cannot be
understood raises a :class:`RecordParseError` naming it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from ..errors import RecordParseError

_TRUE = frozenset({"1", "true", "yes", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "f"})
_ZERO_DATES = frozenset({"0000-00-00 00:00:00", "0000-00-00"})


def opt_str(value: Any, field: str) -> str | None:
    """A string, or None for null/empty. Numbers become their decimal text."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise RecordParseError(field, value, "expected a string or a number")


def opt_int(value: Any, field: str) -> int | None:
    """An int, or None for null/empty. Accepts numeric strings and whole floats."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordParseError(field, value, "expected a whole number, not a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RecordParseError(field, value, "expected a whole number")
        return round(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            raise RecordParseError(field, value, "expected a whole number") from None
        return opt_int(number, field)
    raise RecordParseError(field, value, "expected a whole number")


def opt_bool(value: Any, field: str) -> bool | None:
    """A bool from true/false, 1/0 or their string forms; None for null/empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise RecordParseError(field, value, "expected 1/0 or true/false")


def opt_datetime(value: Any, field: str, tz: tzinfo) -> datetime | None:
    """A timezone-aware datetime in ``tz``; None for null, empty or a zero date.

    Strings without an offset are PBX local time (``tz``); strings with an
    offset are converted to ``tz``; numbers are Unix epoch seconds.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if value in _ZERO_DATES:
            return None
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise RecordParseError(
                field, value, "expected a date like 2024-12-23 01:04:50"
            ) from None
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=tz)
        try:
            return parsed.astimezone(tz)
        except OverflowError:
            raise RecordParseError(field, value, "date out of range") from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz)
        except (OverflowError, OSError, ValueError):
            raise RecordParseError(field, value, "epoch seconds out of range") from None
    raise RecordParseError(field, value, "expected a date string")
