"""The typed call record: :class:`CallRecord`, :class:`CallEvent`, :func:`parse_call`.

One record is one row of ``call_log``. Parsing normalises what real traffic
varies (case of enumerations, numbers as strings, empty strings, local dates
without an offset) and keeps the raw record, so a field the provider adds later
survives a round trip. See ``shared/spec`` §4 for the meaning of every field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from ..errors import RecordParseError
from .api_vars import parse_api_vars
from .enums import CallStatus, CallType, PartyType, party_type
from .normalise import CALL_FIELDS, DATE_FIELDS, LocalTime, normalise_call
from .values import opt_datetime, opt_int, opt_str

__all__ = ["DEFAULT_TZ", "CallEvent", "CallRecord", "parse_call", "parse_event"]

DEFAULT_TZ = "Europe/Moscow"
_DEFAULT_ZONE = ZoneInfo(DEFAULT_TZ)


class CallEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One item of a record's ``events[]`` (present with ``request_detailed=1``)."""

    event_type: str | None = None
    event_status: str | None = None
    event_dst_num: str | None = None
    event_dst_name: str | None = None
    event_dst_type: PartyType | str | None = None
    event_did: str | None = None
    event_transfered_from: str | None = None
    event_start_time: datetime | None = None
    event_end_time: datetime | None = None
    event_answer_time: datetime | None = None
    event_talk_time: int | None = None
    event_wait_time: int | None = None
    event_total_time: int | None = None
    event_rec_filename: str | None = None
    event_leg_link_uniqueid_orig: str | None = None
    speechkit_dialog: list[Any] = msgspec.field(default_factory=list)
    #: ``event_additional_info`` with its ``api_vars`` string parsed into a dict.
    event_additional_info: dict[str, Any] = msgspec.field(default_factory=dict)
    raw: dict[str, Any] = msgspec.field(default_factory=dict)


class CallRecord(msgspec.Struct, frozen=True):
    """One call, normalised. ``raw`` is the record exactly as it was received.

    The fields are in :data:`~.normalise.CALL_FIELDS` order, then ``events`` and ``raw``.
    """

    callid: str
    date: datetime
    type: CallType | str | None = None
    src_num: str | None = None
    src_name: str | None = None
    src_type: PartyType | str | None = None
    dst_num: str | None = None
    dst_name: str | None = None
    dst_type: PartyType | str | None = None
    did: str | None = None
    waittime: int | None = None
    talktime: int | None = None
    billsec: int | None = None
    status: CallStatus | str | None = None
    has_record: bool = False
    # Extra fields seen in real responses.
    hangup_reason: str | None = None
    answer_date: datetime | None = None
    end_date: datetime | None = None
    did_num: str | None = None
    events_count: int | None = None
    vpbx_id: str | None = None
    transfered_linked_to: bool | None = None
    events: tuple[CallEvent, ...] | None = None
    raw: dict[str, Any] = msgspec.field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"CallRecord(callid={self.callid!r}, date={self.date.isoformat()!r}, "
            f"type={str(self.type)!r}, status={str(self.status)!r})"
        )


def _zone(tz: tzinfo | str | None) -> tzinfo:
    if tz is None:
        return _DEFAULT_ZONE
    if isinstance(tz, str):
        return _DEFAULT_ZONE if tz == DEFAULT_TZ else ZoneInfo(tz)
    return tz


_LOCAL: dict[tzinfo, LocalTime] = {}


def local_time(tz: tzinfo | str | None) -> LocalTime:
    """The (cached) canonical local-time helper of a zone."""
    zone = _zone(tz)
    found = _LOCAL.get(zone)
    if found is None:
        found = _LOCAL[zone] = LocalTime(zone)
    return found


def _additional_info(value: Any, field: str) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        raise RecordParseError(field, value, "expected an object")
    info = dict(value)
    api_vars = info.get("api_vars")
    if isinstance(api_vars, str):
        info["api_vars"] = parse_api_vars(api_vars)
    elif api_vars is not None and not isinstance(api_vars, Mapping):
        info["api_vars"] = {"value": api_vars}
    return info


def parse_event(raw: Any, tz: tzinfo | str | None = None, *, index: int = 0) -> CallEvent:
    """Parse one ``events[]`` item; raises :class:`RecordParseError` naming the field."""
    where = f"events[{index}]"
    if not isinstance(raw, Mapping):
        raise RecordParseError(where, raw, "an event must be a JSON object")
    zone = _zone(tz)
    get = raw.get
    dialog = get("speechkit_dialog")
    if dialog is None or dialog == "":
        dialog = []
    elif not isinstance(dialog, list):
        dialog = [dialog]
    return CallEvent(
        event_type=opt_str(get("event_type"), f"{where}.event_type"),
        event_status=opt_str(get("event_status"), f"{where}.event_status"),
        event_dst_num=opt_str(get("event_dst_num"), f"{where}.event_dst_num"),
        event_dst_name=opt_str(get("event_dst_name"), f"{where}.event_dst_name"),
        event_dst_type=party_type(opt_str(get("event_dst_type"), f"{where}.event_dst_type")),
        event_did=opt_str(get("event_did"), f"{where}.event_did"),
        event_transfered_from=opt_str(
            get("event_transfered_from"), f"{where}.event_transfered_from"
        ),
        event_start_time=opt_datetime(get("event_start_time"), f"{where}.event_start_time", zone),
        event_end_time=opt_datetime(get("event_end_time"), f"{where}.event_end_time", zone),
        event_answer_time=opt_datetime(
            get("event_answer_time"), f"{where}.event_answer_time", zone
        ),
        event_talk_time=opt_int(get("event_talk_time"), f"{where}.event_talk_time"),
        event_wait_time=opt_int(get("event_wait_time"), f"{where}.event_wait_time"),
        event_total_time=opt_int(get("event_total_time"), f"{where}.event_total_time"),
        event_rec_filename=opt_str(get("event_rec_filename"), f"{where}.event_rec_filename"),
        event_leg_link_uniqueid_orig=opt_str(
            get("event_leg_link_uniqueid_orig"), f"{where}.event_leg_link_uniqueid_orig"
        ),
        speechkit_dialog=dialog,
        event_additional_info=_additional_info(
            get("event_additional_info"), f"{where}.event_additional_info"
        ),
        raw=dict(raw),
    )


def parse_call(raw: Any, tz: tzinfo | str | None = None) -> CallRecord:
    """Parse one ``call_log`` item into a :class:`CallRecord`.

    ``tz`` is the PBX time zone that dates without an offset are in (default
    Europe/Moscow). Raises :class:`RecordParseError` naming the field when the
    record cannot be understood; nothing else escapes.
    """
    if not isinstance(raw, Mapping):
        raise RecordParseError(None, raw, "a call record must be a JSON object")
    local = local_time(tz)
    values = list(normalise_call(tuple(map(raw.get, CALL_FIELDS)), local))
    zone = local.zone
    for i in _DATE_INDEXES:
        text = values[i]
        if text is not None:
            values[i] = datetime.fromisoformat(text[:19]).replace(tzinfo=zone)
    raw_events = raw.get("events")
    events: tuple[CallEvent, ...] | None
    if raw_events is None:
        events = None
    elif isinstance(raw_events, list):
        events = tuple(parse_event(e, zone, index=i) for i, e in enumerate(raw_events))
    else:
        raise RecordParseError("events", raw_events, "expected a list of events")
    return CallRecord(*[*values, events, dict(raw)])


_DATE_INDEXES = tuple(CALL_FIELDS.index(name) for name in DATE_FIELDS)
