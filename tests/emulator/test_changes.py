"""Change over time: calls arrive and change while the emulator runs."""

from __future__ import annotations

import httpx

from mcn_calls.emulator import Running

from ..conftest import ADMIN
from ..support import auth, call_log_url, vpbx_ids

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def _day(http: httpx.Client, live: Running, vpbx: int, day: str) -> dict[str, dict]:  # type: ignore[type-arg]
    items = http.get(
        call_log_url(live, vpbx),
        params={"date_from": day, "date_to": day, "limit": 5000},
        headers=auth(),
    ).json()["items"]
    return {c["callid"]: c for c in items}


def test_admin_needs_its_own_token(fresh_emulator: Running, http: httpx.Client) -> None:
    url = f"{fresh_emulator.admin_url}/tick"
    assert http.post(url).status_code == 401
    assert http.post(url, headers=auth()).status_code == 401  # an API token is not enough
    assert http.post(url, headers=ADMIN_AUTH, params={"calls": 0}).status_code == 200


def test_tick_adds_todays_calls_and_changes_served_ones(
    fresh_emulator: Running, http: httpx.Client
) -> None:
    live = fresh_emulator
    vpbx = vpbx_ids(live)[0]
    today = "2026-11-26"
    assert _day(http, live, vpbx, today) == {}  # history ends yesterday
    before = _day(http, live, vpbx, "2026-11-24") | _day(http, live, vpbx, "2026-11-25")
    done = http.post(
        f"{live.admin_url}/tick",
        headers=ADMIN_AUTH,
        params={"calls": 7, "changes": 3, "vpbx_id": vpbx, "at": f"{today} 10:30:00"},
    ).json()
    assert len(done["added"]) == 7 and len(done["changed"]) == 3
    now = _day(http, live, vpbx, today)
    assert set(now) == set(done["added"])
    assert all(c["date"] <= f"{today} 10:30:00" for c in now.values())
    after = _day(http, live, vpbx, "2026-11-24") | _day(http, live, vpbx, "2026-11-25")
    changed = [after[c] for c in done["changed"]]
    assert all(c["date"] >= "2026-11-24 10:30:00" for c in changed)  # the 48 hours before
    for call in changed:
        old = before[call["callid"]]
        assert call != old
        assert call["status"] == "ANSWERED" and call["has_record"] == 1
        assert call["talktime"] <= call["billsec"]
    second = http.post(
        f"{live.admin_url}/tick",
        headers=ADMIN_AUTH,
        params={"calls": 2, "changes": 0, "vpbx_id": vpbx, "at": f"{today} 11:00:00"},
    ).json()
    assert set(_day(http, live, vpbx, today)) == set(done["added"]) | set(second["added"])


def test_a_call_can_change_status_after_it_was_served(
    fresh_emulator: Running, http: httpx.Client
) -> None:
    live = fresh_emulator
    vpbx = vpbx_ids(live)[0]
    served = _day(http, live, vpbx, "2026-11-20")
    lost = next(c for c in served.values() if c["status"] == "LOST")
    patched = http.patch(
        f"{live.admin_url}/vpbx/{vpbx}/calls/{lost['callid']}",
        headers=ADMIN_AUTH,
        json={"status": "ANSWERED", "talktime": 30, "billsec": 30 + lost["waittime"]},
    )
    assert patched.status_code == 200
    again = _day(http, live, vpbx, "2026-11-20")[lost["callid"]]
    assert again["status"] == "ANSWERED" and again["talktime"] == 30
    assert again["events_count"] == lost["events_count"] + 1  # the queue_member event appears
    missing = http.patch(f"{live.admin_url}/vpbx/{vpbx}/calls/nope", headers=ADMIN_AUTH, json={})
    assert missing.status_code == 404


def test_a_late_call_lands_inside_a_past_day(fresh_emulator: Running, http: httpx.Client) -> None:
    live = fresh_emulator
    vpbx = vpbx_ids(live)[1]
    template = next(iter(_day(http, live, vpbx, "2026-11-23").values()))
    late = {**template, "callid": "116-1795400000.1", "date": "2026-11-23 23:59:59"}
    answer = http.post(f"{live.admin_url}/vpbx/{vpbx}/calls", headers=ADMIN_AUTH, json=[late])
    assert answer.json() == {"upserted": [late["callid"]]}
    day = _day(http, live, vpbx, "2026-11-23")
    assert day[late["callid"]] == late
    assert list(day)[-1] == late["callid"]  # stable order: by date, then callid
    bad = http.post(
        f"{live.admin_url}/vpbx/{vpbx}/calls", headers=ADMIN_AUTH, json=[{"date": "2026-11-23"}]
    )
    assert bad.status_code == 400
