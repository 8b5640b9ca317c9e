from datetime import UTC, datetime, timedelta, timezone

import pytest

from mcn_calls import CallStatus, CallType, PartyType, RecordParseError, parse_call

ARTICLE_SPELLING = {
    "callid": "116-1734905090.27079126",
    "date": "2024-12-23 01:04:50",
    "type": "Inb",
    "src_num": "79140270777",
    "src_name": "79140270777",
    "src_type": "PSTN",
    "dst_num": "18",
    "dst_name": "Оператор 4",
    "dst_type": "PSNT",
    "did": "78006003897",
    "waittime": "15",
    "talktime": "94",
    "billsec": "109",
    "status": "ANSWERED",
    "has_record": "1",
}

REAL_TRAFFIC = {
    **ARTICLE_SPELLING,
    "type": "inb",
    "src_type": "pstn",
    "dst_type": "sipdevice",
    "did": 78006003897,
    "waittime": 15,
    "talktime": 94,
    "billsec": 109,
    "has_record": 1,
    "hangup_reason": "ANSWER",
    "answer_date": "2024-12-23 01:05:05",
    "end_date": "2024-12-23 01:06:39",
    "did_num": "78006003897",
    "events_count": 0,
    "vpbx_id": "16884",
    "transfered_linked_to": False,
    "brand_new_field": {"nested": [1, 2]},
}


@pytest.mark.parametrize("raw", [ARTICLE_SPELLING, REAL_TRAFFIC], ids=["article", "real"])
def test_both_spellings_normalise_to_the_same_values(raw: dict[str, object]) -> None:
    call = parse_call(raw)
    assert call.callid == "116-1734905090.27079126"
    assert call.type is CallType.INBOUND and call.type == "inb"
    assert call.src_type is PartyType.PSTN
    assert call.did == "78006003897"
    assert (call.waittime, call.talktime, call.billsec) == (15, 94, 109)
    assert call.status is CallStatus.ANSWERED
    assert call.has_record is True
    assert call.dst_name == "Оператор 4"


def test_date_is_moscow_time_and_matches_the_callid_epoch() -> None:
    call = parse_call(REAL_TRAFFIC)
    assert call.date.utcoffset() == timedelta(hours=3)
    assert call.date.astimezone(UTC) == datetime(2024, 12, 22, 22, 4, 50, tzinfo=UTC)
    assert int(call.date.timestamp()) == 1734905090
    assert (
        call.answer_date is not None and call.answer_date.isoformat() == "2024-12-23T01:05:05+03:00"
    )


def test_time_zone_is_configurable() -> None:
    call = parse_call(REAL_TRAFFIC, tz="Asia/Vladivostok")
    assert call.date.utcoffset() == timedelta(hours=10)
    assert call.date.hour == 1
    offset = parse_call({"callid": "x", "date": "2024-12-23T01:04:50+00:00"})
    assert offset.date.hour == 4 and offset.date.utcoffset() == timedelta(hours=3)
    fixed = parse_call(REAL_TRAFFIC, tz=timezone(timedelta(hours=5)))
    assert fixed.date.utcoffset() == timedelta(hours=5)


def test_psnt_means_pstn_and_unknown_values_are_kept_as_they_came() -> None:
    call = parse_call(
        {
            **REAL_TRAFFIC,
            "src_type": "Psnt",
            "dst_type": "SIPTrunk",
            "type": "Conf",
            "status": "Transferred",
        }
    )
    assert call.src_type is PartyType.PSTN
    assert call.dst_type == "SIPTrunk"
    assert call.type == "Conf"
    assert call.status == "Transferred"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("no answer", CallStatus.NO_ANSWER),
        ("NO_ANSWER", CallStatus.NO_ANSWER),
        ("answered", CallStatus.ANSWERED),
        ("Lost", CallStatus.LOST),
        ("busy", CallStatus.BUSY),
        ("failed", CallStatus.FAILED),
    ],
)
def test_status_is_upper_case(given: str, expected: CallStatus) -> None:
    assert parse_call({**REAL_TRAFFIC, "status": given}).status is expected


