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
    http: httpx.Client,
    live: Running,
    vpbx: int,
    date_from: str,
    date_to: str,
    limit: int,
    **extra: Any,
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
                **extra,
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


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """What a sync leaves in a database, comparable across runs and engines: every call
    and event column (raw JSON decoded), and sync_state's coverage; not the bookkeeping
    times (first seen, last changed, last run), which say when it happened."""
    import json

    from sqlalchemy import select

    from mcn_calls.store import Database, calls, events, sync_state

    def plain(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) and value[:1] in "{[" else value

    skip = {"first_seen_at", "last_changed_at", "last_run_at", "synced_until"}
    out: dict[str, list[tuple[Any, ...]]] = {}
    with Database(url) as db, db.begin() as conn:
        for table in (calls, events, sync_state):
            cols = [c for c in table.columns if c.name not in skip]
            keys = [c for c in table.primary_key.columns]
            rows = conn.execute(select(*cols).order_by(*keys))
            out[table.name] = [tuple(plain(v) for v in row) for row in rows]
    return out
