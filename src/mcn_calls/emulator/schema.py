"""Response shapes of the emulator, for its OpenAPI document.

Answers are rendered from pre-encoded bytes; these models describe them (and
schemathesis checks every answer against them). Unknown fields are allowed, as
the real API adds fields over time.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

_OPEN = ConfigDict(extra="allow")

Scalar = str | int | None


class ErrorDetail(BaseModel):
    description: str = Field(description="One sentence naming the problem and the fix.")


class ErrorBody(BaseModel):
    """The one error shape of the whole server (MCN's own failure shape)."""

    status: str = Field(examples=["error"])
    code: int
    errors: ErrorDetail


class Vpbx(BaseModel):
    model_config = _OPEN
    vpbx_id: int
    name: str
    status: str


class VpbxList(BaseModel):
    code: int
    items: list[Vpbx]


class Event(BaseModel):
    model_config = _OPEN
    event_type: str | None = None
    event_status: str | None = None
    event_dst_num: Scalar = None
    event_dst_name: str | None = None
    event_dst_type: str | None = None
    event_did: Scalar = None
    event_start_time: str | None = None
    event_end_time: str | None = None
    event_answer_time: str | None = None
    event_talk_time: Scalar = None
    event_wait_time: Scalar = None
    event_total_time: Scalar = None
    speechkit_dialog: list[dict[str, object]] | None = None
    event_additional_info: dict[str, object] | None = None


class Call(BaseModel):
    """One call; see the project's spec §4 for every field's meaning."""

    model_config = _OPEN
    callid: str
    date: str = Field(examples=["2024-12-23 01:04:50"])
    type: str = Field(examples=["inb"])
    src_num: Scalar
    src_name: Scalar
    src_type: str | None
    dst_num: Scalar
    dst_name: Scalar
    dst_type: str | None
    did: Scalar
    waittime: Scalar
    talktime: Scalar
    billsec: Scalar
    status: str = Field(examples=["ANSWERED"])
    has_record: int | bool
    hangup_reason: str | None = None
    answer_date: str | None = None
    end_date: str | None = None
    did_num: Scalar = None
    events_count: Scalar = None
    vpbx_id: Scalar = None
    transfered_linked_to: bool | None = None
    events: list[Event] | None = None


class CallLog(BaseModel):
    code: int
    total: int = Field(description="Calls in the whole range (all pages).")
    items: list[Call]
