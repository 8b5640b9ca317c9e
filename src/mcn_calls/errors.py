"""The one error tree of mcn-calls.

Every error the library raises on purpose is an :class:`MCNError`::

    MCNError
    ├── UsageError              a user's input is wrong (dates, options, config)
    └── RecordParseError        a call record cannot be understood at all

Each error's ``str()`` is one sentence that names the problem and, where there
is one, the fix. Nothing here ever holds a token.
"""

from __future__ import annotations

__all__ = ["MCNError", "RecordParseError", "UsageError"]


class MCNError(Exception):
    """Base class of every error mcn-calls raises on purpose."""


class UsageError(MCNError):
    """The caller asked for something that cannot be done as asked."""


class RecordParseError(MCNError, ValueError):
    """A call record (or one of its fields) cannot be understood.

    ``field`` names the offending field (``None`` when the record itself is not
    an object), ``value`` is the offending value.
    """

    def __init__(self, field: str | None, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        where = f"field {field!r}" if field else "the record"
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(f"Cannot parse {where} of a call record: {reason} (got {shown}).")
