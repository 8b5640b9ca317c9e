"""A report over the synced database: the period's KPIs, a breakdown, and the
missed-call cases (with the window's look-ahead, so a call-back the day after
the period still counts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from ..errors import UsageError
from ..store import Database
from .facts import CallFacts, load
from .kpis import kpis
from .missed import Case, callback_summary, cases

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: What ``--by`` can break a report down by: the key of a call in each group.
GROUPINGS: dict[str, Callable[[CallFacts], Any]] = {
    "day": lambda c: c.when.date().isoformat(),
    "hour": lambda c: c.when.hour,
    "weekday": lambda c: _WEEKDAYS[c.when.weekday()],
    "did": lambda c: c.did,
    "operator": lambda c: c.dst_name if c.status == "ANSWERED" else None,
}


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    tz: tzinfo
    vpbx_ids: tuple[int, ...] = ()

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), self.tz)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "tz": str(self.tz),
            "vpbx_ids": list(self.vpbx_ids),
        }


def _calls(db: Database, period: Period, window: timedelta) -> tuple[list[CallFacts], list[Case]]:
    ahead = (period.end + window).date()  # the last day a call may resolve a case on
    everything = list(load(db, period.first, ahead, period.tz, period.vpbx_ids))
    found = cases(everything, window, until=period.end)
    return [c for c in everything if c.when < period.end], found


def missed_cases(db: Database, period: Period, window: timedelta) -> list[Case]:
    return _calls(db, period, window)[1]


def report(
    db: Database,
    period: Period,
    by: str | None = None,
    sl_seconds: int = 20,
    short_abandon_seconds: int = 5,
    window: timedelta = timedelta(hours=24),
) -> dict[str, Any]:
    """``{"period": ..., "kpis": {...}, "groups": [...]}`` for the period."""
    if by is not None and by not in GROUPINGS:
        raise UsageError(f"Cannot break down by {by!r}: use one of {', '.join(GROUPINGS)}.")
    calls, found = _calls(db, period, window)
    totals = kpis(calls, sl_seconds, short_abandon_seconds) | callback_summary(found)
    groups: list[dict[str, Any]] = []
    if by is not None:
        key = GROUPINGS[by]
        buckets: dict[Any, list[CallFacts]] = {}
        for call in calls:
            value = key(call)
            if value is not None:
                buckets.setdefault(value, []).append(call)
        for value in sorted(buckets, key=lambda v: (str(type(v)), v)):
            members = buckets[value]
            entry = {
                "by": by,
                "key": value,
                "kpis": kpis(members, sl_seconds, short_abandon_seconds),
            }
            if by == "operator":
                entry["calls_handled"] = len(members)
                entry["talk_seconds"] = sum(c.talktime for c in members)
            groups.append(entry)
    return {"period": period.as_dict(), "kpis": totals, "groups": groups}


def parse_window(text: str) -> timedelta:
    """``24h``, ``2d``, ``90m`` or a number of hours."""
    value = text.strip().lower()
    units = {"h": 3600, "d": 86400, "m": 60}
    try:
        if value[-1:] in units:
            return timedelta(seconds=float(value[:-1]) * units[value[-1]])
        return timedelta(hours=float(value))
    except ValueError:
        raise UsageError(f"--window {text!r} is not a duration: use e.g. 24h, 2d or 90m.") from None


__all__ = ["GROUPINGS", "Period", "missed_cases", "parse_window", "report"]
