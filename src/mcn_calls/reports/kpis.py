"""The KPIs of a set of calls, each as the README defines it.

Counts: ``total``, ``inbound``, ``outbound``, ``internal``; inbound by status:
``answered``, ``lost``, ``no_answer``, ``busy``, ``failed``. A *short abandon*
is an inbound LOST call that waited less than ``short_abandon_seconds``.

- ``answer_rate`` = inbound answered / inbound
- ``abandon_rate`` = (inbound LOST − short abandons) / (inbound − short abandons)
- ``asa_seconds`` = mean wait of answered inbound calls
- ``service_level`` = inbound answered within ``sl_seconds`` / (inbound − short abandons)
- ``avg_talk_seconds`` = mean talk time of answered calls (any direction)
- ``wait_p50_seconds``, ``wait_p90_seconds`` (nearest rank), ``max_wait_seconds``:
  over inbound calls that waited (wait > 0)
- ``unique_callers``: distinct inbound numbers; ``repeat_callers``: of those, the
  ones that called more than once

A rate or mean with nothing to divide by is ``null``. Rates are rounded to 4
places, seconds to 2, so the same data gives the same JSON on every database.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .facts import CallFacts

KPI_KEYS = (
    "total",
    "inbound",
    "outbound",
    "internal",
    "answered",
    "lost",
    "no_answer",
    "busy",
    "failed",
    "answer_rate",
    "abandon_rate",
    "short_abandons",
    "asa_seconds",
    "service_level",
    "avg_talk_seconds",
    "wait_p50_seconds",
    "wait_p90_seconds",
    "max_wait_seconds",
    "unique_callers",
    "repeat_callers",
)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole > 0 else None


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def nearest_rank(values: list[int], percent: float) -> int | None:
    """The nearest-rank percentile: the smallest value with ``percent`` % at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


class KpiCounter:
    """KPIs computed in one pass: :meth:`add` each call, then :meth:`result`."""

    __slots__ = (
        "answered_in_sl",
        "answered_waits",
        "callers",
        "kinds",
        "short",
        "short_abandon_seconds",
        "sl_seconds",
        "statuses",
        "talks",
        "waits",
    )

    def __init__(self, sl_seconds: int = 20, short_abandon_seconds: int = 5) -> None:
        self.sl_seconds = sl_seconds
        self.short_abandon_seconds = short_abandon_seconds
        self.kinds: Counter[str | None] = Counter()
        self.statuses: Counter[str | None] = Counter()
        self.short = self.answered_in_sl = 0
        self.answered_waits: list[int] = []
        self.talks: list[int] = []
        self.waits: list[int] = []
        self.callers: Counter[str] = Counter()

    def add(self, call: CallFacts) -> None:
        self.kinds[call.type] += 1
        if call.status == "ANSWERED":
            self.talks.append(call.talktime)
        if call.type != "inb":
            return
        self.statuses[call.status] += 1
        if call.src:
            self.callers[call.src] += 1
        if call.waittime > 0:
            self.waits.append(call.waittime)
        if call.status == "ANSWERED":
            self.answered_waits.append(call.waittime)
            self.answered_in_sl += call.waittime <= self.sl_seconds
        elif call.status == "LOST" and call.waittime < self.short_abandon_seconds:
            self.short += 1

    def result(self) -> dict[str, Any]:
        kinds, statuses, short, waits = self.kinds, self.statuses, self.short, self.waits
        inbound = kinds["inb"]
        counted = inbound - short
        return {
            "total": sum(kinds.values()),
            "inbound": inbound,
            "outbound": kinds["out"],
            "internal": kinds["int"],
            "answered": statuses["ANSWERED"],
            "lost": statuses["LOST"],
            "no_answer": statuses["NO ANSWER"],
            "busy": statuses["BUSY"],
            "failed": statuses["FAILED"],
            "answer_rate": _ratio(statuses["ANSWERED"], inbound),
            "abandon_rate": _ratio(statuses["LOST"] - short, counted),
            "short_abandons": short,
            "asa_seconds": _mean(self.answered_waits),
            "service_level": _ratio(self.answered_in_sl, counted),
            "avg_talk_seconds": _mean(self.talks),
            "wait_p50_seconds": nearest_rank(waits, 50),
            "wait_p90_seconds": nearest_rank(waits, 90),
            "max_wait_seconds": max(waits) if waits else None,
            "unique_callers": len(self.callers),
            "repeat_callers": sum(1 for n in self.callers.values() if n > 1),
        }


def kpis(
    calls: Iterable[CallFacts], sl_seconds: int = 20, short_abandon_seconds: int = 5
) -> dict[str, Any]:
    """The KPIs of ``calls`` (see the module's docstring)."""
    counter = KpiCounter(sl_seconds, short_abandon_seconds)
    for call in calls:
        counter.add(call)
    return counter.result()
