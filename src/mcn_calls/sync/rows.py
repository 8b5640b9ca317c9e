"""From a call_log item's raw JSON straight to database rows.

The hot path of a sync: the item is decoded into a flat struct (no dict), its
values normalised by the model's one normaliser, and the row built (in
:data:`~mcn_calls.store.schema.ROW_COLUMNS` order) with the raw JSON as received
and a 63-bit hash of it for change detection. Every value is of a type that
``sqlite3`` binds without its adaptation protocol (the normaliser's
:data:`~mcn_calls.model.normalise.PLAIN` spelling: ``str`` for the enumerations,
``0``/``1`` for the flags; ``bytearray`` for the raw record): an enumeration
member, a bool or ``bytes`` costs a lookup chain per value, and those of a row
took as long as the rest of its binding. With
``detailed``, ``events[]`` is split off into rows of its own and the stored raw
record is the record without it, so detailed and plain runs agree on the hash.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

import msgspec

from ..errors import RecordParseError
from ..model import parse_event
from ..model.normalise import CALL_FIELDS, PLAIN, LocalTime, normalise_call
from ..model.record import local_time

Row = tuple[Any, ...]
#: What a sync gets per call: the calls row and its events rows (None unless detailed).
CallRows = tuple[Row, list[Row] | None]

_RECORD_VPBX = CALL_FIELDS.index("vpbx_id")  # the row's key column holds it instead
_encode = msgspec.json.Encoder().encode
_dict = msgspec.json.Decoder().decode

Wire = msgspec.defstruct("Wire", [(name, Any, None) for name in CALL_FIELDS])
_wire = msgspec.json.Decoder(Wire).decode
_astuple = msgspec.structs.astuple


def _row(values: tuple[Any, ...], body: bytes | msgspec.Raw) -> Row:
    """The calls row (ROW_COLUMNS order) of a record's values (PLAIN spelling)."""
    return values[:_RECORD_VPBX] + values[_RECORD_VPBX + 1 :] + (bytearray(body), raw_hash(body))


def raw_hash(body: bytes | msgspec.Raw) -> int:
    """A stable 63-bit fingerprint of a raw record (crc32 and adler32 side by side)."""
    return (zlib.adler32(body) << 31) ^ zlib.crc32(body)


def _event_rows(account: int, vpbx: int, callid: str, items: Any, tz: tzinfo) -> list[Row]:
    if not isinstance(items, list):
        raise RecordParseError("events", items, "expected a list of events")
    rows = []
    for seq, item in enumerate(items):
        e = parse_event(item, tz, index=seq)
        times = [
            t.isoformat(" ") if t else None
            for t in (e.event_start_time, e.event_end_time, e.event_answer_time)
        ]
        info = e.event_additional_info
        rows.append(
            (
                account,
                vpbx,
                callid,
                seq,
                e.event_type,
                e.event_status,
                e.event_dst_num,
                e.event_dst_name,
                None if e.event_dst_type is None else str(e.event_dst_type),
                e.event_did,
                e.event_transfered_from,
                *times,
                e.event_talk_time,
                e.event_wait_time,
                e.event_total_time,
                e.event_rec_filename,
                e.event_leg_link_uniqueid_orig,
                _encode(info["api_vars"]).decode() if "api_vars" in info else None,
                _encode(info).decode(),
                _encode(e.speechkit_dialog).decode(),
                _encode(e.raw).decode(),
            )
        )
    return rows


def row_decoder(
    account: int, vpbx: int, *, detailed: bool = False
) -> Callable[[msgspec.Raw, tzinfo], tuple[str, CallRows]]:
    """An item decoder (see :meth:`~mcn_calls.client.resources.CallsResource.pages`)
    making the ``calls`` row (ROW_COLUMNS order) of each item, and with ``detailed``
    its events rows (EVENT_COLUMNS order)."""
    zones: dict[tzinfo, LocalTime] = {}  # the zone's helper, without a call per item

    def plain(raw: msgspec.Raw, tz: tzinfo) -> tuple[str, CallRows]:
        try:
            wire = _wire(raw)
        except msgspec.ValidationError:
            raise RecordParseError(
                None, bytes(raw)[:80], "a call record must be a JSON object"
            ) from None
        local = zones.get(tz) or zones.setdefault(tz, local_time(tz))
        values = normalise_call(_astuple(wire), local, PLAIN)
        return values[0], (_row(values, raw), None)

    def with_events(raw: msgspec.Raw, tz: tzinfo) -> tuple[str, CallRows]:
        record = _dict(raw)
        if not isinstance(record, dict):
            raise RecordParseError(None, record, "a call record must be a JSON object")
        found = record.pop("events", None)
        values = normalise_call(tuple(map(record.get, CALL_FIELDS)), local_time(tz), PLAIN)
        body = _encode(record)
        events = _event_rows(account, vpbx, values[0], [] if found is None else found, tz)
        return values[0], (_row(values, body), events)

    return with_events if detailed else plain
