"""Requests and answers: what an answer means, and the retry loop around it.

:func:`interpret` turns an ``httpx.Response`` into decoded JSON or a typed
error; :func:`transport_error` does the same for a failure with no answer. The
sync and async senders share both, and :class:`~.retry.RetryPolicy`.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import os
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import httpx
import msgspec

from .._version import __version__
from ..errors import (
    APIConnectionError,
    APIError,
    APIResponseParseError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    redact_url,
)
from .retry import RetryPolicy
from .settings import Settings

log = logging.getLogger("mcn_calls.client")

_decode = msgspec.json.Decoder().decode
_INVALID = object()
Decoder = msgspec.json.Decoder[Any]


def headers(settings: Settings) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {settings.token.reveal()}",
        "Accept": "application/json",
        "User-Agent": f"mcn-calls/{__version__}",
    }


def _path(url: str) -> str:
    return httpx.URL(url).path or "/"


def retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_description(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    errors = payload.get("errors")
    if isinstance(errors, dict):
        text = errors.get("description") or errors.get("message")
        return str(text) if text else None
    if isinstance(errors, list) and errors:
        return "; ".join(
            str(e.get("description", e)) if isinstance(e, dict) else str(e) for e in errors
        )
    for key in ("description", "message", "detail", "error"):
        if isinstance(payload.get(key), str):
            return str(payload[key])
    return None


def is_error_body(payload: Any) -> bool:
    """MCN's failure shape, which may come even with HTTP 200."""
    return isinstance(payload, dict) and (
        payload.get("status") == "error" or ("errors" in payload and "items" not in payload)
    )


def status_error(
    status: int, method: str, url: str, payload: Any, retry_after_s: float | None
) -> APIStatusError:
    """The typed error for an error status, with a one-sentence message and its fix."""
    description = _error_description(payload)
    said = f"{status}: {description.rstrip('.')}" if description else str(status)
    path = _path(url)
    cls: type[APIStatusError]
    if status in (400, 422):
        cls, text = (
            BadRequestError,
            f"MCN rejected the request ({said}); check the dates and options.",
        )
    elif status == 401:
        cls, text = (
            AuthenticationError,
            (f"MCN did not accept the API token ({said}); check --token or MCN_API_TOKEN."),
        )
    elif status == 403:
        cls, text = (
            PermissionDeniedError,
            (
                f"The API token has no access to this account ({said}); "
                "check --account or MCN_ACCOUNT_ID."
            ),
        )
    elif status == 404:
        cls, text = (
            NotFoundError,
            (
                f"MCN found nothing at {path} ({said}); check the account and vpbx ids "
                "('mcn-calls vpbx list' shows the PBXs)."
            ),
        )
    elif status == 429:
        cls, text = (
            RateLimitError,
            (f"MCN kept answering 'too many requests' ({said}); wait a minute and run again."),
        )
    elif status >= 500:
        cls, text = (
            ServerError,
            (f"MCN failed on its side ({said}) for {method} {path}; try again later."),
        )
    else:
        cls, text = APIStatusError, f"MCN answered {said} for {method} {path}."
    return cls(
        text,
        method=method,
        url=url,
        status_code=status,
        description=description,
        body=payload if payload is not _INVALID else None,
        retry_after=retry_after_s,
    )


def interpret(
    response: httpx.Response, *, binary: bool = False, decoder: Decoder | None = None
) -> Any:
    """Decoded JSON of a successful answer, or a typed error.

    ``binary`` returns the bytes of a non-JSON answer (audio); ``decoder``
    decodes with a typed msgspec decoder (call_log pages) instead of to dicts.
    """
    method, url = response.request.method, str(response.request.url)
    status = response.status_code
    content = response.content
    payload: Any = _INVALID
    if not binary or status >= 400 or _is_json(response):
        try:
            if status < 400 and decoder is not None:
                payload = decoder.decode(content)
                error_body = getattr(payload, "error_body", None)  # an Envelope's
                if error_body is not None and (found := error_body()) is not None:
                    payload = found
            else:
                payload = _decode(content) if content else None
        except msgspec.DecodeError:  # a ValidationError is a DecodeError too
            payload = _INVALID
    if status >= 400 or is_error_body(payload):
        code = status
        if status < 400 and isinstance(payload, dict) and isinstance(payload.get("code"), int):
            code = payload["code"]
        raise status_error(
            code, method, url, payload, retry_after(response.headers.get("retry-after"))
        )
    if binary:
        return content
    if payload is _INVALID:
        raise APIResponseParseError(
            f"The answer to {method} {_path(url)} is not valid JSON "
            f"({len(content)} bytes, HTTP {status}); it may have been cut off, try again.",
            method=method,
            url=url,
            status_code=status,
        )
    return payload


def transport_error(exc: httpx.TransportError, method: str, url: str, timeout: float) -> APIError:
    """A typed error for a failure with no (complete) answer."""
    host = httpx.URL(url).host or url
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"{host} did not answer {method} {_path(url)} within {timeout:g} s; "
            "try again later or raise --timeout.",
            method=method,
            url=url,
        )
    if isinstance(exc, httpx.ConnectError):
        return APIConnectionError(
            f"Cannot connect to {redact_url(httpx.URL(url).copy_with(path='/', query=None))} "
            f"({_reason(exc)}); check --base-url or MCN_API_URL and the network.",
            method=method,
            url=url,
        )
    return APIConnectionError(
        f"The connection to {host} broke during {method} {_path(url)} ({_reason(exc)}); "
        "try again later.",
        method=method,
        url=url,
    )


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.rstrip(".")


