from __future__ import annotations

from typing import Any

import httpx

from mcn_calls.emulator import Running

from .conftest import ACCOUNTS


def auth(account: int = 100001) -> dict[str, str]:
    return {"Authorization": f"Bearer {ACCOUNTS[account]}"}


def vpbx_ids(live: Running, account: int = 100001) -> list[int]:
    return [p.vpbx_id for p in live.emulator.by_account[account]]


def call_log_url(live: Running, vpbx: int, account: int = 100001) -> str:
    return f"{live.base_url}/account/{account}/vpbx/{vpbx}/call_log"


def all_pages(
    http: httpx.Client, live: Running, vpbx: int, date_from: str, date_to: str, limit: int
) -> list[dict[str, Any]]:
    """Every call of a range by limit/offset paging, as the API returns them."""
    items: list[dict[str, Any]] = []
    while True:
        answer = http.get(
            call_log_url(live, vpbx),
            params={
                "date_from": date_from,
                "date_to": date_to,
                "limit": limit,
                "offset": len(items),
            },
            headers=auth(),
        )
        answer.raise_for_status()
        page = answer.json()["items"]
        items += page
        if len(page) < limit:
            return items