@pytest.mark.parametrize(("given", "expected"), [("Out", "out"), ("INT", "int"), ("inb", "inb")])
def test_type_is_lower_case(given: str, expected: str) -> None:
    assert parse_call({**REAL_TRAFFIC, "type": given}).type == expected


def test_empty_strings_become_none_and_has_record_a_bool() -> None:
    call = parse_call(
        {
            **REAL_TRAFFIC,
            "dst_name": None,
            "did": "",
            "answer_date": "",
            "waittime": "",
            "end_date": "0000-00-00 00:00:00",
            "has_record": "",
        }
    )
    assert call.dst_name is None
    assert call.did is None
    assert call.answer_date is None
    assert call.end_date is None
    assert call.waittime is None
    assert call.has_record is False


def test_raw_record_survives_including_unknown_fields() -> None:
    call = parse_call(REAL_TRAFFIC)
    assert call.raw == REAL_TRAFFIC
    assert call.raw["brand_new_field"] == {"nested": [1, 2]}
    assert call.raw is not REAL_TRAFFIC  # a copy: later changes to the input do not leak in


def test_extra_fields_are_typed() -> None:
    call = parse_call(REAL_TRAFFIC)
    assert call.hangup_reason == "ANSWER"
    assert call.end_date is not None and call.end_date - call.date == timedelta(seconds=109)
    assert call.did_num == "78006003897"
    assert call.events_count == 0
    assert call.vpbx_id == "16884"
    assert call.transfered_linked_to is False
    assert call.events is None


def test_events_are_parsed_with_api_vars() -> None:
    event = {
        "event_type": "api",
        "event_status": "ok",
        "event_dst_type": "PSNT",
        "event_start_time": "2024-12-23 01:04:50",
        "event_talk_time": "0",
        "speechkit_dialog": [{"dialog_value": "Здравствуйте"}],
        "event_additional_info": {
            "api_vars": "{account_id:133429,scenario_client_variables_1:{vpbx_id:16884}}",
            "result": "200",
        },
    }
    call = parse_call({**REAL_TRAFFIC, "events": [event, {"event_type": None}]})
    assert call.events is not None and len(call.events) == 2
    first = call.events[0]
    assert first.event_dst_type is PartyType.PSTN
    assert first.event_start_time == call.date
    assert first.event_talk_time == 0
    assert first.speechkit_dialog == [{"dialog_value": "Здравствуйте"}]
    assert first.event_additional_info["api_vars"] == {
        "account_id": 133429,
        "scenario_client_variables_1": {"vpbx_id": 16884},
    }
    assert first.raw == event
    assert call.events[1].event_type is None


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([1, 2], None),
        ("a string", None),
        ({"date": "2024-12-23 01:04:50"}, "callid"),
        ({"callid": "", "date": "2024-12-23 01:04:50"}, "callid"),
        ({"callid": "x"}, "date"),
        ({"callid": "x", "date": "yesterday"}, "date"),
        ({"callid": "x", "date": "2024-12-23 01:04:50", "waittime": "long"}, "waittime"),
        ({"callid": "x", "date": "2024-12-23 01:04:50", "has_record": "maybe"}, "has_record"),
        ({"callid": "x", "date": "2024-12-23 01:04:50", "src_num": {"a": 1}}, "src_num"),
        ({"callid": "x", "date": "2024-12-23 01:04:50", "events": "none"}, "events"),
        ({"callid": "x", "date": "2024-12-23 01:04:50", "events": [1]}, "events[0]"),
        (
            {"callid": "x", "date": "2024-12-23 01:04:50", "events": [{"event_wait_time": "soon"}]},
            "events[0].event_wait_time",
        ),
    ],
)
def test_records_that_cannot_be_understood_raise_one_typed_error(raw: object, field: str) -> None:
    with pytest.raises(RecordParseError) as caught:
        parse_call(raw)
    assert caught.value.field == field
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message
    if field:
        assert repr(field) in message


def test_repr_is_short_and_does_not_dump_the_raw_record() -> None:
    text = repr(parse_call(REAL_TRAFFIC))
    assert "116-1734905090.27079126" in text
    assert "brand_new_field" not in text
