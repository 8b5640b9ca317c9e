"""``events[]`` of a call, derived from the call record itself.

The plan (which events a call has) depends only on the record's direction,
route, status and transfer flag, so ``events_count`` is known when a call is
made and stays right when a call changes later. The full events are built only
when a client asks for ``request_detailed=1``.
"""

from __future__ import annotations

from typing import Any

from .clock import add, fmt, parse_local
from .profile import Pbx


def event_plan(pbx: Pbx, record: dict[str, Any]) -> tuple[str, ...]:
    """The ``event_type`` of each event the call has, in order."""
    kind, status = record["type"], record["status"]
    if kind == "inb":
        did = record["did"]
        if isinstance(did, int) and pbx.queue_for(did) is not None:
            plan: tuple[str, ...] = ("timecondition", "announce", "api", "queue")
            if status == "ANSWERED":
                plan += ("queue_member",)
                if record.get("transfered_linked_to"):
                    plan += ("transfered",)
            return (*plan, "hangup")
        return ("timecondition", "extnum", "hangup")
    if kind == "out":
        return ("check", "extnum", "hangup")
    return ("extnum", "hangup")


def _api_vars(pbx: Pbx, record: dict[str, Any]) -> str:
    # The real API's non-JSON notation: unquoted keys and values, nesting, empties.
    return (
        f"{{account_id:{pbx.account_id},num_a:{record['src_num']},call_id:{record['callid']},"
        f"num_c:null,scenario_client_variables_1:{{short_num_found:false,"
        f"vpbx_id:{pbx.vpbx_id}}},dest_link_name:,n8n_success:true}}"
    )


def build_events(pbx: Pbx, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The full ``events[]`` of a call, in the spelling real traffic uses."""
    start = parse_local(record["date"])
    wait, talk = record["waittime"], record["talktime"]
    answered = record["status"] == "ANSWERED"
    end = add(start, wait + talk)
    answer = add(start, wait)
    did = record["did"]
    queue = pbx.queue_for(did) if isinstance(did, int) else None
    rec_file = f"{record['callid']}.mp3" if record["has_record"] else ""
    events: list[dict[str, Any]] = []

    def event(kind: str, t0: Any, t1: Any, **extra: Any) -> None:
        item: dict[str, Any] = {
            "event_type": kind,
            "event_status": extra.pop("status", "ok"),
            "event_dst_num": extra.pop("dst_num", ""),
            "event_dst_name": extra.pop("dst_name", ""),
            "event_dst_type": extra.pop("dst_type", ""),
            "event_did": did,
            "event_transfered_from": "",
            "event_start_time": fmt(t0),
            "event_end_time": fmt(t1),
            "event_answer_time": extra.pop("answer_time", ""),
            "event_talk_time": extra.pop("talk", 0),
            "event_wait_time": extra.pop("wait", 0),
            "event_total_time": int((t1 - t0).total_seconds()),
            "event_rec_filename": extra.pop("rec", ""),
            "event_leg_link_uniqueid_orig": record["callid"],
            "speechkit_dialog": [],
            "event_additional_info": extra.pop("info", {}),
        }
        events.append(item)

    for kind in event_plan(pbx, record):
        if kind == "timecondition":
            event(kind, start, start, info={"result": "work_time"})
        elif kind == "announce":
            event(kind, start, add(start, min(3, wait)), info={"name": "greeting.mp3"})
        elif kind == "api":
            event(kind, start, start, info={"api_vars": _api_vars(pbx, record), "result": "200"})
        elif kind == "queue":
            assert queue is not None
            event(
                kind,
                start,
                answer if answered else end,
                status="answered" if answered else "abandoned",
                dst_num=queue.num,
                dst_name=queue.name,
                dst_type="queue",
                wait=wait,
            )
        elif kind in ("queue_member", "extnum"):
            event(
                kind,
                answer if answered else start,
                end,
                status=record["status"].lower(),
                dst_num=record["dst_num"],
                dst_name=record["dst_name"] or "",
                dst_type=record["dst_type"],
                answer_time=fmt(answer) if answered else "",
                talk=talk,
                wait=wait,
                rec=rec_file,
                info={"exten": record["dst_num"], "number": record["src_num"]},
            )
        elif kind == "check":
            event(kind, start, start, info={"target_number": record["dst_num"], "result": "allow"})
        elif kind == "transfered":
            event(
                kind,
                end,
                end,
                dst_num=record["dst_num"],
                dst_name=record["dst_name"] or "",
                dst_type="sipdevice",
                info={"target_number": record["dst_num"]},
            )
        else:  # hangup
            event(kind, end, end, status=record["hangup_reason"].lower())
    return events
