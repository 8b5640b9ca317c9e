"""``Client`` and ``AsyncClient``: the MCN virtual-PBX API, typed.

    with Client() as client:                      # MCN_API_TOKEN, MCN_ACCOUNT_ID, ...
        for pbx in client.vpbx.list():
            for call in client.calls.list(pbx.vpbx_id, date(2024, 12, 1), date(2024, 12, 31)):
                ...

Both take an injectable httpx transport (``httpx.MockTransport``,
``httpx.ASGITransport``) for tests. The token is never shown: not in a repr, an
error or a log line.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from types import TracebackType
from typing import Self

import httpx

from .http import AsyncSender, Sender, headers
from .resources import (
    AsyncCallsResource,
    AsyncRecordingsResource,
    AsyncVpbxResource,
    CallsResource,
    RecordingsResource,
    VpbxResource,
)
from .retry import RetryPolicy
from .settings import Secret, Settings

DEFAULT_PAGE_SIZE = 2000
DEFAULT_WINDOW = timedelta(days=1)


class _Base:
    settings: Settings

    def _setup(
        self,
        base_url: str | None,
        token: str | Secret | None,
        account_id: int | str | None,
        tz: str | None,
        timeout: float,
        max_retries: int,
        retry: RetryPolicy | None,
        page_size: int,
        window: timedelta,
    ) -> None:
        self.settings = Settings.resolve(
            base_url=base_url, token=token, account_id=account_id, tz=tz
        )
        self.timeout = timeout
        self.retry = retry or RetryPolicy(max_retries=max_retries)
        self.page_size = page_size
        self.window = window

    def _http_options(self) -> dict[str, object]:
        return {
            "base_url": self.settings.base_url,
            "headers": headers(self.settings),
            "timeout": httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            "follow_redirects": True,
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.settings.base_url!r}, "
            f"account_id={self.settings.account_id})"
        )


class Client(_Base):
    """The synchronous client."""

    def __init__(
        self,
        *,
        token: str | Secret | None = None,
        account_id: int | str | None = None,
        base_url: str | None = None,
        tz: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 5,
        retry: RetryPolicy | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: timedelta = DEFAULT_WINDOW,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._setup(base_url, token, account_id, tz, timeout, max_retries, retry, page_size, window)
        self._http = httpx.Client(transport=transport, **self._http_options())  # type: ignore[arg-type]
        self._sender = Sender(self._http, self.retry, timeout, sleep)
        self.vpbx = VpbxResource(self)
        self.calls = CallsResource(self)
        self.recordings = RecordingsResource(self)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(_Base):
    """The asynchronous client; the same resources, awaited."""

    def __init__(
        self,
        *,
        token: str | Secret | None = None,
        account_id: int | str | None = None,
        base_url: str | None = None,
        tz: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 5,
        retry: RetryPolicy | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: timedelta = DEFAULT_WINDOW,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._setup(base_url, token, account_id, tz, timeout, max_retries, retry, page_size, window)
        self._http = httpx.AsyncClient(transport=transport, **self._http_options())  # type: ignore[arg-type]
        self._sender = AsyncSender(self._http, self.retry, timeout, sleep)
        self.vpbx = AsyncVpbxResource(self)
        self.calls = AsyncCallsResource(self)
        self.recordings = AsyncRecordingsResource(self)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
