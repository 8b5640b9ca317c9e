"""What hangs off a client: ``vpbx``, ``calls`` and ``recordings``, sync and async.

``calls.list`` returns an iterable that pages by itself, window by window; its
``iter_pages()`` yields :class:`Page` objects when pages are wanted (for
progress, or to commit per window).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec

from ..errors import APIResponseParseError
from ..model import CallRecord, parse_call
from .paging import ENVELOPE, Pager, Window, page_items, windows

if TYPE_CHECKING:
    from .client import AsyncClient, Client


class Vpbx(msgspec.Struct, frozen=True, kw_only=True):
    """One virtual PBX of the account."""

    vpbx_id: int
    name: str | None = None
    status: str | None = None
    raw: dict[str, Any] = msgspec.field(default_factory=dict)


_INACTIVE = frozenset({"inactive", "disabled", "blocked", "deleted", "closed", "off", "0"})


def parse_vpbx_list(payload: Any, url: str) -> list[Vpbx]:
    items, _ = page_items(payload, "GET", url)
    result: list[Vpbx] = []
    for item in items:
        if not isinstance(item, dict):
            raise APIResponseParseError(
                f"A virtual PBX in the answer to GET {url} is not an object.",
                method="GET",
                url=url,
                status_code=200,
            )
        raw_id = item.get("vpbx_id", item.get("id"))
        try:
            vpbx_id = int(str(raw_id).strip())
        except ValueError:
            raise APIResponseParseError(
                f"A virtual PBX in the answer to GET {url} has no numeric vpbx_id "
                f"(got {raw_id!r}).",
                method="GET",
                url=url,
                status_code=200,
            ) from None
        status = item.get("status")
        if status is not None and str(status).strip().lower() in _INACTIVE:
            continue
        name = item.get("name")
        result.append(
            Vpbx(
                vpbx_id=vpbx_id,
                name=str(name) if name is not None else None,
                status=str(status) if status is not None else None,
                raw=item,
            )
        )
    return result


T = TypeVar("T")

#: Makes one item of a page from its raw JSON: returns ``(callid, item)``.
ItemDecoder = Callable[[msgspec.Raw, tzinfo], tuple[str, T]]

_decode_dict = msgspec.json.Decoder().decode


def decode_record(raw: msgspec.Raw, tz: tzinfo) -> tuple[str, CallRecord]:
    """The default item: a parsed :class:`CallRecord`."""
    record = parse_call(_decode_dict(raw), tz)
    return record.callid, record


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a window: its items (repeats dropped), and whether it was the last."""

    window: Window
    offset: int
    items: list[T]
    last_in_window: bool


#: Pages in a row with nothing new before the server is taken to ignore ``offset``.
MAX_STALE_PAGES = 3


