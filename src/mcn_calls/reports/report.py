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
from .kpis import KpiCounter
from .missed import Case, CaseTracker, callback_summary

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: What ``--by`` can break a report down by: the key of a call in each group.
GROUPINGS: dict[str, Callable[[CallFacts], Any]] = {
    "day": lambda c: c.when.date().isoformat(),
    "hour": lambda c: c.when.hour,
    "weekday": lambda c: _WEEKDAYS[c.when.weekday()],
    "did": lambda c: c.did,
    "operator": lambda c: c.dst_name if c.status == "ANSWERED" else None,
    "queue": lambda c: c.queue or None,
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


def _look_ahead(period: Period, window: timedelta) -> date:
    """The last day a call may resolve a case of the period on."""
    return (period.end + window).date()


def missed_cases(db: Database, period: Period, window: timedelta) -> list[Case]:
    tracker = CaseTracker(window, until=period.end)
    for call in load(db, period.first, _look_ahead(period, window), period.tz, period.vpbx_ids):
        tracker.add(call)
    return tracker.result()


def report(
    db: Database,
    period: Period,
    by: str | None = None,
    sl_seconds: int = 20,
    short_abandon_seconds: int = 5,
    window: timedelta = timedelta(hours=24),
) -> dict[str, Any]:
    """``{"period": ..., "kpis": {...}, "groups": [...]}`` for the period, in one pass."""
    if by is not None and by not in GROUPINGS:
        raise UsageError(f"Cannot break down by {by!r}: use one of {', '.join(GROUPINGS)}.")
    totals = KpiCounter(sl_seconds, short_abandon_seconds)
    tracker = CaseTracker(window, until=period.end)
    key = GROUPINGS[by] if by is not None else None
    buckets: dict[Any, KpiCounter] = {}
    handled: dict[Any, list[int]] = {}
    end = period.end
    queues = by == "queue"
    unknown_queue: dict[date, int] = {}  # calls of unknown queue, by day
    calls = load(
        db, period.first, _look_ahead(period, window), period.tz, period.vpbx_ids, queue=queues
    )
    for call in calls:
        tracker.add(call)
        if call.when >= end:
            continue  # read only to see whether a case of the period was resolved
        totals.add(call)
        if queues and call.queue == "" and call.type == "inb":
            day = call.when.date()
            unknown_queue[day] = unknown_queue.get(day, 0) + 1
        if key is not None and (value := key(call)) is not None:
            bucket = buckets.get(value)
            if bucket is None:
                bucket = buckets[value] = KpiCounter(sl_seconds, short_abandon_seconds)
                handled[value] = [0, 0]
            bucket.add(call)
            handled[value][0] += 1
            handled[value][1] += call.talktime
    if unknown_queue:
        raise UsageError(
            f"{sum(unknown_queue.values())} inbound calls were synced without their events, "
            "so their queue is unknown: run `mcn-calls sync --detailed "
            f"--from {min(unknown_queue)} --to {max(unknown_queue)}"
            + "".join(f" --vpbx {v}" for v in period.vpbx_ids)
            + "` first."
        )
    groups: list[dict[str, Any]] = []
    for value in sorted(buckets, key=lambda v: (str(type(v)), v)):
        entry: dict[str, Any] = {"by": by, "key": value, "kpis": buckets[value].result()}
        if by == "operator":
            entry["calls_handled"], entry["talk_seconds"] = handled[value]
        groups.append(entry)
    summary = totals.result() | callback_summary(tracker.result())
    return {"period": period.as_dict(), "kpis": summary, "groups": groups}


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
