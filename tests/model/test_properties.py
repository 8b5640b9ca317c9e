"""Property tests: whatever JSON-like value comes in, only RecordParseError escapes."""

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mcn_calls import CallRecord, RecordParseError, parse_call
from mcn_calls.model.normalise import CALL_FIELDS

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)

FIELDS = [*CALL_FIELDS, "events"]

dates = st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")) | st.sampled_from(
    ["", "0000-00-00 00:00:00", "2024-12-23", "2024-12-23T01:04:50+03:00", "24-12-23"]
)
enums = st.sampled_from(
    [
        "inb",
        "Inb",
        "OUT",
        "int",
        "pstn",
        "PSNT",
        "Phone",
        "queue",
        "sipdevice",
        "callback",
        "ANSWERED",
        "no answer",
        "Lost",
        "busy",
        "FAILED",
        "",
        "something-new",
    ]
)
numbers = (
    st.integers(-(10**12), 10**12)
    | st.integers(0, 10**6).map(str)
    | st.sampled_from(["", "15", "15.0", "abc", None])
)
events = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "event_type": enums,
            "event_start_time": dates,
            "event_wait_time": numbers,
            "event_dst_type": enums,
            "event_additional_info": st.fixed_dictionaries(
                {}, optional={"api_vars": st.text(max_size=60) | json_values}
            )
            | json_values,
        },
    )
    | json_values,
    max_size=3,
)

flags = st.sampled_from([0, 1, "0", "1", True, "", "x"])
realistic = st.fixed_dictionaries(
    {"callid": st.text(max_size=30) | st.integers(), "date": dates},
    optional={
        "type": enums,
        "src_type": enums,
        "dst_type": enums,
        "status": enums,
        "src_num": numbers,
        "dst_num": numbers,
        "did": numbers,
        "waittime": numbers,
        "talktime": numbers,
        "billsec": numbers,
        "has_record": flags,
        "answer_date": dates,
        "end_date": dates,
        "events": events,
        "transfered_linked_to": st.booleans() | json_scalars,
    },
)

arbitrary = json_values | st.dictionaries(
    st.sampled_from(FIELDS), json_values, max_size=len(FIELDS)
)


def _check(raw: Any) -> None:
    try:
        call = parse_call(raw)
    except RecordParseError as exc:
        assert str(exc)
        return
    assert isinstance(call, CallRecord)
    assert call.callid
    assert call.date.tzinfo is not None
    assert call.raw == raw
    assert isinstance(call.has_record, bool)


@settings(max_examples=400)
@given(arbitrary)
def test_arbitrary_json_like_values(raw: Any) -> None:
    _check(raw)


@settings(max_examples=400)
@given(realistic)
@example({"callid": "x", "date": "0001-01-01T00:00:00+05:00"})
@example({"callid": "x", "date": "9999-12-31T23:59:59-05:00"})
@example({"callid": "x", "date": "2024-12-23 01:04:50", "answer_date": 1e300})
def test_real_traffic_variants(raw: Any) -> None:
    _check(raw)
