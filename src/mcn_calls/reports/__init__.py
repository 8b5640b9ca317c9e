"""Reports over the synced database: KPIs a supervisor acts on, missed-call follow-up."""

from .facts import CallFacts, load
from .kpis import KPI_KEYS, KpiCounter, kpis, nearest_rank
from .missed import MISSED, Case, CaseTracker, callback_summary, cases
from .numbers import number_key
from .report import GROUPINGS, Period, missed_cases, parse_window, report

__all__ = [
    "GROUPINGS",
    "KPI_KEYS",
    "MISSED",
    "CallFacts",
    "Case",
    "CaseTracker",
    "KpiCounter",
    "Period",
    "callback_summary",
    "cases",
    "kpis",
    "load",
    "missed_cases",
    "nearest_rank",
    "number_key",
    "parse_window",
    "report",
]
