"""Realistic, deterministic call traffic for one emulated PBX.

A day's calls depend only on (seed, vpbx_id, day) for their randomness, with a
small state carried from day to day (the callid sequence, and the missed
callers that operators call back). The numbers of every call hold together:

* ``end_date - date == waittime + talktime``;
* ``answer_date == date + waittime`` for answered calls, empty otherwise;
* ``talktime == 0`` and ``billsec == 0`` unless ``status == "ANSWERED"``;
* ``talktime <= billsec`` (inbound bills wait + talk, outbound bills talk);
* ``callid`` is ``<node>-<epoch>.<seq>`` with ``epoch`` the UTC instant of ``date``.

Records use real-traffic spelling: lower-case ``inb``/``pstn``, ``did`` as a
JSON number, ``has_record`` as 1/0.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from .clock import day_start, epoch_of, fmt
from .events import event_plan
from .profile import Operator, Pbx, Queue

#: Relative arrival intensity per hour of the day (business hours, lunch dip).
HOUR_WEIGHTS = (
    0.15,
    0.1,
    0.08,
    0.08,
    0.1,
    0.2,
    0.5,
    1.5,
    4.0,
    7.0,
    9.0,
    9.5,
    8.0,
    6.5,
    8.5,
    8.5,
    7.5,
    6.0,
    3.5,
    2.0,
    1.2,
    0.8,
    0.5,
    0.3,
)
#: Relative volume per weekday (Monday first).
WEEKDAY_WEIGHTS = (1.1, 1.0, 1.0, 1.0, 0.95, 0.3, 0.15)
_HOUR_CUM = tuple(accumulate(HOUR_WEIGHTS))

HANGUP_REASONS = {
    "ANSWERED": "ANSWER",
    "NO ANSWER": "NOANSWER",
    "BUSY": "BUSY",
    "FAILED": "CHANUNAVAIL",
    "LOST": "CANCEL",
}


@dataclass(slots=True)
class Carry:
    """What one day hands the next for a PBX: the callid sequence and open misses."""

    seq: int
    missed: deque[tuple[datetime, str]] = field(default_factory=deque)


def new_carry(pbx: Pbx) -> Carry:
    return Carry(seq=27_000_000 + pbx.index * 3_000_000 + (pbx.vpbx_id % 1000) * 1000)


def build_record(
    pbx: Pbx,
    *,
    callid: str,
    start: datetime,
    type: str,
    src_num: str,
    src_name: str | None,
    src_type: str,
    dst_num: str,
    dst_name: str | None,
    dst_type: str,
    did: int | None,
    waittime: int,
    talktime: int,
    status: str,
    has_record: bool,
    transferred: bool = False,
) -> dict[str, Any]:
    """One call_log item in the order and spelling real traffic uses."""
    answered = status == "ANSWERED"
    if not answered:
        talktime = 0
        has_record = False
    billsec = (waittime + talktime if type == "inb" else talktime) if answered else 0
    record = {
        "callid": callid,
        "date": fmt(start),
        "type": type,
        "src_num": src_num,
        "src_name": src_name,
        "src_type": src_type,
        "dst_num": dst_num,
        "dst_name": dst_name,
        "dst_type": dst_type,
        "did": did if did is not None else "",
        "waittime": waittime,
        "talktime": talktime,
        "billsec": billsec,
        "status": status,
        "has_record": 1 if has_record else 0,
        "hangup_reason": HANGUP_REASONS.get(status, "NORMAL"),
        "answer_date": fmt(start + timedelta(seconds=waittime)) if answered else "",
        "end_date": fmt(start + timedelta(seconds=waittime + talktime)),
        "did_num": str(did) if did is not None else "",
        "events_count": 0,  # set by the events plan, see events.py
        "vpbx_id": str(pbx.vpbx_id),
        "transfered_linked_to": transferred,
    }
    record["events_count"] = len(event_plan(pbx, record))
    return record


def make_callid(pbx: Pbx, start: datetime, seq: int) -> str:
    return f"{pbx.node}-{epoch_of(start)}.{seq}"


class DayGenerator:
    """Generates one day of calls for one PBX at a time, in time order."""

    def __init__(self, pbx: Pbx, seed: int, calls_per_day: int, days: int) -> None:
        self.pbx = pbx
        self.seed = seed
        self.calls_per_day = calls_per_day
        # A pool about a third the size of all calls: callers come back.
        self.pool = max(50, calls_per_day * max(days, 1) // 3)

    def day(self, day: date, carry: Carry) -> list[dict[str, Any]]:
        rng = random.Random(f"day/{self.seed}/{self.pbx.vpbx_id}/{day.toordinal()}")
        base = self.calls_per_day * WEEKDAY_WEIGHTS[day.weekday()]
        n = max(0, round(base * rng.uniform(0.85, 1.15)))
        hours = rng.choices(range(24), cum_weights=_HOUR_CUM, k=n)
        offsets = sorted(h * 3600 + rng.randrange(3600) for h in hours)
        midnight = day_start(day)
        return [self.call(rng, midnight + timedelta(seconds=s), carry) for s in offsets]

    def call(self, rng: random.Random, start: datetime, carry: Carry) -> dict[str, Any]:
        carry.seq += rng.randint(1, 40)
        callid = make_callid(self.pbx, start, carry.seq)
        kind = rng.random()
        if kind < 0.6:
            return self.inbound(rng, start, callid, carry)
        if kind < 0.9:
            return self.outbound(rng, start, callid, carry)
        return self.internal(rng, start, callid)

    def caller(self, rng: random.Random) -> str:
        # Skewed towards low indices: a few numbers call often.
        return self.pbx.customer(int(self.pool * rng.random() ** 2.5))

    def inbound(
        self, rng: random.Random, start: datetime, callid: str, carry: Carry
    ) -> dict[str, Any]:
        pbx = self.pbx
        caller = self.caller(rng)
        did = rng.choices(pbx.dids, weights=(6, 2, 2))[0]
        queue = pbx.queue_for(did)
        if queue is not None:
            record = self.queue_call(rng, start, callid, caller, did, queue)
        else:
            record = self.direct_call(rng, start, callid, caller, did)
        if record["status"] == "ANSWERED":
            carry.missed = deque(m for m in carry.missed if m[1] != caller)
        else:
            carry.missed.append((start, caller))
        return record

    def queue_call(
        self, rng: random.Random, start: datetime, callid: str, caller: str, did: int, queue: Queue
    ) -> dict[str, Any]:
        wait = min(int(rng.expovariate(1 / 20)), 600)
        # A few callers hang up at once (short abandons); the rest wait a while.
        short = rng.random() < 0.08
        patience = rng.randint(0, 4) if short else 5 + int(rng.expovariate(1 / 80))
        answered = wait <= min(patience, 300)
        op = rng.choice(queue.operators) if answered else None
        return build_record(
            self.pbx,
            callid=callid,
            start=start,
            type="inb",
            src_num=caller,
            src_name=caller,
            src_type="pstn",
            dst_num=op.ext if op else queue.num,
            dst_name=op.name if op else queue.name,
            dst_type="sipdevice" if op else "queue",
            did=did,
            waittime=max(wait, 1) if answered else min(patience, 300),
            talktime=self.talk(rng) if answered else 0,
            status="ANSWERED" if answered else "LOST",
            has_record=answered and rng.random() < 0.9,
            transferred=answered and rng.random() < 0.03,
        )

    def direct_call(
        self, rng: random.Random, start: datetime, callid: str, caller: str, did: int
    ) -> dict[str, Any]:
        op = rng.choice(self.pbx.operators)
        status = rng.choices(("ANSWERED", "NO ANSWER", "BUSY", "FAILED"), (60, 20, 12, 8))[0]
        wait = {
            "ANSWERED": rng.randint(3, 20),
            "NO ANSWER": rng.randint(20, 45),
            "BUSY": rng.randint(0, 2),
            "FAILED": 0,
        }[status]
        return build_record(
            self.pbx,
            callid=callid,
            start=start,
            type="inb",
            src_num=caller,
            src_name=caller,
            src_type="pstn",
            dst_num=op.ext,
            dst_name=op.name,
            dst_type="sipdevice",
            did=did,
            waittime=wait,
            talktime=self.talk(rng),
            status=status,
            has_record=rng.random() < 0.85,
        )

    def outbound(
        self, rng: random.Random, start: datetime, callid: str, carry: Carry
    ) -> dict[str, Any]:
        pbx = self.pbx
        op: Operator = rng.choice(pbx.operators)
        while carry.missed and start - carry.missed[0][0] > timedelta(days=2):
            carry.missed.popleft()
        if carry.missed and rng.random() < 0.5:
            number = carry.missed.popleft()[1]  # a call-back to a missed caller
        else:
            number = self.caller(rng)
        status = rng.choices(("ANSWERED", "NO ANSWER", "BUSY", "FAILED"), (65, 20, 10, 5))[0]
        wait = {
            "ANSWERED": rng.randint(5, 25),
            "NO ANSWER": rng.randint(20, 40),
            "BUSY": rng.randint(1, 5),
            "FAILED": 0,
        }[status]
        return build_record(
            pbx,
            callid=callid,
            start=start,
            type="out",
            src_num=op.ext,
            src_name=op.name,
            src_type="phone",
            dst_num=number,
            dst_name=None,
            dst_type="pstn",
            did=pbx.queue_dids[0],
            waittime=wait,
            talktime=self.talk(rng),
            status=status,
            has_record=rng.random() < 0.9,
        )

    def internal(self, rng: random.Random, start: datetime, callid: str) -> dict[str, Any]:
        src, dst = rng.sample(self.pbx.operators, 2)
        status = rng.choices(("ANSWERED", "NO ANSWER", "BUSY"), (80, 15, 5))[0]
        return build_record(
            self.pbx,
            callid=callid,
            start=start,
            type="int",
            src_num=src.ext,
            src_name=src.name,
            src_type="phone",
            dst_num=dst.ext,
            dst_name=dst.name,
            dst_type="phone",
            did=None,
            waittime=rng.randint(2, 25 if status != "BUSY" else 2),
            talktime=max(5, int(rng.lognormvariate(3.8, 0.7))),
            status=status,
            has_record=rng.random() < 0.3,
        )

    @staticmethod
    def talk(rng: random.Random) -> int:
        return min(3600, max(5, int(rng.lognormvariate(4.5, 0.8))))
