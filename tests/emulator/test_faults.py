"""Each fault knob, over a real socket."""

from __future__ import annotations

import time

import httpx
import pytest

from mcn_calls.emulator import Faults, running

from ..conftest import config
from ..support import auth, call_log_url, vpbx_ids

PARAMS = {"date_from": "2026-11-16", "date_to": "2026-11-25", "limit": 500}


def test_fail_rate_gives_500_502_503_in_the_error_shape() -> None:
    with running(config(faults=Faults(fail_rate=1.0))) as live, httpx.Client() as http:
        statuses = set()
        for _ in range(30):
            answer = http.get(call_log_url(live, vpbx_ids(live)[0]), params=PARAMS, headers=auth())
            statuses.add(answer.status_code)
            assert answer.json()["status"] == "error"
            assert answer.json()["code"] == answer.status_code
        assert statuses == {500, 502, 503}


def test_partial_fail_rate_fails_some_and_serves_the_rest() -> None:
    with running(config(faults=Faults(fail_rate=0.3))) as live, httpx.Client() as http:
        codes = [
            http.get(f"{live.base_url}/account/100001/vpbx", headers=auth()).status_code
            for _ in range(100)
        ]
    failed = sum(c >= 500 for c in codes)
    assert codes.count(200) + failed == 100
    assert 10 <= failed <= 55


def test_rate_limit_answers_429_with_retry_after() -> None:
    with running(config(faults=Faults(rate_limit=5))) as live, httpx.Client() as http:
        # Start at the beginning of a one-second window so the burst falls in one.
        time.sleep(1 - time.monotonic() % 1)
        answers = [
            http.get(f"{live.base_url}/account/100001/vpbx", headers=auth()) for _ in range(12)
        ]
        limited = [a for a in answers if a.status_code == 429]
        assert [a.status_code for a in answers[:5]] == [200] * 5
        assert len(limited) >= 5
        for answer in limited:
            assert int(answer.headers["retry-after"]) >= 1
            assert answer.json()["code"] == 429
        time.sleep(int(limited[0].headers["retry-after"]))
        assert http.get(f"{live.base_url}/account/100001/vpbx", headers=auth()).status_code == 200


def test_latency_delays_every_api_request() -> None:
    with running(config(faults=Faults(latency_ms=300))) as live, httpx.Client() as http:
        started = time.perf_counter()
        answer = http.get(f"{live.base_url}/account/100001/vpbx", headers=auth())
        assert answer.status_code == 200
        assert time.perf_counter() - started >= 0.3


def test_truncate_rate_cuts_the_body_mid_stream() -> None:
    with running(config(faults=Faults(truncate_rate=1.0))) as live, httpx.Client() as http:
        url = call_log_url(live, vpbx_ids(live)[0])
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(url, params=PARAMS, headers=auth())
        # The client sees the status line but never a whole body.
        with http.stream("GET", url, params=PARAMS, headers=auth()) as answer:
            assert answer.status_code == 200
            received = b""
            with pytest.raises(httpx.RemoteProtocolError):
                for chunk in answer.iter_bytes():
                    received += chunk
        assert received.startswith(b'{"code":200') and not received.endswith(b"]}")


def test_faults_leave_the_admin_endpoints_alone() -> None:
    with running(config(faults=Faults(fail_rate=1.0))) as live, httpx.Client() as http:
        answer = http.post(
            f"{live.admin_url}/tick",
            params={"calls": 1, "changes": 0},
            headers={"Authorization": "Bearer adm1n"},
        )
        assert answer.status_code == 200
