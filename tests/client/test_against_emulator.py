"""The client against the real emulator over a real socket: sync and async agree."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path

from mcn_calls import CallRecord
from mcn_calls.client import AsyncClient, Client
from mcn_calls.emulator import Running

from ..conftest import ACCOUNTS
from ..support import vpbx_ids


def _client(live: Running) -> Client:
    return Client(base_url=live.base_url, token=ACCOUNTS[100001], account_id=100001)


def test_async_client_gives_the_same_result_as_the_sync_one(emulator: Running) -> None:
    first, last = date(2026, 10, 27), date(2026, 11, 25)
    with _client(emulator) as client:
        pbxs = client.vpbx.list()
        sync = {
            p.vpbx_id: list(client.calls.list(p.vpbx_id, first, last, detailed=True)) for p in pbxs
        }

    async def fetch() -> tuple[list[int], dict[int, list[CallRecord]]]:
        async with AsyncClient(
            base_url=emulator.base_url, token=ACCOUNTS[100001], account_id=100001
        ) as client:
            found = await client.vpbx.list()
            calls = {
                p.vpbx_id: [c async for c in client.calls.list(p.vpbx_id, first, last, True)]
                for p in found
            }
            return [p.vpbx_id for p in found], calls

    ids, async_calls = asyncio.run(fetch())
    assert ids == [p.vpbx_id for p in pbxs] == vpbx_ids(emulator)
    assert async_calls == sync
    assert sum(len(v) for v in sync.values()) > 1000
    assert all(
        c.events is not None and len(c.events) == c.events_count for v in sync.values() for c in v
    )


def test_sub_day_windows_give_the_same_calls(emulator: Running) -> None:
    from datetime import timedelta

    vpbx = vpbx_ids(emulator)[0]
    with _client(emulator) as client:
        days = list(client.calls.list(vpbx, date(2026, 11, 20), date(2026, 11, 21)))
        hours = list(
            client.calls.list(
                vpbx,
                datetime(2026, 11, 20),
                datetime(2026, 11, 21, 23, 59, 59),
                window=timedelta(hours=5),
            )
        )
    assert [c.callid for c in hours] == [c.callid for c in days]


def test_recordings_through_the_client(emulator: Running, tmp_path: Path) -> None:
    vpbx = vpbx_ids(emulator)[0]
    with _client(emulator) as client:
        call = next(
            c
            for c in client.calls.list(vpbx, date(2026, 11, 24), date(2026, 11, 24))
            if c.has_record
        )
        audio = client.recordings.get(vpbx, call.callid)
        saved = client.recordings.download(vpbx, call.callid, tmp_path / "sync.mp3")

    async def fetch() -> tuple[bytes, Path]:
        async with AsyncClient(
            base_url=emulator.base_url, token=ACCOUNTS[100001], account_id=100001
        ) as client:
            got = await client.recordings.get(vpbx, call.callid)
            path = await client.recordings.download(vpbx, call.callid, tmp_path / "async.mp3")
            return got, path

    async_audio, async_saved = asyncio.run(fetch())
    assert audio.startswith(b"\xff\xfb") and async_audio == audio
    assert saved.read_bytes() == audio == async_saved.read_bytes()


def test_a_read_page_is_freed_at_once_not_at_the_next_garbage_collection(
    emulator: Running,
) -> None:
    """httpx ties a response and its stream in a reference cycle; a sync reading
    thousands of pages must not keep their bodies until the collector runs."""
    import gc
    import itertools

    import httpx

    def responses() -> int:
        return sum(isinstance(o, httpx.Response) for o in gc.get_objects())

    gc.collect()
    before = responses()
    gc.disable()
    try:
        with _client(emulator) as client:
            vpbx = client.vpbx.list()[0].vpbx_id
            numbered = itertools.count()

            def decode(raw: object, tz: object) -> tuple[str, None]:
                return str(next(numbered)), None

            query = client.calls.pages(vpbx, date(2026, 10, 27), date(2026, 11, 25), decode)
            pages = list(query.iter_pages())
            assert len(pages) >= 30 and next(numbered) > 500
            assert responses() == before
    finally:
        gc.enable()
