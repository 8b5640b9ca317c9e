"""Missed-call cases against hand-built calls, edges included."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mcn_calls.reports import CallFacts, callback_summary, cases, number_key

MSK = ZoneInfo("Europe/Moscow")
DAY = timedelta(hours=24)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=MSK)


def inb(when: datetime, status: str, src: str, vpbx: int = 1) -> CallFacts:
    return CallFacts(
        vpbx,
        f"i{when.timestamp()}{src}",
        when,
        "inb",
        status,
        10,
        0,
        number_key(src),
        "500",
        "Очередь",
        "74950000000",
    )


def out(when: datetime, status: str, dst: str, vpbx: int = 1) -> CallFacts:
    return CallFacts(
        vpbx,
        f"o{when.timestamp()}{dst}",
        when,
        "out",
        status,
        5,
        60,
        "101",
        number_key(dst),
        None,
        "74950000000",
    )


def as_dicts(calls: list[CallFacts], window: timedelta = DAY) -> list[dict]:  # type: ignore[type-arg]
    return [c.as_dict() for c in cases(sorted(calls, key=lambda c: c.when), window)]


def test_repeat_misses_collapse_and_a_call_back_in_another_format_resolves() -> None:
    found = as_dicts(
        [
            inb(at(20, 10), "LOST", "+7 914 027-07-77"),
            inb(at(20, 10, 30), "NO ANSWER", "89140270777"),
            out(at(20, 10, 45), "NO ANSWER", "79140270777"),  # not answered: no call-back
            out(at(20, 11), "ANSWERED", "8 914 027 07 77"),
        ]
    )
    assert found == [
        {
            "vpbx_id": 1,
            "number": "79140270777",
            "first_missed_at": "2026-11-20T10:00:00+03:00",
            "attempts": 2,
            "state": "called_back",
            "resolved_at": "2026-11-20T11:00:00+03:00",
            "time_to_callback_seconds": 3600,
        }
    ]


def test_a_call_back_just_outside_the_window_leaves_the_case_open() -> None:
    late = as_dicts(
        [inb(at(20, 9), "BUSY", "79000000001"), out(at(21, 9, 0, 1), "ANSWERED", "79000000001")]
    )
    assert [(c["state"], c["resolved_at"]) for c in late] == [("open", None)]
    assert late[0]["time_to_callback_seconds"] is None
    on_time = as_dicts(
        [inb(at(20, 9), "BUSY", "79000000001"), out(at(21, 9), "ANSWERED", "79000000001")]
    )
    assert on_time[0]["state"] == "called_back"
    assert on_time[0]["time_to_callback_seconds"] == 86400


def test_reached_then_a_new_miss_starts_a_new_case() -> None:
    found = as_dicts(
        [
            inb(at(20, 12), "LOST", "79000000003"),
            inb(at(20, 13), "ANSWERED", "79000000003"),  # they got through: reached
            inb(at(20, 14), "FAILED", "79000000003"),  # after resolution: a new case
        ]
    )
    assert [(c["first_missed_at"][11:16], c["state"], c["attempts"]) for c in found] == [
        ("12:00", "reached", 1),
        ("14:00", "open", 1),
    ]
    assert found[0]["resolved_at"] == "2026-11-20T13:00:00+03:00"
    assert found[0]["time_to_callback_seconds"] is None


def test_a_miss_after_the_window_ended_starts_a_new_case() -> None:
    found = as_dicts(
        [
            inb(at(20, 8), "LOST", "79000000004"),
            inb(at(21, 9), "LOST", "79000000004"),
            out(at(21, 10), "ANSWERED", "79000000004"),
        ]
    )
    assert [(c["first_missed_at"][:13], c["state"]) for c in found] == [
        ("2026-11-20T08", "open"),
        ("2026-11-21T09", "called_back"),
    ]


def test_internal_calls_answered_calls_and_other_pbxs_make_no_case() -> None:
    internal = CallFacts(1, "x", at(20, 9), "int", "NO ANSWER", 20, 0, "101", "102", "Анна", "")
    found = as_dicts(
        [
            internal,
            inb(at(20, 9), "ANSWERED", "79000000005"),
            inb(at(20, 10), "LOST", "79000000006", vpbx=1),
            out(at(20, 11), "ANSWERED", "79000000006", vpbx=2),
        ]
    )
    assert [(c["vpbx_id"], c["number"], c["state"]) for c in found] == [(1, "79000000006", "open")]


def test_misses_after_the_period_start_no_case_but_resolve_earlier_ones() -> None:
    calls = sorted(
        [
            inb(at(20, 23), "LOST", "79000000007"),
            inb(at(21, 9), "LOST", "79000000008"),
            inb(at(21, 10), "ANSWERED", "79000000007"),
        ],
        key=lambda c: c.when,
    )
    found = cases(calls, DAY, until=at(21, 0))
    assert [(c.number, c.state) for c in found] == [("79000000007", "reached")]


def test_callback_rate_and_median() -> None:
    found = cases(
        sorted(
            [
                inb(at(20, 9), "LOST", "79000000011"),
                out(at(20, 9, 10), "ANSWERED", "79000000011"),
                inb(at(20, 9), "LOST", "79000000012"),
                out(at(20, 9, 30), "ANSWERED", "79000000012"),
                inb(at(20, 9), "LOST", "79000000013"),
                out(at(20, 10), "ANSWERED", "79000000013"),
                inb(at(20, 9), "LOST", "79000000014"),
            ],
            key=lambda c: c.when,
        ),
        DAY,
    )
    assert callback_summary(found) == {
        "callback_rate": 0.75,  # 3 of 4
        "median_time_to_callback_seconds": 1800,
    }  # 600 1800 3600
    assert callback_summary([]) == {"callback_rate": None, "median_time_to_callback_seconds": None}
