"""The one error tree of mcn-calls.

Every error the library raises on purpose is an :class:`MCNError`::

    MCNError
    ├── UsageError                    the caller's input or settings are wrong
    ├── RecordParseError              a call record cannot be understood at all
    ├── DatabaseError                 the database cannot be opened or written
    ├── SyncError                     windows of a sync failed (the rest was saved)
    └── APIError                      talking to the API failed (carries method and URL)
        ├── APIConnectionError        no answer: refused, reset, cut off mid-body
        │   └── APITimeoutError       no answer in time
        ├── APIResponseParseError     an answer that is not the promised JSON
        └── APIStatusError            an error status (or an MCN error body)
            ├── BadRequestError           400, 422
            ├── AuthenticationError       401
            ├── PermissionDeniedError     403
            ├── NotFoundError             404
            ├── RateLimitError            429
            └── ServerError               5xx

Each error's ``str()`` is one sentence that names the problem and the fix.
URLs are kept without credentials; no error ever holds a token.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseParseError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "DatabaseError",
    "MCNError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RecordParseError",
    "ServerError",
    "SyncError",
    "UsageError",
    "redact_url",
]

_SECRET_PARAMS = frozenset({"user_hash", "token", "access_token", "api_key"})


def redact_url(url: object) -> str:
    """The URL without credentials: user info and token-bearing query values removed."""
    parts = urlsplit(str(url))
    netloc = parts.netloc.rpartition("@")[2]
    query = urlencode(
        [(k, "***" if k.lower() in _SECRET_PARAMS else v) for k, v in parse_qsl(parts.query)],
        safe="*",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class MCNError(Exception):
    """Base class of every error mcn-calls raises on purpose."""


class UsageError(MCNError):
    """The caller asked for something that cannot be done as asked."""


class RecordParseError(MCNError, ValueError):
    """A call record (or one of its fields) cannot be understood.

    ``field`` names the offending field (``None`` when the record itself is not
    an object), ``value`` is the offending value.
    """

    def __init__(self, field: str | None, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        where = f"field {field!r}" if field else "the record"
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(f"Cannot parse {where} of a call record: {reason} (got {shown}).")


class DatabaseError(MCNError):
    """The database cannot be opened, migrated or written."""


class SyncError(MCNError):
    """Some windows of a sync failed after all retries; ``failures`` names them.

    Every other window was saved, and the failed ones were not marked done, so
    the next run retries them.
    """

    def __init__(self, message: str, failures: list[str]) -> None:
        super().__init__(message)
        self.failures = failures


class APIError(MCNError):
    """A request to the API failed; ``method`` and ``url`` (redacted) say which."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.method = method
        self.url = redact_url(url)


class APIConnectionError(APIError):
    """No (complete) answer: connection refused or reset, or the body was cut off."""


class APITimeoutError(APIConnectionError):
    """The API did not answer in time."""


class APIResponseParseError(APIError):
    """The answer is not the JSON the endpoint promises."""

    def __init__(self, message: str, *, method: str, url: str, status_code: int) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code


class APIStatusError(APIError):
    """The API answered with an error status or an MCN error body.

    ``status_code`` is the HTTP status (or the ``code`` of an error body),
    ``description`` MCN's own words, ``body`` the decoded answer if it was JSON.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        description: str | None = None,
        body: object = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.description = description
        self.body = body
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """400 or 422: the API rejected the request's parameters."""


class AuthenticationError(APIStatusError):
    """401: the token is missing or not valid."""


class PermissionDeniedError(APIStatusError):
    """403: the token has no access to this account."""


class NotFoundError(APIStatusError):
    """404: no such account, virtual PBX or call."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class ServerError(APIStatusError):
    """5xx: the API failed on its side."""
