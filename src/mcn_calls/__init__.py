"""mcn-calls: call statistics out of MCN Telecom's cloud PBX (VATS).

The public Python API. Everything the ``mcn-calls`` command does can be done
from here; the command is a thin layer over it.
"""

from ._version import __version__
from .client import AsyncClient, Client, Page, RetryPolicy, Vpbx
from .errors import (
    APIConnectionError,
    APIError,
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
    UsageError,
)
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

__all__ = [
    "DEFAULT_TZ",
    "APIConnectionError",
    "APIError",
    "APIResponseParseError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "CallEvent",
    "CallRecord",
    "CallStatus",
    "CallType",
    "Client",
    "MCNError",
    "NotFoundError",
    "Page",
    "PartyType",
    "PermissionDeniedError",
    "RateLimitError",
    "RecordParseError",
    "RetryPolicy",
    "ServerError",
    "UsageError",
    "Vpbx",
    "__version__",
    "parse_api_vars",
    "parse_call",
    "parse_event",
]
