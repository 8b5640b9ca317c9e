"""The call record model: typed, normalised, lossless."""

from .api_vars import parse_api_vars
from .enums import CallStatus, CallType, PartyType
from .record import DEFAULT_TZ, CallEvent, CallRecord, parse_call, parse_event

__all__ = [
    "DEFAULT_TZ",
    "CallEvent",
    "CallRecord",
    "CallStatus",
    "CallType",
    "PartyType",
    "parse_api_vars",
    "parse_call",
    "parse_event",
]
