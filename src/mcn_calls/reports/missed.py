"""Missed-call follow-up: the cases a supervisor works through every morning.

A miss is an inbound call that ended LOST, NO ANSWER, BUSY or FAILED. Misses
from one number (numbers compared with :func:`~.numbers.number_key`) in one PBX
collapse into one case, which keeps its first time and counts the attempts. A
case is **called back** when an answered outbound call goes to that number
within ``window`` after the first miss, **reached** when a later inbound call
from it is answered within the window, whichever comes first; otherwise it stays
**open**. A miss after a case was resolved, or after its window ended, starts a
new case.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .facts import CallFacts

MISSED = frozenset({"LOST", "NO ANSWER", "BUSY", "FAILED"})


@dataclass
class Case:
    vpbx_id: int
    number: str
    first_missed_at: datetime
    attempts: int = 1
    state: str = "open"
    resolved_at: datetime | None = None

    @property
    def time_to_callback_seconds(self) -> int | None:
        if self.state != "called_back" or self.resolved_at is None:
            return None
        return int((self.resolved_at - self.first_missed_at).total_seconds())

    def as_dict(self) -> dict[str, object]:
        return {
            "vpbx_id": self.vpbx_id,
            "number": self.number,
            "first_missed_at": self.first_missed_at.isoformat(),
            "attempts": self.attempts,
            "state": self.state,
            "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
            "time_to_callback_seconds": self.time_to_callback_seconds,
        }


class CaseTracker:
    """Missed-call cases built in one pass over calls in time order."""

    def __init__(self, window: timedelta, until: datetime | None = None) -> None:
        self.window = window
        self.until = until
        self.done: list[Case] = []
        self.active: dict[tuple[int, str], Case] = {}

    def add(self, call: CallFacts) -> None:
        active, window = self.active, self.window
        if call.type == "inb" and call.src:
            key = (call.vpbx_id, call.src)
            case = active.get(key)
            if case is not None and call.when > case.first_missed_at + window:
                self.done.append(active.pop(key))  # its window ended unresolved
                case = None
            if call.status in MISSED:
                if self.until is not None and call.when >= self.until:
                    return
                if case is None:
                    active[key] = Case(call.vpbx_id, call.src, call.when)
                else:
                    case.attempts += 1
            elif call.status == "ANSWERED" and case is not None:
                case.state, case.resolved_at = "reached", call.when
                self.done.append(active.pop(key))
        elif call.type == "out" and call.status == "ANSWERED" and call.dst:
            key = (call.vpbx_id, call.dst)
            case = active.get(key)
            if case is None:
                return
            if call.when <= case.first_missed_at + window:
                case.state, case.resolved_at = "called_back", call.when
            self.done.append(active.pop(key))

    def result(self) -> list[Case]:
        found = self.done + list(self.active.values())
        found.sort(key=lambda c: (c.first_missed_at, c.vpbx_id, c.number))
        return found


def cases(
    calls: Iterable[CallFacts], window: timedelta, until: datetime | None = None
) -> list[Case]:
    """The cases of ``calls`` (in time order). Misses from ``until`` on start no case,
    but calls after it still resolve the cases before (pass the window's look-ahead)."""
    tracker = CaseTracker(window, until)
    for call in calls:
        tracker.add(call)
    return tracker.result()


def callback_summary(found: list[Case]) -> dict[str, float | None]:
    """``callback_rate`` (called back / cases) and ``median_time_to_callback_seconds``."""
    waits = [c.time_to_callback_seconds for c in found if c.state == "called_back"]
    return {
        "callback_rate": round(len(waits) / len(found), 4) if found else None,
        "median_time_to_callback_seconds": statistics.median(waits) if waits else None,  # type: ignore[type-var]
    }
