"""Client settings: arguments first, then the environment, then defaults.

| setting    | environment      | default                        |
|------------|------------------|--------------------------------|
| base_url   | ``MCN_API_URL``    | ``https://api.mcn.ru/v2/rest`` |
| token      | ``MCN_API_TOKEN``  | (required)                     |
| account_id | ``MCN_ACCOUNT_ID`` | (required)                     |
| tz         | ``MCN_TZ``         | ``Europe/Moscow``              |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import UsageError
from ..model import DEFAULT_TZ

DEFAULT_BASE_URL = "https://api.mcn.ru/v2/rest"


class Secret:
    """A token that never shows itself: its repr and str are masked."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    """Where and as whom the client talks to the API."""

    base_url: str
    token: Secret
    account_id: int
    tz: ZoneInfo

    @classmethod
    def resolve(
        cls,
        *,
        base_url: str | None = None,
        token: str | Secret | None = None,
        account_id: int | str | None = None,
        tz: str | None = None,
    ) -> Settings:
        """Fill what is not given from the environment; say clearly what is missing."""
        env = os.environ
        url = (base_url or env.get("MCN_API_URL") or DEFAULT_BASE_URL).rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise UsageError(f"The API URL {url!r} must start with http:// or https://.")
        raw_token = token if token is not None else env.get("MCN_API_TOKEN")
        if isinstance(raw_token, str):
            raw_token = Secret(raw_token.strip()) if raw_token.strip() else None
        if raw_token is None:
            raise UsageError("No API token: pass --token or set MCN_API_TOKEN.")
        account = account_id if account_id is not None else env.get("MCN_ACCOUNT_ID")
        if account is None or str(account).strip() == "":
            raise UsageError("No account id: pass --account or set MCN_ACCOUNT_ID.")
        try:
            account_number = int(str(account).strip())
        except ValueError:
            raise UsageError(f"The account id {account!r} must be a number.") from None
        zone_name = tz or env.get("MCN_TZ") or DEFAULT_TZ
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(
                f"Unknown time zone {zone_name!r}: use a name like Europe/Moscow."
            ) from None
        return cls(base_url=url, token=raw_token, account_id=account_number, tz=zone)
