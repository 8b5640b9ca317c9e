"""The generated traffic is realistic and its numbers hold together."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from mcn_calls import parse_call
from mcn_calls.emulator.events import build_events, event_plan
from mcn_calls.emulator.profile import Pbx, build_pbx
from mcn_calls.emulator.traffic import DayGenerator, new_carry

FIRST = date(2026, 10, 26)  # a Monday
DAYS = 28


@pytest.fixture(scope="module")
def pbx() -> Pbx:
    return build_pbx(seed=3, account_id=100001, index=0, taken=set())


@pytest.fixture(scope="module")
def calls(pbx: Pbx) -> list[dict]:  # type: ignore[type-arg]
    gen = DayGenerator(pbx, seed=3, calls_per_day=150, days=DAYS)
    carry = new_carry(pbx)
    out = []
    for i in range(DAYS):
        out += gen.day(FIRST + timedelta(days=i), carry)
    return out


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_numbers_hold_together(calls: list[dict]) -> None:  # type: ignore[type-arg]
    for c in calls:
        start, end = _t(c["date"]), _t(c["end_date"])
        assert end - start == timedelta(seconds=c["waittime"] + c["talktime"])
        assert c["talktime"] <= c["billsec"]
        if c["status"] == "ANSWERED":
            assert _t(c["answer_date"]) == start + timedelta(seconds=c["waittime"])
            assert c["talktime"] > 0
        else:
            assert c["answer_date"] == "" and c["talktime"] == 0 and c["billsec"] == 0
            assert c["has_record"] == 0


def test_callid_epoch_is_the_moscow_date(calls: list[dict]) -> None:  # type: ignore[type-arg]
    seen = set()
    for c in calls:
        node, _, rest = c["callid"].partition("-")
        epoch, _, seq = rest.partition(".")
        assert node.isdigit() and seq.isdigit()
        assert int(epoch) == int(parse_call(c).date.timestamp())
        seen.add(c["callid"])
    assert len(seen) == len(calls)


def test_real_traffic_spelling(calls: list[dict]) -> None:  # type: ignore[type-arg]
    kinds = Counter(c["type"] for c in calls)
    assert set(kinds) == {"inb", "out", "int"}
    assert kinds["inb"] > kinds["out"] > kinds["int"] > 0
    for c in calls:
        if c["type"] == "int":
            assert c["did"] == "" and c["src_type"] == c["dst_type"] == "phone"
        else:
            assert isinstance(c["did"], int)
        if c["type"] == "inb":
            assert c["src_type"] == "pstn" and c["src_name"] == c["src_num"]
        assert c["has_record"] in (0, 1)


def test_business_hours_and_weekdays(calls: list[dict]) -> None:  # type: ignore[type-arg]
    hours = Counter(_t(c["date"]).hour for c in calls)
    business = sum(n for h, n in hours.items() if 9 <= h < 18)
    assert business / len(calls) > 0.7
    per_weekday = Counter(_t(c["date"]).weekday() for c in calls)
    assert min(per_weekday[d] for d in range(5)) > 2 * max(per_weekday[5], per_weekday[6])


def test_queue_and_direct_outcomes(pbx: Pbx, calls: list[dict]) -> None:  # type: ignore[type-arg]
    inbound = [c for c in calls if c["type"] == "inb"]
    queued = [c for c in inbound if pbx.queue_for(c["did"]) is not None]
    direct = [c for c in inbound if pbx.queue_for(c["did"]) is None]
    assert {c["status"] for c in queued} == {"ANSWERED", "LOST"}
    assert {c["status"] for c in direct} == {"ANSWERED", "NO ANSWER", "BUSY", "FAILED"}
    lost = [c for c in queued if c["status"] == "LOST"]
    assert all(
        c["dst_type"] == "queue" and c["dst_name"] in {q.name for q in pbx.queues} for c in lost
    )
    assert any(c["waittime"] < 5 for c in lost), "some callers hang up at once"
    operators = {op.name for op in pbx.operators}
    answered = [c for c in inbound if c["status"] == "ANSWERED"]
    assert {c["dst_name"] for c in answered} <= operators
    assert all(any("\u0400" <= ch <= "\u04ff" for ch in name) for name in operators)
    assert len({c["did"] for c in inbound}) == 3
    with_record = sum(c["has_record"] for c in answered) / len(answered)
    assert 0.75 < with_record < 0.98


def test_repeat_callers_and_call_backs(calls: list[dict]) -> None:  # type: ignore[type-arg]
    inbound = Counter(c["src_num"] for c in calls if c["type"] == "inb")
    assert sum(1 for n in inbound.values() if n > 1) > 20
    missed_at: dict[str, str] = {}
    callbacks = 0
    for c in calls:
        if c["type"] == "inb" and c["status"] != "ANSWERED":
            missed_at.setdefault(c["src_num"], c["date"])
        elif c["type"] == "out" and c["dst_num"] in missed_at:
            assert missed_at.pop(c["dst_num"]) < c["date"]
            callbacks += 1
    assert callbacks > 50


def test_events_follow_the_record(pbx: Pbx, calls: list[dict]) -> None:  # type: ignore[type-arg]
    for c in calls[:500]:
        events = build_events(pbx, c)
        assert [e["event_type"] for e in events] == list(event_plan(pbx, c))
        assert len(events) == c["events_count"]
        parsed = parse_call({**c, "events": events})
        assert parsed.events is not None
        for event in parsed.events:
            if event.event_type == "api":
                assert event.event_additional_info["api_vars"]["scenario_client_variables_1"] == {
                    "short_num_found": False,
                    "vpbx_id": pbx.vpbx_id,
                }


def test_same_seed_same_calls_other_seed_other_calls(pbx: Pbx) -> None:
    def one_day(seed: int) -> list[dict]:  # type: ignore[type-arg]
        return DayGenerator(pbx, seed, 100, 30).day(FIRST, new_carry(pbx))

    assert one_day(3) == one_day(3)
    assert one_day(3) != one_day(4)
