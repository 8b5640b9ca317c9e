"""The emulated API over a real socket: answers, paging, dates, errors."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from mcn_calls.emulator import Running

from ..support import all_pages, auth, call_log_url, vpbx_ids

SPEC_FIELDS = {
    "callid",
    "date",
    "type",
    "src_num",
    "src_name",
    "src_type",
    "dst_num",
    "dst_name",
    "dst_type",
    "did",
    "waittime",
    "talktime",
    "billsec",
    "status",
    "has_record",
}
EXTRA_FIELDS = {
    "hangup_reason",
    "answer_date",
    "end_date",
    "did_num",
    "events_count",
    "vpbx_id",
    "transfered_linked_to",
}
EVENT_FIELDS = {
    "event_type",
    "event_status",
    "event_dst_num",
    "event_dst_name",
    "event_dst_type",
    "event_did",
    "event_transfered_from",
    "event_start_time",
    "event_end_time",
    "event_answer_time",
    "event_talk_time",
    "event_wait_time",
    "event_total_time",
    "event_rec_filename",
    "event_leg_link_uniqueid_orig",
    "speechkit_dialog",
    "event_additional_info",
}
DAY = "2026-11-24"  # a Tuesday inside the 30 days of history


def test_vpbx_list_with_bearer_and_with_user_hash(emulator: Running, http: httpx.Client) -> None:
    url = f"{emulator.base_url}/account/100001/vpbx"
    by_header = http.get(url, headers=auth())
    by_hash = http.get(url, params={"user_hash": "t0k"})
    assert by_header.status_code == by_hash.status_code == 200
    assert by_header.content == by_hash.content
    body = by_header.json()
    assert body["code"] == 200
    assert [item["vpbx_id"] for item in body["items"]] == vpbx_ids(emulator)
    assert all(item["status"] == "active" and item["name"] for item in body["items"])
    other = http.get(f"{emulator.base_url}/account/100002/vpbx", headers=auth(100002)).json()
    assert {i["vpbx_id"] for i in other["items"]}.isdisjoint(vpbx_ids(emulator))


def test_a_day_of_calls_carries_every_spec_field_in_real_traffic_spelling(
    emulator: Running, http: httpx.Client
) -> None:
    vpbx = vpbx_ids(emulator)[0]
    answer = http.get(
        call_log_url(emulator, vpbx), params={"date_from": DAY, "date_to": DAY}, headers=auth()
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    items = body["items"]
    assert body["code"] == 200 and body["total"] == len(items) > 10
    for item in items:
        assert set(item) == SPEC_FIELDS | EXTRA_FIELDS
        assert item["date"].startswith(DAY)
        assert item["type"] in ("inb", "out", "int")
        assert item["src_type"] in ("pstn", "phone")
        assert item["vpbx_id"] == str(vpbx)
        assert item["has_record"] in (0, 1)
    inbound = [i for i in items if i["type"] == "inb"]
    assert inbound and all(isinstance(i["did"], int) for i in inbound)
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)


def test_request_detailed_adds_events_with_api_vars(emulator: Running, http: httpx.Client) -> None:
    vpbx = vpbx_ids(emulator)[0]
    params = {"date_from": DAY, "date_to": DAY}
    plain = http.get(call_log_url(emulator, vpbx), params=params, headers=auth()).json()["items"]
    detailed = http.get(
        call_log_url(emulator, vpbx), params={**params, "request_detailed": 1}, headers=auth()
    ).json()["items"]
    assert [c["callid"] for c in plain] == [c["callid"] for c in detailed]
    for short, full in zip(plain, detailed, strict=True):
        events = full["events"]
        assert {k: v for k, v in full.items() if k != "events"} == short
        assert len(events) == short["events_count"] > 0
        for event in events:
            assert set(event) == EVENT_FIELDS
        assert events[-1]["event_type"] == "hangup"
    api_vars = [
        e["event_additional_info"]["api_vars"]
        for c in detailed
        for e in c["events"]
        if e["event_type"] == "api"
    ]
    assert api_vars and all(isinstance(v, str) and v.startswith("{account_id:") for v in api_vars)


@pytest.mark.parametrize("limit", [1, 97, 1000])
def test_paging_a_30_day_range_returns_every_call_exactly_once(
    emulator: Running, http: httpx.Client, limit: int
) -> None:
    vpbx = vpbx_ids(emulator)[1]
    first, last = "2026-10-27", "2026-11-25"
    if limit == 1:  # a page per call is slow: check a day that way, the month otherwise
        first = last = DAY
    items = all_pages(http, emulator, vpbx, first, last, limit)
    ids = [i["callid"] for i in items]
    assert not [c for c, n in Counter(ids).items() if n > 1]
    total = http.get(
        call_log_url(emulator, vpbx),
        params={"date_from": first, "date_to": last, "limit": 1},
        headers=auth(),
    ).json()["total"]
    assert len(ids) == total
    stored = emulator.emulator.store.between(vpbx, f"{first} 00:00:00", f"{last} 23:59:59")
    assert set(ids) == {c["callid"] for c in stored}


def test_limit_above_the_cap_is_cut_to_the_cap(emulator: Running, http: httpx.Client) -> None:
    vpbx = vpbx_ids(emulator)[0]
    cap = emulator.emulator.config.max_limit
    body = http.get(
        call_log_url(emulator, vpbx),
        headers=auth(),
        params={"date_from": "2026-10-27", "date_to": "2026-11-25", "limit": cap * 10},
    ).json()
    assert body["total"] > len(body["items"]) or len(body["items"]) <= cap
    default = http.get(
        call_log_url(emulator, vpbx),
        headers=auth(),
        params={"date_from": "2026-10-27", "date_to": "2026-11-25"},
    ).json()
    assert len(default["items"]) == min(default["total"], emulator.emulator.config.default_limit)


def test_datetime_bounds_are_inclusive_and_whole_days_cover_the_day(
    emulator: Running, http: httpx.Client
) -> None:
    vpbx = vpbx_ids(emulator)[0]
    day = http.get(
        call_log_url(emulator, vpbx), headers=auth(), params={"date_from": DAY, "date_to": DAY}
    ).json()["items"]
    pick = day[len(day) // 2]
    exact = http.get(
        call_log_url(emulator, vpbx),
        headers=auth(),
        params={"date_from": pick["date"], "date_to": pick["date"]},
    ).json()["items"]
    assert pick["callid"] in {c["callid"] for c in exact}
    assert all(c["date"] == pick["date"] for c in exact)
    morning = http.get(
        call_log_url(emulator, vpbx),
        headers=auth(),
        params={"date_from": f"{DAY} 00:00:00", "date_to": f"{DAY} 11:59:59"},
    ).json()["items"]
    afternoon = http.get(
        call_log_url(emulator, vpbx),
        headers=auth(),
        params={"date_from": f"{DAY} 12:00:00", "date_to": f"{DAY} 23:59:59"},
    ).json()["items"]
    assert [c["callid"] for c in morning + afternoon] == [c["callid"] for c in day]


def _error(answer: httpx.Response, status: int) -> str:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert set(body) == {"status", "code", "errors"}
    assert body["status"] == "error" and body["code"] == status
    assert set(body["errors"]) == {"description"}
    text: str = body["errors"]["description"]
    assert text.endswith(".") and "\n" not in text and "t0k" not in text
    return text


def test_missing_or_unknown_token_is_401(emulator: Running, http: httpx.Client) -> None:
    url = f"{emulator.base_url}/account/100001/vpbx"
    assert "Bearer" in _error(http.get(url), 401)
    _error(http.get(url, headers={"Authorization": "Bearer nope"}), 401)
    _error(http.get(url, params={"user_hash": "nope"}), 401)
    _error(http.get(url, headers={"Authorization": "Basic dDBrOg=="}), 401)


def test_token_of_another_account_is_403(emulator: Running, http: httpx.Client) -> None:
    text = _error(http.get(f"{emulator.base_url}/account/100002/vpbx", headers=auth()), 403)
    assert "100002" in text
    other_vpbx = vpbx_ids(emulator, 100002)[0]
    _error(
        http.get(
            call_log_url(emulator, other_vpbx, 100002),
            headers=auth(),
            params={"date_from": DAY, "date_to": DAY},
        ),
        403,
    )


def test_unknown_vpbx_is_404_including_another_accounts_vpbx(
    emulator: Running, http: httpx.Client
) -> None:
    params = {"date_from": DAY, "date_to": DAY}
    assert "999" in _error(
        http.get(call_log_url(emulator, 999), params=params, headers=auth()), 404
    )
    foreign = vpbx_ids(emulator, 100002)[0]
    _error(http.get(call_log_url(emulator, foreign), params=params, headers=auth()), 404)


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"date_to": DAY}, "date_from is required"),
        ({"date_from": DAY}, "date_to is required"),
        ({"date_from": "24.11.2026", "date_to": DAY}, "malformed"),
        ({"date_from": DAY, "date_to": "2026-11-24 25:00:00"}, "not a real date"),
        ({"date_from": "2026-02-30", "date_to": DAY}, "not a real date"),
        ({"date_from": "2026-11-25", "date_to": DAY}, "after"),
        ({"date_from": f"{DAY} 12:00:00", "date_to": f"{DAY} 11:00:00"}, "after"),
        ({"date_from": DAY, "date_to": DAY, "limit": "0"}, "limit"),
        ({"date_from": DAY, "date_to": DAY, "limit": "ten"}, "limit"),
        ({"date_from": DAY, "date_to": DAY, "offset": "-1"}, "offset"),
        ({"date_from": DAY, "date_to": DAY, "offset": "x"}, "offset"),
        ({"date_from": DAY, "date_to": DAY, "request_detailed": "yes"}, "request_detailed"),
    ],
)
def test_bad_parameters_are_400_with_one_sentence(
    emulator: Running, http: httpx.Client, params: dict[str, str], needle: str
) -> None:
    vpbx = vpbx_ids(emulator)[0]
    assert needle in _error(
        http.get(call_log_url(emulator, vpbx), params=params, headers=auth()), 400
    )


def test_unknown_routes_and_methods_use_the_same_error_shape(
    emulator: Running, http: httpx.Client
) -> None:
    _error(http.get(f"{emulator.base_url}/nothing/here", headers=auth()), 404)
    _error(http.post(f"{emulator.base_url}/account/100001/vpbx", headers=auth()), 405)


def test_recording_is_a_small_valid_mp3(emulator: Running, http: httpx.Client) -> None:
    vpbx = vpbx_ids(emulator)[0]
    items = http.get(
        call_log_url(emulator, vpbx), headers=auth(), params={"date_from": DAY, "date_to": DAY}
    ).json()["items"]
    with_record = next(c for c in items if c["has_record"])
    without = next(c for c in items if not c["has_record"])
    url = call_log_url(emulator, vpbx) + "/record"
    audio = http.get(url, params={"call_id": with_record["callid"]}, headers=auth())
    assert audio.status_code == 200
    assert audio.headers["content-type"] == "audio/mpeg"
    body = audio.content
    assert 100 < len(body) < 100_000
    # Every 144-byte frame starts with the MPEG-1 Layer III sync word and header.
    assert len(body) % 144 == 0
    assert all(body[i : i + 4] == b"\xff\xfb\x18\xc0" for i in range(0, len(body), 144))
    assert "recording" in _error(
        http.get(url, params={"call_id": without["callid"]}, headers=auth()), 404
    )
    _error(http.get(url, params={"call_id": "1-2.3"}, headers=auth()), 404)
    _error(http.get(url, headers=auth()), 400)
