"""Unit tests of the client over httpx.MockTransport: shapes, errors, retries, paging."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from mcn_calls.client import Client
from mcn_calls.errors import (
    APIConnectionError,
    APIResponseParseError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    MCNError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RecordParseError,
    ServerError,
)

TOKEN = "s3cr3t-t0ken"
BASE = "http://mcn.test/v2/rest"


def call(n: int, day: str = "2026-11-20") -> dict[str, Any]:
    return {
        "callid": f"116-{1795000000 + n}.{n}",
        "date": f"{day} 10:{n // 60 % 60:02d}:{n % 60:02d}",
        "type": "inb",
        "status": "ANSWERED",
        "has_record": 1,
    }


Handler = Callable[[httpx.Request], httpx.Response]


def make(handler: Handler, **options: Any) -> tuple[Client, list[float]]:
    sleeps: list[float] = []
    client = Client(
        base_url=BASE,
        token=TOKEN,
        account_id=100001,
        transport=httpx.MockTransport(handler),
        sleep=sleeps.append,
        **options,
    )
    return client, sleeps


def paged(calls: list[dict[str, Any]], shape: str, cap: int | None = None) -> Handler:
    """A server holding ``calls`` that pages them in the given answer shape."""

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        q = request.url.params
        limit = int(q["limit"])
        if cap:
            limit = min(limit, cap)
        offset = int(q["offset"])
        lo, hi = q["date_from"], q["date_to"]
        if len(hi) == 10:
            lo, hi = lo + " 00:00:00", hi + " 23:59:59"
        chosen = [c for c in calls if lo <= c["date"] <= hi][offset : offset + limit]
        body: Any = {
            "items": {"items": chosen},
            "code": {"code": 200, "items": chosen},
            "total": {
                "code": 200,
                "items": chosen,
                "total": len([c for c in calls if lo <= c["date"] <= hi]),
            },
            "list": chosen,
        }[shape]
        return httpx.Response(200, json=body)

    return handler


@pytest.mark.parametrize("shape", ["items", "code", "total", "list"])
def test_every_answer_shape_gives_the_same_calls(shape: str) -> None:
    calls = [call(i) for i in range(25)] + [call(i, "2026-11-21") for i in range(7)]
    client, _ = make(paged(calls, shape), page_size=10)
    got = list(client.calls.list(1, date(2026, 11, 20), date(2026, 11, 21)))
    assert [c.callid for c in got] == [c["callid"] for c in calls]


@pytest.mark.parametrize("shape", ["items", "list", "total"])
def test_a_server_capping_limit_below_the_ask_is_paged_to_the_end(shape: str) -> None:
    calls = [call(i) for i in range(23)]
    client, _ = make(paged(calls, shape, cap=4), page_size=10)
    pages = client.calls.list(1, date(2026, 11, 20), date(2026, 11, 20))
    got = list(pages)
    assert [c.callid for c in got] == [c["callid"] for c in calls]
    assert pages.pager.cap == 4


def test_a_short_last_page_costs_at_most_one_probe_per_window_without_total() -> None:
    calls = [call(i) for i in range(5)] + [call(i, "2026-11-21") for i in range(3)]
    asked: list[int] = []
    inner = paged(calls, "list")

    def counting(request: httpx.Request) -> httpx.Response:
        asked.append(int(request.url.params["offset"]))
        return inner(request)

    client, _ = make(counting, page_size=10)
    assert len(list(client.calls.list(1, date(2026, 11, 20), date(2026, 11, 21)))) == 8
    # Day 1: a short page (5) may be capped, so offset 5 is asked and is empty.
    # Day 2: 3 < 5, a size already known to come in full: no probe.
    assert asked == [0, 5, 0]


def test_windows_split_long_ranges_and_send_whole_days_as_dates() -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.params["date_from"], request.url.params["date_to"]))
        return httpx.Response(200, json={"items": []})

    client, _ = make(handler)
    assert list(client.calls.list(1, date(2026, 11, 1), date(2026, 11, 3))) == []
    assert seen == [
        ("2026-11-01", "2026-11-01"),
        ("2026-11-02", "2026-11-02"),
        ("2026-11-03", "2026-11-03"),
    ]
    seen.clear()
    list(
        client.calls.list(
            1, datetime(2026, 11, 1, 22, 30), datetime(2026, 11, 2, 1, 0), window=timedelta(hours=2)
        )
    )
    assert seen == [
        ("2026-11-01 22:30:00", "2026-11-02 00:29:59"),
        ("2026-11-02 00:30:00", "2026-11-02 01:00:00"),
    ]


def test_aware_datetimes_are_converted_to_pbx_time() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params["date_from"])
        return httpx.Response(200, json={"items": []})

    client, _ = make(handler)
    utc = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    list(client.calls.list(1, utc, utc + timedelta(minutes=5)))
    assert seen == ["2026-11-01 12:00:00"]


def test_repeats_inside_a_window_are_dropped() -> None:
    calls = [call(i) for i in range(6)]

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        # The second page overlaps the first (as when a call was inserted before it).
        page = calls[max(0, offset - 1) : offset + 3] if offset else calls[:3]
        return httpx.Response(200, json={"items": page})

    client, _ = make(handler, page_size=3)
    got = [c.callid for c in client.calls.list(1, date(2026, 11, 20), date(2026, 11, 20))]
    assert got == [c["callid"] for c in calls]


def test_a_server_ignoring_offset_is_an_error_not_an_endless_loop() -> None:
    client, _ = make(lambda r: httpx.Response(200, json={"items": [call(1), call(2)]}))
    with pytest.raises(APIResponseParseError, match="ignore 'offset'"):
        list(client.calls.list(1, date(2026, 11, 20), date(2026, 11, 20)))


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (422, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (418, APIStatusError),
    ],
)
def test_error_statuses_map_to_one_class_each_and_are_not_retried(
    status: int, cls: type[APIStatusError]
) -> None:
    hits: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hits.append(1)
        return httpx.Response(status, json={"status": "error", "errors": {"description": "Nope."}})

    client, sleeps = make(handler)
    with pytest.raises(cls) as caught:
        client.vpbx.list()
    error = caught.value
    assert type(error) is cls
    assert error.status_code == status and error.method == "GET"
    assert error.url == f"{BASE}/account/100001/vpbx"
    assert error.description == "Nope."
    assert hits == [1] and sleeps == []
    text = str(error)
    assert text.endswith(".") and "\n" not in text and "Nope" in text
    assert TOKEN not in text + repr(error) + error.url


@pytest.mark.parametrize(
    "body",
    [
        {"status": "error", "code": 404, "errors": {"description": "No such vpbx"}},
        {"errors": {"description": "No such vpbx"}, "code": 404},
    ],
)
def test_an_mcn_error_body_with_http_200_is_an_error(body: dict[str, Any]) -> None:
    client, _ = make(lambda request: httpx.Response(200, json=body))
    with pytest.raises(NotFoundError, match="No such vpbx"):
        client.vpbx.list()


@pytest.mark.parametrize(
    ("failure", "cls"),
    [
        (lambda r: httpx.Response(500, text="oops"), ServerError),
        (lambda r: httpx.Response(502), ServerError),
        (lambda r: httpx.Response(503, json={"status": "error"}), ServerError),
        (lambda r: httpx.Response(429, headers={"Retry-After": "3"}), RateLimitError),
        (lambda r: httpx.Response(408), APIStatusError),
        (lambda r: httpx.Response(200, content=b'{"items": [{"callid"'), APIResponseParseError),
    ],
)
def test_transient_failures_are_retried_then_succeed(failure: Handler, cls: type) -> None:
    tries: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        tries.append(1)
        if len(tries) <= 2:
            return failure(request)
        first = request.url.params["offset"] == "0"
        return httpx.Response(200, json={"items": [call(1)] if first else []})

    client, sleeps = make(handler)
    assert [c.callid for c in client.calls.list(1, date(2026, 11, 20), date(2026, 11, 20))] == [
        call(1)["callid"]
    ]
    assert len(sleeps) == 2
    if cls is RateLimitError:
        assert sleeps == [3.0, 3.0]  # Retry-After is honoured
    else:
        assert 0.5 <= sleeps[0] <= 0.5 * 1.25 and 1.0 <= sleeps[1] <= 1.0 * 1.25


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (httpx.ConnectError("refused"), APIConnectionError),
        (
            httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body"
            ),
            APIConnectionError,
        ),
        (httpx.ReadError("connection reset"), APIConnectionError),
        (httpx.ReadTimeout("timed out"), APITimeoutError),
    ],
)
def test_transport_failures_are_retried_and_then_raised(exc: Exception, cls: type) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    client, sleeps = make(handler, max_retries=3)
    with pytest.raises(cls) as caught:
        list(client.calls.list(1, date(2026, 11, 20), date(2026, 11, 20)))
    assert len(sleeps) == 3
    assert str(caught.value).endswith(".") and TOKEN not in str(caught.value)


def test_a_page_failing_after_all_retries_raises_never_ends_the_iteration() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params["date_from"] == "2026-11-21":
            return httpx.Response(503)
        first = request.url.params["offset"] == "0"
        return httpx.Response(200, json={"items": [call(1)] if first else []})

    client, _ = make(handler, max_retries=2)
    seen = []
    with pytest.raises(ServerError):
        for record in client.calls.list(1, date(2026, 11, 20), date(2026, 11, 22)):
            seen.append(record)
    assert len(seen) == 1  # the first day came through; the second raised, not "no calls"


@pytest.mark.parametrize(
    "body", [b"<html>Bad gateway</html>", b'{"something": "else"}', b'"a string"', b"[1, 2"]
)
def test_a_body_that_is_not_the_promised_json_is_a_parse_error(body: bytes) -> None:
    client, _ = make(lambda request: httpx.Response(200, content=body), max_retries=1)
    with pytest.raises(APIResponseParseError) as caught:
        list(client.calls.list(1, date(2026, 11, 20), date(2026, 11, 20)))
    assert caught.value.status_code == 200 and "/call_log" in caught.value.url


def test_a_record_without_callid_is_a_typed_parse_error() -> None:
    client, _ = make(
        lambda r: httpx.Response(200, json={"items": [{"date": "2026-11-20 10:00:00"}]})
    )
    with pytest.raises(RecordParseError) as caught:
        list(client.calls.list(1, date(2026, 11, 20), date(2026, 11, 20)))
    assert caught.value.field == "callid"


def test_vpbx_list_accepts_shapes_and_keeps_only_active() -> None:
    items = [
        {"vpbx_id": "16884", "name": "Офис", "status": "active"},
        {"vpbx_id": 17000, "name": "Old", "status": "disabled"},
        {"id": 17001},
    ]
    for body in ({"code": 200, "items": items}, items, {"items": items}):
        client, _ = make(lambda r, body=body: httpx.Response(200, json=body))
        pbxs = client.vpbx.list()
        assert [(p.vpbx_id, p.name) for p in pbxs] == [(16884, "Офис"), (17001, None)]


def test_recordings_are_bytes_and_download_atomically(tmp_path: Any) -> None:
    audio = b"\xff\xfb\x18\xc0" + bytes(140)

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/vpbx/7/call_log/record")
        if request.url.params["call_id"] == "gone":
            return httpx.Response(404, json={"status": "error", "errors": {"description": "No."}})
        return httpx.Response(200, content=audio, headers={"content-type": "audio/mpeg"})

    client, sleeps = make(handler)
    assert client.recordings.get(7, "1-2.3") == audio
    target = tmp_path / "sub" / "call.mp3"
    assert client.recordings.download(7, "1-2.3", target) == target
    assert target.read_bytes() == audio
    with pytest.raises(NotFoundError):
        client.recordings.download(7, "gone", tmp_path / "gone.mp3")
    assert not (tmp_path / "gone.mp3").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["sub"]
    assert sleeps == []


def test_a_download_cut_off_midway_is_retried_and_never_left_half_written(tmp_path: Any) -> None:
    audio = (b"\xff\xfb\x18\xc0" + bytes(140)) * 50
    tries: list[int] = []

    class Cut(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            yield audio[:1000]
            raise httpx.ReadError("connection reset")

    def handler(request: httpx.Request) -> httpx.Response:
        tries.append(1)
        if len(tries) == 1:
            return httpx.Response(200, stream=Cut(), headers={"content-type": "audio/mpeg"})
        if len(tries) == 2:
            return httpx.Response(200, json={"status": "error", "code": 503, "errors": {}})
        return httpx.Response(200, content=audio, headers={"content-type": "audio/mpeg"})

    client, sleeps = make(handler)
    target = tmp_path / "call.mp3"
    assert client.recordings.download(7, "1-2.3", target) == target
    assert target.read_bytes() == audio
    assert len(tries) == 3 and len(sleeps) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["call.mp3"]


def test_the_token_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = make(lambda r: httpx.Response(401, json={"status": "error"}))
    assert TOKEN not in repr(client) + str(client.settings) + repr(client.settings.token)
    with pytest.raises(AuthenticationError) as caught:
        client.vpbx.list()
    assert TOKEN not in str(caught.value) + repr(caught.value) + json.dumps(
        vars(caught.value), default=str
    )


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCN_API_URL", "http://env.test/v2/rest/")
    monkeypatch.setenv("MCN_API_TOKEN", TOKEN)
    monkeypatch.setenv("MCN_ACCOUNT_ID", "42")
    monkeypatch.setenv("MCN_TZ", "Asia/Vladivostok")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        first = request.url.params["offset"] == "0"
        return httpx.Response(200, json={"items": [call(1)] if first else []})

    client = Client(transport=httpx.MockTransport(handler))
    [record] = list(client.calls.list(5, date(2026, 11, 20), date(2026, 11, 20)))
    assert str(seen[0].url).startswith("http://env.test/v2/rest/account/42/vpbx/5/call_log?")
    assert record.date.utcoffset() == timedelta(hours=10)
    assert Client(account_id=7, transport=httpx.MockTransport(handler)).settings.account_id == 7


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"MCN_API_TOKEN": ""}, "No API token"),
        ({"MCN_ACCOUNT_ID": ""}, "No account id"),
        ({"MCN_ACCOUNT_ID": "abc"}, "must be a number"),
        ({"MCN_TZ": "Mars/Base"}, "time zone"),
        ({"MCN_API_URL": "ftp://x"}, "http://"),
    ],
)
def test_missing_or_wrong_settings_say_what_to_do(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], needle: str
) -> None:
    for key, value in {"MCN_API_TOKEN": TOKEN, "MCN_ACCOUNT_ID": "1", **env}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(MCNError, match=needle):
        Client()
