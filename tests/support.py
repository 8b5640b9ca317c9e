from __future__ import annotations

import os
import subprocess
import sys
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


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``mcn-calls ARGS`` as a user runs it: a separate process, no inherited MCN_* settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MCN_")}
    clean["MCN_CONFIG"] = os.devnull + ".absent"
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mcn_calls", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=timeout,
    )


def api_env(live: Running, account: int = 100001) -> dict[str, str]:
    return {
        "MCN_API_URL": live.base_url,
        "MCN_ACCOUNT_ID": str(account),
        "MCN_API_TOKEN": ACCOUNTS[account],
    }


def stored_callids(live: Running, first: str, last: str, account: int = 100001) -> list[str]:
    """What the emulator holds for the account's PBXs in [first, last] (whole days)."""
    return [
        c["callid"]
        for v in vpbx_ids(live, account)
        for c in live.emulator.store.between(v, f"{first} 00:00:00", f"{last} 23:59:59")
    ]
