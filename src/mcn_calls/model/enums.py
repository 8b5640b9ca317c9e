"""Open, case-insensitive enumerations of the call record.

Known values are normalised to one canonical spelling (``Inb`` → ``inb``,
``PSNT`` → ``pstn``, ``no answer`` → ``NO ANSWER``). A value that is not known
is returned exactly as it came: never dropped, never an error, so that what the
provider adds later survives.
"""

from __future__ import annotations

from enum import StrEnum


class CallType(StrEnum):
    """Direction of a call (``type``)."""

    OUTBOUND = "out"
    INBOUND = "inb"
    INTERNAL = "int"


class PartyType(StrEnum):
    """Kind of the calling or called party (``src_type``, ``dst_type``)."""

    PSTN = "pstn"
    PHONE = "phone"
    QUEUE = "queue"
    CALLBACK = "callback"
    SIPDEVICE = "sipdevice"


class CallStatus(StrEnum):
    """Outcome of a call (``status``)."""

    ANSWERED = "ANSWERED"
    BUSY = "BUSY"
    LOST = "LOST"
    FAILED = "FAILED"
    NO_ANSWER = "NO ANSWER"


def _index(members: dict[str, StrEnum]) -> dict[str, StrEnum]:
    return {key.lower(): member for key, member in members.items()}


_TYPES = _index(
    {
        **{m.value: m for m in CallType},
        "inbound": CallType.INBOUND,
        "incoming": CallType.INBOUND,
        "outbound": CallType.OUTBOUND,
        "outgoing": CallType.OUTBOUND,
        "internal": CallType.INTERNAL,
    }
)
_PARTIES = _index({**{m.value: m for m in PartyType}, "psnt": PartyType.PSTN})
_STATUSES = _index(
    {
        **{m.value: m for m in CallStatus},
        "no_answer": CallStatus.NO_ANSWER,
        "no-answer": CallStatus.NO_ANSWER,
        "noanswer": CallStatus.NO_ANSWER,
    }
)


class _Open:
    """An open enumeration: exact spellings first (fast), then case and spaces folded."""

    __slots__ = ("exact", "folded")

    def __init__(self, folded: dict[str, StrEnum]) -> None:
        self.folded = folded
        self.exact: dict[str, StrEnum] = {}
        for key, member in folded.items():
            for spelling in (member.value, key, key.upper(), key.title()):
                self.exact.setdefault(spelling, member)

    def __call__(self, value: str | None) -> StrEnum | str | None:
        if value is None:
            return None
        found = self.exact.get(value)
        if found is not None:
            return found
        return self.folded.get(value.strip().lower(), value)


_type = _Open(_TYPES)
_party = _Open(_PARTIES)
_status = _Open(_STATUSES)


def call_type(value: str | None) -> CallType | str | None:
    """``Out``/``OUT``/``outbound`` → ``CallType.OUTBOUND``; unknown kept as is."""
    return _type(value)


def party_type(value: str | None) -> PartyType | str | None:
    """``PSTN``/``PSNT`` → ``PartyType.PSTN``; unknown kept as is."""
    return _party(value)


def call_status(value: str | None) -> CallStatus | str | None:
    """``answered`` → ``CallStatus.ANSWERED``; unknown kept as is."""
    return _status(value)
