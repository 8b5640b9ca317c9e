"""KPIs against a small hand-built dataset whose answers were worked out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mcn_calls.reports import KPI_KEYS, CallFacts, kpis, nearest_rank, number_key

MSK = ZoneInfo("Europe/Moscow")
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=MSK)


def call(
    n: int,
    type: str,
    status: str,
    wait: int = 0,
    talk: int = 0,
    src: str | None = None,
    dst: str | None = None,
    dst_name: str | None = None,
) -> CallFacts:
    return CallFacts(
        vpbx_id=1,
        callid=str(n),
        when=T0 + timedelta(minutes=n),
        type=type,
        status=status,
        waittime=wait,
        talktime=talk,
        src=number_key(src),
        dst=number_key(dst),
        dst_name=dst_name,
        did="74950000000",
    )


A, B, C, D, E = "79140000001", "79140000002", "79140000003", "79140000004", "79140000005"
DATASET = [
    call(1, "inb", "ANSWERED", wait=10, talk=100, src=A),
    call(2, "inb", "ANSWERED", wait=30, talk=200, src=B),
    call(3, "inb", "LOST", wait=3, src=C),  # a short abandon (< 5 s)
    call(4, "inb", "LOST", wait=60, src=A),
    call(5, "inb", "NO ANSWER", wait=25, src=D),
    call(6, "inb", "BUSY", src=B),
    call(7, "inb", "FAILED", src=E),
    call(8, "out", "ANSWERED", wait=5, talk=50, src="101", dst=C),
    call(9, "out", "NO ANSWER", wait=30, src="101", dst=D),
    call(
        10, "int", "ANSWERED", wait=2, talk=40, src="101", dst="102"
    ),  # internal: no KPI but counts
]


def test_kpis_worked_out_by_hand() -> None:
    assert kpis(DATASET) == {
        "total": 10,
        "inbound": 7,
        "outbound": 2,
        "internal": 1,
        "answered": 2,
        "lost": 2,
        "no_answer": 1,
        "busy": 1,
        "failed": 1,
        "answer_rate": 0.2857,  # 2 / 7
        "abandon_rate": 0.1667,  # (2 lost - 1 short) / (7 - 1 short)
        "short_abandons": 1,
        "asa_seconds": 20.0,  # (10 + 30) / 2
        "service_level": 0.1667,  # 1 answered within 20 s / (7 - 1)
        "avg_talk_seconds": 97.5,  # (100 + 200 + 50 + 40) / 4 answered calls
        "wait_p50_seconds": 25,  # waits 3 10 25 30 60: rank ceil(2.5) = 3
        "wait_p90_seconds": 60,  # rank ceil(4.5) = 5
        "max_wait_seconds": 60,
        "unique_callers": 5,  # A B C D E
        "repeat_callers": 2,  # A and B called twice
    }


def test_thresholds_move_the_rates() -> None:
    strict = kpis(DATASET, sl_seconds=5, short_abandon_seconds=1)
    assert strict["short_abandons"] == 0
    assert strict["abandon_rate"] == 0.2857  # 2 / 7
    assert strict["service_level"] == 0.0  # no answer within 5 s
    assert kpis(DATASET, sl_seconds=30)["service_level"] == 0.3333  # 2 / 6


def test_internal_calls_do_not_change_inbound_kpis() -> None:
    without = [c for c in DATASET if c.type != "int"]
    a, b = kpis(DATASET), kpis(without)
    for key in KPI_KEYS:
        if key not in ("total", "internal", "avg_talk_seconds"):
            assert a[key] == b[key], key
    assert b["avg_talk_seconds"] == 116.67  # (100 + 200 + 50) / 3


def test_an_empty_period() -> None:
    empty = kpis([])
    assert set(empty) == set(KPI_KEYS)
    assert all(empty[k] == 0 for k in ("total", "inbound", "answered", "unique_callers"))
    assert all(
        empty[k] is None
        for k in (
            "answer_rate",
            "abandon_rate",
            "asa_seconds",
            "service_level",
            "wait_p50_seconds",
            "max_wait_seconds",
        )
    )


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([5], 50, 5),
        ([1, 2], 50, 1),
        ([1, 2, 3, 4], 90, 4),
        ([], 50, None),
        (list(range(1, 101)), 90, 90),
    ],
)
def test_nearest_rank(values: list[int], p: float, expected: int | None) -> None:
    assert nearest_rank(values, p) == expected


@pytest.mark.parametrize(
    "spelling",
    ["+7 914 027-07-77", "89140270777", "79140270777", "9140270777", "8 (914) 027 07 77"],
)
def test_one_russian_number_however_written(spelling: str) -> None:
    assert number_key(spelling) == "79140270777"


def test_extensions_and_foreign_numbers_keep_their_digits() -> None:
    assert number_key("101") == "101"
    assert number_key("+44 20 7946 0958") == "442079460958"
    assert number_key(None) is None


def test_a_lost_call_waiting_exactly_the_threshold_is_an_abandon_not_a_short_one() -> None:
    edge = [call(1, "inb", "LOST", wait=5, src=A), call(2, "inb", "ANSWERED", wait=20, src=B)]
    result = kpis(edge, sl_seconds=20, short_abandon_seconds=5)
    assert result["short_abandons"] == 0
    assert result["abandon_rate"] == 0.5  # 1 / 2
    assert result["service_level"] == 0.5  # answered at exactly 20 s is within the SL
