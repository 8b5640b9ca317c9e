"""The one normalisation of a call's fields, shared by the model and the database.

:func:`normalise_call` takes the wire values of a record in :data:`CALL_FIELDS`
order and returns canonical values: strings, ints, flags, enumerations, and
dates as canonical PBX-local text with the offset, ``2024-12-23
01:04:50+03:00``. A :class:`Spelling` says how enumerations and flags come out:
:data:`MEMBERS` (enumeration members and bools, for the model, whose
:func:`~.record.parse_call` turns the dates into datetimes) or :data:`PLAIN`
(their plain ``str`` and ``0``/``1``, which the sync writes as they are: a
database driver binds those without a lookup). Common shapes take a fast path;
everything else goes through the tolerant coercions of :mod:`.values`, which
raise :class:`RecordParseError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import Enum
from typing import Any

from ..errors import RecordParseError
from .enums import _party, _status, _type, call_status, call_type, party_type
from .values import opt_bool, opt_datetime, opt_int, opt_str

#: The call record's fields, in the spec's order, then the extras.
CALL_FIELDS = (
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
    "hangup_reason",
    "answer_date",
    "end_date",
    "did_num",
    "events_count",
    "vpbx_id",
    "transfered_linked_to",
)
#: The fields that hold a date, in CALL_FIELDS order.
DATE_FIELDS = ("date", "answer_date", "end_date")


class LocalTime:
    """Canonical local-time text in one zone, with the zone's offsets cached per hour."""

    __slots__ = ("_offsets", "zone")

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._offsets: dict[str, str] = {}

    def offset(self, hour_prefix: str) -> str:
        """``+03:00`` for a local ``YYYY-MM-DD HH`` in this zone."""
        found = self._offsets.get(hour_prefix)
        if found is None:
            moment = datetime.fromisoformat(hour_prefix + ":00:00").replace(tzinfo=self.zone)
            found = moment.isoformat()[19:]
            self._offsets[hour_prefix] = found
        return found

    def text(self, value: Any, field: str) -> str | None:
        """``2024-12-23 01:04:50+03:00`` from any date form :func:`opt_datetime` takes."""
        if value.__class__ is str and len(value) == 19 and value[10] == " " and value[4] == "-":
            if value[0] == "0" and value.startswith("0000-"):
                return None
            try:
                return value + self.offset(value[:13])
            except ValueError:
                pass  # not a real date: the slow path says why
        moment = opt_datetime(value, field, self.zone)
        return None if moment is None else moment.isoformat(" ")

    def datetime(self, text: str | None) -> datetime | None:
        """The aware datetime of a canonical text (in this zone)."""
        if text is None:
            return None
        return datetime.fromisoformat(text).astimezone(self.zone)


@dataclass(frozen=True, slots=True)
class Spelling:
    """How :func:`normalise_call` spells enumerations and flags."""

    #: Exact spellings of ``type``, ``src_type``/``dst_type`` and ``status``, canonical.
    kinds: dict[str, Any]
    parties: dict[str, Any]
    statuses: dict[str, Any]
    #: The tolerant coercions of any other spelling.
    kind: Callable[[str | None], Any]
    party: Callable[[str | None], Any]
    status: Callable[[str | None], Any]
    #: (false, true)
    flags: tuple[Any, Any]


def _plain(coerce: Callable[[str | None], Any]) -> Callable[[str | None], Any]:
    def plain(value: str | None) -> Any:
        found = coerce(value)
        return found.value if isinstance(found, Enum) else found

    return plain


#: Enumeration members and bools (the model's :class:`~.record.CallRecord`).
MEMBERS = Spelling(
    _type.exact, _party.exact, _status.exact, call_type, party_type, call_status, (False, True)
)
#: The same as plain ``str`` and ``0``/``1`` (what the database stores).
PLAIN = Spelling(
    {k: m.value for k, m in _type.exact.items()},
    {k: m.value for k, m in _party.exact.items()},
    {k: m.value for k, m in _status.exact.items()},
    _plain(call_type),
    _plain(party_type),
    _plain(call_status),
    (0, 1),
)


def normalise_call(
    values: Sequence[Any], local: LocalTime, spelling: Spelling = MEMBERS
) -> tuple[Any, ...]:
    """Canonical values of one record, given its wire values in CALL_FIELDS order.

    This is the hot path of a sync: the common case of each field is checked
    inline (``v.__class__ is str and v``), and anything else goes to the
    tolerant coercion of :mod:`.values`.
    """
    kinds, parties, statuses, flags = (
        spelling.kinds,
        spelling.parties,
        spelling.statuses,
        spelling.flags,
    )
    (
        callid,
        date,
        kind,
        src_num,
        src_name,
        src_type,
        dst_num,
        dst_name,
        dst_type,
        did,
        waittime,
        talktime,
        billsec,
        status,
        has_record,
        hangup_reason,
        answer_date,
        end_date,
        did_num,
        events_count,
        vpbx_id,
        transfered,
    ) = values
    if not (callid.__class__ is str and callid):
        callid = opt_str(callid, "callid")
        if callid is None:
            raise RecordParseError("callid", values[0], "every call record needs a callid")
    date = local.text(date, "date")
    if date is None:
        raise RecordParseError("date", values[1], "every call record needs a date")
    return (
        callid,
        date,
        (kinds.get(kind) or spelling.kind(opt_str(kind, "type")))
        if kind.__class__ is str
        else spelling.kind(opt_str(kind, "type")),
        src_num if src_num.__class__ is str and src_num else opt_str(src_num, "src_num"),
        src_name if src_name.__class__ is str and src_name else opt_str(src_name, "src_name"),
        (parties.get(src_type) or spelling.party(opt_str(src_type, "src_type")))
        if src_type.__class__ is str
        else spelling.party(opt_str(src_type, "src_type")),
        dst_num if dst_num.__class__ is str and dst_num else opt_str(dst_num, "dst_num"),
        dst_name if dst_name.__class__ is str and dst_name else opt_str(dst_name, "dst_name"),
        (parties.get(dst_type) or spelling.party(opt_str(dst_type, "dst_type")))
        if dst_type.__class__ is str
        else spelling.party(opt_str(dst_type, "dst_type")),
        str(did) if did.__class__ is int else opt_str(did, "did"),  # a JSON number, as a rule
        waittime if waittime.__class__ is int else opt_int(waittime, "waittime"),
        talktime if talktime.__class__ is int else opt_int(talktime, "talktime"),
        billsec if billsec.__class__ is int else opt_int(billsec, "billsec"),
        (statuses.get(status) or spelling.status(opt_str(status, "status")))
        if status.__class__ is str
        else spelling.status(opt_str(status, "status")),
        flags[has_record == 1]
        if has_record.__class__ is int
        else flags[bool(opt_bool(has_record, "has_record"))],
        hangup_reason
        if hangup_reason.__class__ is str and hangup_reason
        else opt_str(hangup_reason, "hangup_reason"),
        None if answer_date == "" else local.text(answer_date, "answer_date"),
        None if end_date == "" else local.text(end_date, "end_date"),
        did_num if did_num.__class__ is str and did_num else opt_str(did_num, "did_num"),
        events_count if events_count.__class__ is int else opt_int(events_count, "events_count"),
        vpbx_id if vpbx_id.__class__ is str and vpbx_id else opt_str(vpbx_id, "vpbx_id"),
        flags[transfered]
        if transfered.__class__ is bool
        else _flag(opt_bool(transfered, "transfered_linked_to"), flags),
    )


def _flag(value: bool | None, flags: tuple[Any, Any]) -> Any:
    return None if value is None else flags[value]
