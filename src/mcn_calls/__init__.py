"""mcn-calls: call statistics out of MCN Telecom's cloud PBX (VATS).

The public Python API. Everything the ``mcn-calls`` command does can be done
from here; the command is a thin layer over it.
"""

from .errors import MCNError, RecordParseError, UsageError
from .model import (
    DEFAULT_TZ,
    CallEvent,
    CallRecord,
    CallStatus,
    CallType,
    PartyType,
    parse_api_vars,
    parse_call,
    parse_event,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_TZ",
    "CallEvent",
    "CallRecord",
    "CallStatus",
    "CallType",
    "MCNError",
    "PartyType",
    "RecordParseError",
    "UsageError",
    "__version__",
    "parse_api_vars",
    "parse_call",
    "parse_event",
]
