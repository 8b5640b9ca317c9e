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
    DatabaseError,
    MCNError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RecordParseError,
    ServerError,
    SyncError,
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
    "Database",
    "DatabaseError",
    "MCNError",
    "NotFoundError",
    "Page",
    "PartyType",
    "PbxResult",
    "PermissionDeniedError",
    "RateLimitError",
    "RecordParseError",
    "RetryPolicy",
    "ServerError",
    "SyncError",
    "Syncer",
    "UsageError",
    "Vpbx",
    "__version__",
    "parse_api_vars",
    "parse_call",
    "parse_event",
]

# The database side pulls in SQLAlchemy: imported when first used, so that
# `import mcn_calls` (and `mcn-calls --help`) stays fast.
_LAZY = {"Database": "store", "Syncer": "sync", "PbxResult": "sync"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