class _Retrying:
    """What one try came to: a result to return, or a wait before the next try."""

    policy: RetryPolicy
    timeout: float

    def settle(
        self,
        request: httpx.Request,
        attempt: int,
        started: float,
        outcome: httpx.Response | httpx.TransportError,
        binary: bool,
        decoder: Decoder | None = None,
    ) -> tuple[bool, Any]:
        """``(True, result)`` when done, ``(False, seconds)`` to retry; raises when spent."""
        error: APIError
        if isinstance(outcome, httpx.TransportError):
            error = transport_error(outcome, request.method, str(request.url), self.timeout)
        else:
            try:
                result = interpret(outcome, binary=binary, decoder=decoder)
            except httpx.TransportError as exc:
                error = transport_error(exc, request.method, str(request.url), self.timeout)
            except APIError as exc:
                error = exc
            else:
                _log_ok(request, outcome, started)
                return True, result
            finally:
                _release(outcome)
        if not self.policy.should_retry(error, attempt):
            raise error
        wait = self.policy.delay(error, attempt)
        _log_retry(request, error, attempt, wait)
        return False, wait


def _release(response: httpx.Response) -> None:
    """Let go of a response that has been read. httpx binds the stream to its
    response, a reference cycle that would keep the body (a page: megabytes)
    alive until the cyclic garbage collector comes round; cutting it frees the
    body as soon as the decoded page is done with."""
    response.stream = _SPENT


_SPENT = httpx.ByteStream(b"")


def _is_json(response: httpx.Response) -> bool:
    return bool(response.headers.get("content-type", "").startswith("application/json"))


@contextmanager
def _partial(target: Path) -> Iterator[BinaryIO]:
    """A temporary file beside ``target``, renamed onto it only when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(name, target)
    finally:
        Path(name).unlink(missing_ok=True)


class Sender(_Retrying):
    """Sends one GET with retries (sync)."""

    def __init__(
        self,
        http: httpx.Client,
        policy: RetryPolicy,
        timeout: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http, self.policy, self.timeout, self.sleep = http, policy, timeout, sleep

    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        binary: bool = False,
        decoder: Decoder | None = None,
    ) -> Any:
        attempt = 0
        while True:
            attempt += 1
            request = self.http.build_request("GET", path, params=params)
            started = time.perf_counter()
            outcome: httpx.Response | httpx.TransportError
            try:
                outcome = self.http.send(request)
            except httpx.TransportError as exc:
                outcome = exc
            done, value = self.settle(request, attempt, started, outcome, binary, decoder)
            if done:
                return value
            self.sleep(value)

    def download(self, path: str, params: dict[str, Any], target: Path) -> Path:
        """Stream a GET's body into ``target`` (whole or not at all), with retries."""
        attempt = 0
        while True:
            attempt += 1
            request = self.http.build_request("GET", path, params=params)
            started = time.perf_counter()
            outcome: httpx.Response | httpx.TransportError
            try:
                response = self.http.send(request, stream=True)
                try:
                    if response.status_code < 400 and not _is_json(response):
                        with _partial(target) as out:
                            for chunk in response.iter_bytes():
                                out.write(chunk)
                        return target
                    response.read()  # an error, or JSON where audio was due: judged as usual
                finally:
                    response.close()
                outcome = response
            except httpx.TransportError as exc:
                outcome = exc
            done, value = self.settle(request, attempt, started, outcome, True)
            if done:
                with _partial(target) as out:
                    out.write(value)
                return target
            self.sleep(value)


class AsyncSender(_Retrying):
    """Sends one GET with retries (async); the same steps as :class:`Sender`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        policy: RetryPolicy,
        timeout: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.http, self.policy, self.timeout, self.sleep = http, policy, timeout, sleep

    async def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        binary: bool = False,
        decoder: Decoder | None = None,
    ) -> Any:
        attempt = 0
        while True:
            attempt += 1
            request = self.http.build_request("GET", path, params=params)
            started = time.perf_counter()
            outcome: httpx.Response | httpx.TransportError
            try:
                outcome = await self.http.send(request)
            except httpx.TransportError as exc:
                outcome = exc
            done, value = self.settle(request, attempt, started, outcome, binary, decoder)
            if done:
                return value
            await self.sleep(value)

    async def download(self, path: str, params: dict[str, Any], target: Path) -> Path:
        """Stream a GET's body into ``target`` (whole or not at all), with retries."""
        attempt = 0
        while True:
            attempt += 1
            request = self.http.build_request("GET", path, params=params)
            started = time.perf_counter()
            outcome: httpx.Response | httpx.TransportError
            try:
                response = await self.http.send(request, stream=True)
                try:
                    if response.status_code < 400 and not _is_json(response):
                        with _partial(target) as out:
                            async for chunk in response.aiter_bytes():
                                out.write(chunk)
                        return target
                    await response.aread()  # an error, or JSON where audio was due: judged as usual
                finally:
                    await response.aclose()
                outcome = response
            except httpx.TransportError as exc:
                outcome = exc
            done, value = self.settle(request, attempt, started, outcome, True)
            if done:
                with _partial(target) as out:
                    out.write(value)
                return target
            await self.sleep(value)


def _log_ok(request: httpx.Request, response: httpx.Response, started: float) -> None:
    if log.isEnabledFor(logging.DEBUG):
        log.debug(
            "GET %s -> %d, %d bytes, %.3f s",
            redact_url(request.url),
            response.status_code,
            len(response.content),
            time.perf_counter() - started,
        )


def _log_retry(request: httpx.Request, error: APIError, attempt: int, wait: float) -> None:
    log.info(
        "GET %s failed (try %d): %s Retrying in %.2f s.",
        redact_url(request.url),
        attempt,
        error,
        wait,
    )
