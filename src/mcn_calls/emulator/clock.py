"""PBX local time as the API speaks it: Moscow, no offset in the string."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

MSK = ZoneInfo("Europe/Moscow")


def fmt(moment: datetime) -> str:
    """``2024-12-23 01:04:50``: the API's date format (PBX local time, no offset)."""
    return moment.replace(microsecond=0).isoformat(" ")


def parse_local(text: str) -> datetime:
    """The inverse of :func:`fmt` (naive local time)."""
    return datetime.fromisoformat(text)


def day_start(day: date) -> datetime:
    """Midnight of ``day``, naive local time."""
    return datetime(day.year, day.month, day.day)


def epoch_of(local: datetime) -> int:
    """UTC epoch seconds of a naive Moscow local time."""
    return int(local.replace(tzinfo=MSK).timestamp())


def now_local() -> datetime:
    """The current Moscow time, naive, to the second."""
    return datetime.now(MSK).replace(tzinfo=None, microsecond=0)


def today_local() -> date:
    return now_local().date()


def add(moment: datetime, seconds: int) -> datetime:
    return moment + timedelta(seconds=seconds)