class _Window:
    """Paging state of one window: callids seen, and pages in a row that brought nothing new."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.stale = 0


class _CallQuery(Generic[T]):
    """What ``calls.list`` was asked; shared by the sync and async iterators."""

    def __init__(
        self,
        client: Client | AsyncClient,
        vpbx_id: int,
        date_from: date | datetime,
        date_to: date | datetime,
        detailed: bool,
        window: timedelta | None,
        decode: ItemDecoder[T],
    ) -> None:
        self.client = client
        self.decode = decode
        self.vpbx_id = int(vpbx_id)
        self.detailed = detailed
        self.windows = windows(date_from, date_to, client.settings.tz, window or client.window)
        self.path = f"/account/{client.settings.account_id}/vpbx/{self.vpbx_id}/call_log"
        self.pager = Pager(limit=client.page_size)

    def params(self, window: Window, offset: int) -> dict[str, Any]:
        params: dict[str, Any] = {**window.params(), "limit": self.pager.limit, "offset": offset}
        if self.detailed:
            params["request_detailed"] = 1
        return params

    def page(
        self, window: Window, offset: int, payload: Any, state: _Window
    ) -> tuple[Page[T], int | None]:
        """The page of an answer (repeats inside the window dropped) and the next offset."""
        items, total = page_items(payload, "GET", self.path)
        tz = self.client.settings.tz
        decode, seen = self.decode, state.seen
        records = []
        for item in items:
            callid, decoded = decode(item, tz)
            if callid not in seen:
                seen.add(callid)
                records.append(decoded)
        state.stale = state.stale + 1 if items and not records else 0
        if state.stale >= MAX_STALE_PAGES:
            raise APIResponseParseError(
                f"The API answers the same calls at every offset for {window} "
                f"({self.path}); it seems to ignore 'offset', so paging cannot go on.",
                method="GET",
                url=self.path,
                status_code=200,
            )
        following = self.pager.next_offset(offset, len(items), total)
        return Page(window, offset, records, following is None), following


class CallPages(_CallQuery[T]):
    """The calls of a range; iterating yields its items (by default :class:`CallRecord`)
    and pages by itself."""

    client: Client

    def iter_pages(self) -> Iterator[Page[T]]:
        for window in self.windows:
            state = _Window()
            offset: int | None = 0
            while offset is not None:
                params = self.params(window, offset)
                payload = self.client._sender.get(self.path, params, decoder=ENVELOPE)
                page, offset = self.page(window, offset, payload, state)
                yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncCallPages(_CallQuery[T]):
    """The async twin of :class:`CallPages`: ``async for call in ...``."""

    client: AsyncClient

    async def iter_pages(self) -> AsyncIterator[Page[T]]:
        for window in self.windows:
            state = _Window()
            offset: int | None = 0
            while offset is not None:
                params = self.params(window, offset)
                payload = await self.client._sender.get(self.path, params, decoder=ENVELOPE)
                page, offset = self.page(window, offset, payload, state)
                yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


def _vpbx_path(client: Client | AsyncClient) -> str:
    return f"/account/{client.settings.account_id}/vpbx"


def _record_path(client: Client | AsyncClient, vpbx_id: int) -> str:
    return f"/account/{client.settings.account_id}/vpbx/{int(vpbx_id)}/call_log/record"


class VpbxResource:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self) -> list[Vpbx]:
        """The account's active virtual PBXs."""
        path = _vpbx_path(self._client)
        return parse_vpbx_list(self._client._sender.get(path), path)


class CallsResource:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(
        self,
        vpbx_id: int,
        date_from: date | datetime,
        date_to: date | datetime,
        detailed: bool = False,
        *,
        window: timedelta | None = None,
    ) -> CallPages[CallRecord]:
        """Every call of ``[date_from, date_to]`` (dates are whole days, inclusive)."""
        return CallPages(self._client, vpbx_id, date_from, date_to, detailed, window, decode_record)

    def pages(
        self,
        vpbx_id: int,
        date_from: date | datetime,
        date_to: date | datetime,
        decode: ItemDecoder[T],
        detailed: bool = False,
        *,
        window: timedelta | None = None,
    ) -> CallPages[T]:
        """Like :meth:`list`, with each item made by ``decode`` from its raw JSON."""
        return CallPages(self._client, vpbx_id, date_from, date_to, detailed, window, decode)


class RecordingsResource:
    def __init__(self, client: Client) -> None:
        self._client = client

    def get(self, vpbx_id: int, callid: str) -> bytes:
        """The recording's audio (MP3)."""
        data: bytes = self._client._sender.get(
            _record_path(self._client, vpbx_id), {"call_id": callid}, binary=True
        )
        return data

    def download(self, vpbx_id: int, callid: str, path: str | os.PathLike[str]) -> Path:
        """Stream the recording into ``path`` (written whole or not at all)."""
        return self._client._sender.download(
            _record_path(self._client, vpbx_id), {"call_id": callid}, Path(path)
        )


class AsyncVpbxResource:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self) -> list[Vpbx]:
        path = _vpbx_path(self._client)
        return parse_vpbx_list(await self._client._sender.get(path), path)


class AsyncCallsResource:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def list(
        self,
        vpbx_id: int,
        date_from: date | datetime,
        date_to: date | datetime,
        detailed: bool = False,
        *,
        window: timedelta | None = None,
    ) -> AsyncCallPages[CallRecord]:
        return AsyncCallPages(
            self._client, vpbx_id, date_from, date_to, detailed, window, decode_record
        )


class AsyncRecordingsResource:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def get(self, vpbx_id: int, callid: str) -> bytes:
        data: bytes = await self._client._sender.get(
            _record_path(self._client, vpbx_id), {"call_id": callid}, binary=True
        )
        return data

    async def download(self, vpbx_id: int, callid: str, path: str | os.PathLike[str]) -> Path:
        """Stream the recording into ``path`` (written whole or not at all)."""
        return await self._client._sender.download(
            _record_path(self._client, vpbx_id), {"call_id": callid}, Path(path)
        )
