"""The emulated MCN world: accounts, their PBXs, the calls, and how they change.

:class:`Emulator` is everything the HTTP layer asks: who a token belongs to,
which PBXs an account has, a page of calls, a recording. Its admin methods add
and change calls while it runs, so incremental sync can be tested.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

from .audio import silent_mp3
from .clock import day_start, fmt, now_local, parse_local, today_local
from .config import EmulatorConfig
from .events import build_events, event_plan
from .profile import Pbx, build_pbx
from .store import CallStore
from .traffic import DayGenerator, build_record, new_carry

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")
_DATE_HINT = "use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS"


class ApiProblem(Exception):
    """An API error answer: an HTTP status and a one-sentence description."""

    def __init__(self, status: int, description: str, headers: dict[str, str] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = headers or {}


def parse_bound(name: str, value: str | None, *, end: bool) -> str:
    """A ``date_from``/``date_to`` value as the inclusive stored-date bound it means."""
    if value is None or value.strip() == "":
        raise ApiProblem(400, f"Parameter {name} is required ({_DATE_HINT}).")
    text = value.strip()
    try:
        if _DAY.fullmatch(text):
            day = date.fromisoformat(text)
            return f"{day.isoformat()} 23:59:59" if end else f"{day.isoformat()} 00:00:00"
        if _MOMENT.fullmatch(text):
            return fmt(datetime.fromisoformat(text))
    except ValueError:
        raise ApiProblem(400, f"Parameter {name}={text!r} is not a real date.") from None
    raise ApiProblem(400, f"Parameter {name}={text!r} is malformed: {_DATE_HINT}.")


def parse_count(name: str, value: str | None, default: int, minimum: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ApiProblem(400, f"Parameter {name}={value!r} must be a whole number.") from None
    if number < minimum:
        raise ApiProblem(400, f"Parameter {name}={value!r} must be at least {minimum}.")
    return number


def parse_flag(name: str, value: str | None) -> bool:
    if value is None or value.strip().lower() in ("", "0", "false"):
        return False
    if value.strip().lower() in ("1", "true"):
        return True
    raise ApiProblem(400, f"Parameter {name}={value!r} must be 1 or 0.")


class PageCache:
    """Rendered call_log answers, least recently used first out, bounded in bytes.

    Any change to the calls empties it, so an answer is always what the store
    holds now. It keeps the emulator's own cost out of client benchmarks.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.pages: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> bytes | None:
        with self.lock:
            body = self.pages.get(key)
            if body is not None:
                self.pages.move_to_end(key)
            return body

    def put(self, key: tuple[Any, ...], body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            self.size -= len(old) if old else 0
            self.pages[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                _, evicted = self.pages.popitem(last=False)
                self.size -= len(evicted)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.size = 0


class Emulator:
    """One running emulator: config, PBXs, the call store and its changes."""

    def __init__(
        self, config: EmulatorConfig, *, progress: Callable[[str], None] | None = None
    ) -> None:
        self.config = config
        self.today = config.today or today_local()
        taken: set[int] = set()
        self.pbxs: dict[int, Pbx] = {}
        self.by_account: dict[int, list[Pbx]] = {}
        for account_id in sorted(config.accounts):
            pbxs = [build_pbx(config.seed, account_id, i, taken) for i in range(config.vpbx)]
            self.by_account[account_id] = pbxs
            self.pbxs.update((p.vpbx_id, p) for p in pbxs)
        self._account_of_token = {token: acc for acc, token in config.accounts.items()}
        self._tmpdir: str | None = None
        if config.data is None:
            self._tmpdir = tempfile.mkdtemp(prefix="mcn-emulator-")
            path = Path(self._tmpdir) / "calls.db"
        else:
            path = config.data
            path.parent.mkdir(parents=True, exist_ok=True)
        self.store = CallStore(path)
        self.cache = PageCache(config.cache_mb * 1024 * 1024)
        self._say = progress or (lambda message: print(message, file=sys.stderr))
        self._ensure_generated()

    def close(self) -> None:
        self.store.close()
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    # -- generation ---------------------------------------------------------------
    def _ensure_generated(self) -> None:
        fingerprint = self.config.fingerprint()
        fingerprint["today"] = self.today.isoformat()
        if self.store.meta("fingerprint") == fingerprint:
            return
        first = self.today - timedelta(days=self.config.days)
        expected = self.config.calls_per_day * self.config.days * len(self.pbxs)
        if expected >= 200_000:
            self._say(f"Generating about {expected:,} calls into {self.store.path} ...")
        with self.store.bulk():
            for pbx in self.pbxs.values():
                gen = DayGenerator(
                    pbx, self.config.seed, self.config.calls_per_day, self.config.days
                )
                carry = new_carry(pbx)
                for i in range(self.config.days):
                    self.store.load(pbx.vpbx_id, gen.day(first + timedelta(days=i), carry))
        self.store.set_meta("fingerprint", fingerprint)
        self.store.set_meta("ticks", 0)

    # -- who is asking ------------------------------------------------------------
    def account_for_token(self, token: str | None) -> int:
        if not token:
            raise ApiProblem(401, "No API token: send the header 'Authorization: Bearer <token>'.")
        account = self._account_of_token.get(token)
        if account is None:
            raise ApiProblem(401, "The API token is not valid: check the token in the cabinet.")
        return account

    def authorise(self, token: str | None, account_id: str) -> int:
        account = self.account_for_token(token)
        if str(account) != account_id.strip():
            raise ApiProblem(403, f"This token has no access to account {account_id}.")
        return account

    def pbx(self, account: int, vpbx_id: str) -> Pbx:
        for pbx in self.by_account.get(account, ()):
            if str(pbx.vpbx_id) == vpbx_id.strip():
                return pbx
        raise ApiProblem(404, f"Virtual PBX {vpbx_id} is not found in account {account}.")

    # -- API answers --------------------------------------------------------------
    def vpbx_list(self, account: int) -> bytes:
        items = [p.describe() for p in self.by_account[account]]
        return _encode({"code": 200, "items": items})

    def call_log(
        self,
        pbx: Pbx,
        date_from: str | None,
        date_to: str | None,
        limit: str | None,
        offset: str | None,
        detailed: str | None,
    ) -> bytes:
        lo = parse_bound("date_from", date_from, end=False)
        hi = parse_bound("date_to", date_to, end=True)
        if lo > hi:
            raise ApiProblem(400, f"date_from ({date_from}) is after date_to ({date_to}).")
        size = min(parse_count("limit", limit, self.config.default_limit, 1), self.config.max_limit)
        start = parse_count("offset", offset, 0, 0)
        want_events = parse_flag("request_detailed", detailed)
        key = (pbx.vpbx_id, lo, hi, size, start, want_events)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        bodies = self.store.page(pbx.vpbx_id, lo, hi, size, start)
        if want_events:
            bodies = [self._detailed(pbx, body) for body in bodies]
        total = self.store.count(pbx.vpbx_id, lo, hi)
        head = b'{"code":200,"total":%d,"items":[' % total
        answer = head + b",".join(bodies) + b"]}"
        self.cache.put(key, answer)
        return answer

    @staticmethod
    def _detailed(pbx: Pbx, body: bytes) -> bytes:
        record = _decode(body)
        record["events"] = build_events(pbx, record)
        return _encode(record)

    def recording(self, pbx: Pbx, call_id: str | None) -> bytes:
        if not call_id:
            raise ApiProblem(400, "Parameter call_id is required.")
        record = self.store.get(pbx.vpbx_id, call_id)
        if record is None:
            raise ApiProblem(404, f"Call {call_id} is not found in virtual PBX {pbx.vpbx_id}.")
        if not record.get("has_record"):
            raise ApiProblem(404, f"Call {call_id} has no recording.")
        return silent_mp3(min(int(record.get("talktime") or 1), 5))

    # -- change over time (admin) -------------------------------------------------
    def admin_pbxs(self, vpbx_id: int | None) -> list[Pbx]:
        if vpbx_id is None:
            return list(self.pbxs.values())
        if vpbx_id not in self.pbxs:
            raise ApiProblem(404, f"Virtual PBX {vpbx_id} is not emulated here.")
        return [self.pbxs[vpbx_id]]

    def tick(
        self, calls: int, changes: int, vpbx_id: int | None = None, at: str | None = None
    ) -> dict[str, list[str]]:
        """Add ``calls`` new calls to each PBX in the 10 minutes before ``at`` (default
        now), and change ``changes`` calls of each from the 48 hours before it (an
        unanswered inbound call gets answered, or an answered call gets its
        recording). Deterministic per tick number."""
        moment = parse_local(parse_bound("at", at, end=False)) if at else now_local()
        tick_no = int(self.store.meta("ticks") or 0) + 1
        added: list[str] = []
        changed: list[str] = []
        for pbx in self.admin_pbxs(vpbx_id):
            rng = random.Random(f"tick/{self.config.seed}/{tick_no}/{pbx.vpbx_id}")
            new = self._new_calls(pbx, rng, calls, moment, tick_no)
            updates = self._changes(pbx, rng, changes, moment)
            self.store.put(pbx.vpbx_id, new + updates)
            self.cache.clear()
            added += [r["callid"] for r in new]
            changed += [r["callid"] for r in updates]
        self.store.set_meta("ticks", tick_no)
        return {"added": added, "changed": changed}

    def _new_calls(
        self, pbx: Pbx, rng: random.Random, n: int, moment: datetime, tick_no: int
    ) -> list[dict[str, Any]]:
        gen = DayGenerator(pbx, self.config.seed, self.config.calls_per_day, self.config.days)
        carry = new_carry(pbx)
        carry.seq = 90_000_000 + tick_no * 10_000
        floor = day_start(moment.date())
        starts = sorted(
            max(floor, moment - timedelta(seconds=rng.randrange(600))) for _ in range(n)
        )
        return [gen.call(rng, start, carry) for start in starts]

    def _changes(
        self, pbx: Pbx, rng: random.Random, n: int, moment: datetime
    ) -> list[dict[str, Any]]:
        if n <= 0:
            return []
        candidates = [
            r
            for r in self.store.between(pbx.vpbx_id, fmt(moment - timedelta(days=2)), fmt(moment))
            if (r["type"] == "inb" and r["status"] != "ANSWERED")
            or (r["status"] == "ANSWERED" and not r["has_record"])
        ]
        updates = []
        for record in rng.sample(candidates, min(n, len(candidates))):
            if record["status"] == "ANSWERED":
                record = {**record, "has_record": 1}
            else:
                op = rng.choice(pbx.operators)
                record = build_record(
                    pbx,
                    callid=record["callid"],
                    start=parse_local(record["date"]),
                    type=record["type"],
                    src_num=record["src_num"],
                    src_name=record["src_name"],
                    src_type=record["src_type"],
                    dst_num=op.ext,
                    dst_name=op.name,
                    dst_type="sipdevice",
                    did=record["did"] or None,
                    waittime=record["waittime"],
                    talktime=DayGenerator.talk(rng),
                    status="ANSWERED",
                    has_record=True,
                )
            updates.append(record)
        return updates

    def upsert(self, vpbx_id: int, records: list[dict[str, Any]]) -> list[str]:
        """Insert or replace whole records (as the API would serve them)."""
        pbx = self.admin_pbxs(vpbx_id)[0]
        for record in records:
            if not isinstance(record.get("callid"), str) or not record["callid"]:
                raise ApiProblem(400, "Every record needs a string callid.")
            record["date"] = parse_bound("date", record.get("date"), end=False)
        self.store.put(pbx.vpbx_id, records)
        self.cache.clear()
        return [r["callid"] for r in records]

    def patch(self, vpbx_id: int, callid: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Change fields of one call; ``events_count`` follows the new record."""
        pbx = self.admin_pbxs(vpbx_id)[0]
        record = self.store.get(pbx.vpbx_id, callid)
        if record is None:
            raise ApiProblem(404, f"Call {callid} is not found in virtual PBX {vpbx_id}.")
        record.update(fields)
        record["callid"] = callid
        record["date"] = parse_bound("date", record.get("date"), end=False)
        if all(k in record for k in ("type", "status", "did")):
            record["events_count"] = len(event_plan(pbx, record))
        self.store.put(pbx.vpbx_id, [record])
        self.cache.clear()
        return record


__all__ = ["ApiProblem", "Emulator"]
