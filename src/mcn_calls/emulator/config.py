"""Settings of an emulator instance, with their defaults and limits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DEFAULT_ACCOUNT = 100001
DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000


@dataclass(frozen=True)
class Faults:
    """Misbehaviour on request; all off by default.

    ``fail_rate``: share of API requests answered with a random 500/502/503.
    ``rate_limit``: requests per second over which the API answers 429 with
    ``Retry-After`` (0 = no limit). ``latency_ms``: delay added to every API
    request. ``truncate_rate``: share of responses whose body is cut off
    mid-stream (the connection closes before the chunked body ends).
    """

    fail_rate: float = 0.0
    rate_limit: float = 0.0
    latency_ms: int = 0
    truncate_rate: float = 0.0

    @property
    def any(self) -> bool:
        return bool(self.fail_rate or self.rate_limit or self.latency_ms or self.truncate_rate)


@dataclass(frozen=True)
class EmulatorConfig:
    """What an emulator serves.

    ``accounts`` maps account ids to their API tokens. Each account has
    ``vpbx`` PBXs. The generated history covers the ``days`` whole days before
    ``today`` (default: the current date in Moscow); today's calls arrive
    through the admin endpoint. ``calls_per_day`` is the average per PBX on a
    weekday (weekends are quieter). Tokens are left out of the repr.
    """

    accounts: dict[int, str] = field(
        default_factory=lambda: {DEFAULT_ACCOUNT: "demo-token"}, repr=False
    )
    vpbx: int = 2
    days: int = 30
    calls_per_day: int = 200
    seed: int = 1
    today: date | None = None
    default_limit: int = DEFAULT_LIMIT
    max_limit: int = MAX_LIMIT
    admin_token: str = field(default_factory=lambda: secrets.token_urlsafe(12), repr=False)
    faults: Faults = Faults()
    data: Path | None = None
    #: Rendered pages kept for repeated asks (emptied by any change); 0 turns it off.
    cache_mb: int = 64

    def fingerprint(self) -> dict[str, object]:
        """What the generated data depends on (a data file is reused only if it matches)."""
        return {
            "format": 1,
            "accounts": sorted(self.accounts),
            "vpbx": self.vpbx,
            "days": self.days,
            "calls_per_day": self.calls_per_day,
            "seed": self.seed,
            "today": self.today.isoformat() if self.today else None,
        }
