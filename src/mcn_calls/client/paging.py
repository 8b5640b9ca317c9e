"""Cutting a date range into windows, and paging a window with limit/offset.

Windows keep memory flat whatever the range: one window's pages are fetched,
yielded and forgotten before the next. Bounds are inclusive, to the second, in
PBX local time; whole-day windows are sent as ``YYYY-MM-DD`` (the article's
form), others as ``YYYY-MM-DD HH:MM:SS``.

:class:`Pager` decides when a window is done without trusting that a short page
means the end: the server caps ``limit`` at a number it does not publish, so a
page shorter than asked may just be a capped one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import msgspec

from ..errors import APIResponseParseError, UsageError

log = logging.getLogger("mcn_calls.client")

_SECOND = timedelta(seconds=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Window:
    """An inclusive range of PBX local time, as the API's ``date_from``/``date_to``."""

    start: datetime
    end: datetime

    @property
    def whole_days(self) -> bool:
        return self.start.time() == time(0) and self.end.time() == time(23, 59, 59)

    def params(self) -> dict[str, str]:
        if self.whole_days:
            return {
                "date_from": self.start.date().isoformat(),
                "date_to": self.end.date().isoformat(),
            }
        return {"date_from": self.start.isoformat(" "), "date_to": self.end.isoformat(" ")}

    def __str__(self) -> str:
        shown = self.params()
        if shown["date_from"] == shown["date_to"]:
            return shown["date_from"]
        return f"{shown['date_from']} .. {shown['date_to']}"


def local_bound(value: date | datetime, tz: tzinfo, *, end: bool) -> datetime:
    """A naive PBX-local datetime, to the second; a date means its start (or its end)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(tz)
        return value.replace(tzinfo=None, microsecond=0)
    return datetime.combine(value, time(23, 59, 59) if end else time(0))


def windows(
    date_from: date | datetime, date_to: date | datetime, tz: tzinfo, size: timedelta = _DAY
) -> list[Window]:
    """The windows that cover ``[date_from, date_to]`` (a date alone is the whole day)."""
    start = local_bound(date_from, tz, end=False)
    stop = local_bound(date_to, tz, end=True)
    if start > stop:
        raise UsageError(f"The range starts ({start}) after it ends ({stop}); swap the dates.")
    if size < _SECOND:
        raise UsageError("A window must be at least one second long.")
    result = []
    cursor = start
    while cursor <= stop:
        last = min(cursor + size - _SECOND, stop)
        result.append(Window(cursor, last))
        cursor = last + _SECOND
    return result


class Envelope(msgspec.Struct):
    """An answer of call_log, decoded only as far as paging needs: each item stays
    the raw JSON it came as (``msgspec.Raw``), decoded later by whoever wants it."""

    items: list[msgspec.Raw] | None = None
    total: Any = None
    code: Any = None
    status: Any = None
    errors: Any = None
    object: Any = None

    def error_body(self) -> dict[str, Any] | None:
        """MCN's failure shape (which may come with HTTP 200), as a dict; else None."""
        if self.status == "error" or (self.errors is not None and self.items is None):
            return {"status": self.status, "code": self.code, "errors": self.errors}
        return None


#: Decodes a call_log answer: the envelope, or a bare JSON list of items.
ENVELOPE = msgspec.json.Decoder(Envelope | list[msgspec.Raw])


def page_items(payload: Any, method: str, url: str) -> tuple[list[Any], int | None]:
    """The items of an answer and its total, if any: ``{"items": [...]}`` with or
    without ``code``/``total``, ``{"object": ...}``, or a bare JSON list. From an
    :class:`Envelope` the items are raw JSON; from a plain dict, decoded values."""
    if isinstance(payload, list):
        return payload, None
    if isinstance(payload, Envelope | dict):
        get = payload.get if isinstance(payload, dict) else payload.__getattribute__
        items, found = get("items"), get("object")
        if items is None and isinstance(found, dict | list):
            items = found if isinstance(found, list) else [found]
            if isinstance(payload, Envelope):
                items = [msgspec.Raw(msgspec.json.encode(item)) for item in items]
        if isinstance(items, list):
            total = get("total")
            if not isinstance(total, int) or isinstance(total, bool):
                total = None
            return items, total
    raise APIResponseParseError(
        f"The answer to {method} {url} has no list of items; the API may have changed.",
        method=method,
        url=url,
        status_code=200,
    )


@dataclass
class Pager:
    """Limit/offset paging that detects a server-side cap on ``limit``.

    ``floor`` is a page size the server is known to return in full when there
    is more: a page shorter than it is surely the last. A page between ``floor``
    and ``limit`` is ambiguous (the end, or a capped page), so the next offset
    is asked; an empty answer then settles it. A ``total`` in the answer, when
    the server sends one, is used instead.
    """

    limit: int
    floor: int = 0
    cap: int | None = None
    _pending: int | None = field(default=None, repr=False)

    def next_offset(self, offset: int, count: int, total: int | None) -> int | None:
        """The offset to ask next, or None when the window is done."""
        pending, self._pending = self._pending, None
        if count == 0:
            if pending is not None:
                self.floor = max(self.floor, pending)  # that short page was the end
            return None
        if pending is not None and self.cap != pending:
            self.cap = pending
            self.floor = max(self.floor, pending)
            log.info("The server caps limit at %d (asked %d); paging on.", pending, self.limit)
        if total is not None:
            if offset + count < total and count < self.limit and self.cap != count:
                self.cap = count
                log.info("The server caps limit at %d (asked %d); paging on.", count, self.limit)
            return offset + count if offset + count < total else None
        if count >= self.limit:
            self.floor = max(self.floor, self.limit)
            return offset + count
        if count < self.floor:
            return None
        self._pending = count
        return offset + count
