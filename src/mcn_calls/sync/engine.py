"""Incremental sync: every call of a PBX in the database, exactly once, up to date.

Per PBX: the range is ``--from``/``--to`` when given (a backfill), else from
where the last sync stopped, minus the lookback window (late and changed calls
are picked up), to now. The range is cut into windows (a day each). Pages are
fetched, decoded and staged for the database on a thread of their own while
the calling thread writes (see :mod:`~mcn_calls.store.writer`); each window is
written and marked done in one transaction, so a crash loses at most the window
in flight, and a re-run rewrites nothing that did not change.

A window that still fails after all retries is not marked done: the PBX stops
there, the other PBXs go on, and :class:`~mcn_calls.errors.SyncError` names the
failed windows at the end. The next run retries them.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from ..client import CallPages, Client, Page, Window, windows
from ..errors import MCNError, SyncError
from ..store import Database, Staged, Writer
from .rows import CallRows, row_decoder

_DONE = object()
T = TypeVar("T")


@dataclass
class PbxResult:
    """What a sync did for one PBX."""

    vpbx_id: int
    first: date | datetime
    last: date | datetime
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    windows: int = 0
    seconds: float = 0.0
    failed: str | None = None

    @property
    def calls(self) -> int:
        return self.new + self.changed + self.unchanged

    def summary(self) -> str:
        span = f"{self.first:%Y-%m-%d} .. {self.last:%Y-%m-%d}"
        text = (
            f"vpbx {self.vpbx_id}: {self.new} new, {self.changed} changed, "
            f"{self.unchanged} unchanged in {self.seconds:.1f} s ({span})"
        )
        if self.failed:
            return f"{text}; FAILED at {self.failed}"
        if not self.new and not self.changed:
            return f"{text}; nothing changed"
        return text


@dataclass
class SyncPlan:
    vpbx_id: int
    first: date | datetime
    last: date | datetime


@dataclass
class _Job:
    """A plan being synced: its pages, and the time its fetching began."""

    plan: SyncPlan
    pages: CallPages[CallRows]
    now: datetime


@dataclass
class Syncer:
    """Syncs an account's PBXs from ``client`` into ``db``."""

    client: Client
    db: Database
    detailed: bool = False
    lookback_days: int = 2
    initial_days: int = 30
    #: Called after each window is saved: (vpbx_id, window, result so far).
    on_window: Callable[[int, Window, PbxResult], None] | None = None
    writer: Writer = field(init=False)

    def __post_init__(self) -> None:
        self.writer = Writer(self.db.dialect)
        self.account = self.client.settings.account_id
        self.tz = self.client.settings.tz

    def plan(
        self, vpbx_id: int, date_from: date | datetime | None, date_to: date | datetime | None
    ) -> SyncPlan:
        """The range to sync for a PBX: the backfill asked, or on from the last sync."""
        today = datetime.now(self.tz).date()
        last = date_to or today
        if date_from is not None:
            return SyncPlan(vpbx_id, date_from, last)
        with self.db.begin() as conn:
            state = self.writer.state(conn, self.account, vpbx_id)
        if state is None:
            return SyncPlan(vpbx_id, today - timedelta(days=self.initial_days), last)
        resume = state.synced_until.astimezone(self.tz).date() - timedelta(days=self.lookback_days)
        return SyncPlan(vpbx_id, min(resume, _as_date(last)), last)

    def windows(self, plan: SyncPlan) -> list[Window]:
        """The windows a plan is synced in (a day each), in order."""
        return windows(plan.first, plan.last, self.tz, self.client.window)

    def run(
        self,
        vpbx_ids: list[int] | None = None,
        date_from: date | datetime | None = None,
        date_to: date | datetime | None = None,
    ) -> list[PbxResult]:
        """Sync each PBX (all active ones by default); raises SyncError if windows failed."""
        ids = vpbx_ids or [p.vpbx_id for p in self.client.vpbx.list()]
        results = list(self.sync([self.plan(v, date_from, date_to) for v in ids]))
        raise_failures(results)
        return results

    def sync(self, plans: list[SyncPlan]) -> Iterator[PbxResult]:
        """Sync the plans in order, yielding each PBX's result when it is done. One
        pipeline runs through them all: the next PBX is fetched while the last
        windows of the one before are written."""
        result: PbxResult | None = None
        started = time.perf_counter()
        for job, window, outcome in _prefetched(self._produce(plans)):
            if result is None:
                result = PbxResult(job.plan.vpbx_id, job.plan.first, job.plan.last)
            if isinstance(outcome, Staged):
                assert window is not None
                self._save(job.plan.vpbx_id, window, outcome, result, job.now)
                result.windows += 1
                if self.on_window:
                    self.on_window(job.plan.vpbx_id, window, result)
                continue
            if isinstance(outcome, MCNError):
                failed = job.pages.windows[result.windows]
                result.failed = f"{failed} ({str(outcome).rstrip('.')})"
                continue
            result.seconds = time.perf_counter() - started  # the plan is done
            yield result
            result, started = None, time.perf_counter()

    def _produce(
        self, plans: list[SyncPlan]
    ) -> Iterator[tuple[_Job, Window | None, Staged | MCNError | None]]:
        """Each plan's windows staged, then its end (``None``); a window that failed
        ends its plan early, as an error, and the next plan goes on."""
        for plan in plans:
            decode = row_decoder(self.account, plan.vpbx_id, detailed=self.detailed)
            pages = self.client.calls.pages(
                plan.vpbx_id, plan.first, plan.last, decode, self.detailed
            )
            job = _Job(plan, pages, datetime.now(UTC))  # taken before anything is fetched
            try:
                for window, staged in self._staged(pages.iter_pages()):
                    yield job, window, staged
            except MCNError as exc:
                yield job, None, exc
            yield job, None, None

    def _staged(self, pages: Iterator[Page[CallRows]]) -> Iterator[tuple[Window, Staged]]:
        """Each window staged for the database, page by page, as its last page arrives."""
        stager = None
        try:
            for page in pages:
                stager = stager or self.writer.stager()
                items = page.items
                stager.add(
                    [row for row, _ in items], [e for _, found in items if found for e in found]
                )
                if page.last_in_window:
                    yield page.window, stager.done()
                    stager = None
        finally:
            if stager is not None:
                stager.close()

    def _save(
        self, vpbx: int, window: Window, staged: Staged, result: PbxResult, now: datetime
    ) -> None:
        account, writer, zone = self.account, self.writer, self.tz
        lo, hi = window.start.replace(tzinfo=zone), window.end.replace(tzinfo=zone)
        with self.db.connect() as conn, writer.loaded(conn, staged), conn.begin():
            counts = writer.write_window(
                conn, account, vpbx, staged, detailed=self.detailed, seen_at=now.isoformat(" ")
            )
            result.new += counts.new
            result.changed += counts.changed
            result.unchanged += counts.unchanged
            until = min(hi, now.astimezone(zone))
            writer.save_state(conn, account, vpbx, str(zone), lo, until, now)


def raise_failures(results: list[PbxResult]) -> None:
    """Raise :class:`SyncError` naming every window that failed, if any did."""
    failed = [f"vpbx {r.vpbx_id} window {r.failed}" for r in results if r.failed]
    if failed:
        raise SyncError(
            f"{len(failed)} window(s) failed and were not marked done ({'; '.join(failed)}); "
            "the rest is saved, run the sync again to retry them.",
            failed,
        )


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _prefetched(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """Pull ``items`` on a thread of its own (HTTP, decoding and staging overlap the writes)."""
    box: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def pull() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        box.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put(_DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            box.put(exc)

    thread = threading.Thread(target=pull, name="mcn-calls-fetch", daemon=True)
    thread.start()
    try:
        while True:
            item = box.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)
