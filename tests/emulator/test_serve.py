"""``mcn-calls emulator serve`` as a user runs it: a real process on a real port."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ARGS = [
    "--port",
    "0",
    "--account",
    "100001",
    "--token",
    "t0k",
    "--account",
    "100002",
    "--token",
    "t1k",
    "--days",
    "10",
    "--calls-per-day",
    "50",
    "--seed",
    "5",
    "--today",
    "2026-11-26",
    "--admin-token",
    "adm",
]


@contextmanager
def serve(*extra: str) -> Iterator[tuple[str, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mcn_calls", "emulator", "serve", *ARGS, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/v2/rest)", line)
        assert match, line + (proc.stderr.read() if proc.stderr else "")
        yield match.group(1), line
    finally:
        proc.terminate()
        proc.wait(10)


def _snapshot(base: str) -> list[bytes]:
    with httpx.Client(headers={"Authorization": "Bearer t0k"}) as http:
        pbxs = http.get(f"{base}/account/100001/vpbx")
        bodies = [pbxs.content]
        for item in pbxs.json()["items"]:
            url = f"{base}/account/100001/vpbx/{item['vpbx_id']}/call_log"
            for detailed in (0, 1):
                bodies.append(
                    http.get(
                        url,
                        params={
                            "date_from": "2026-11-16",
                            "date_to": "2026-11-25",
                            "limit": 5000,
                            "request_detailed": detailed,
                        },
                    ).content
                )
    return bodies


def test_start_line_names_url_accounts_and_tokens() -> None:
    with serve() as (base, line):
        assert line.count("\n") == 1
        assert "account 100001 token t0k" in line and "account 100002 token t1k" in line
        assert "admin token adm" in line
        assert (
            httpx.get(f"{base}/account/100002/vpbx", params={"user_hash": "t1k"}).status_code == 200
        )


def test_same_seed_gives_byte_identical_answers_across_restarts() -> None:
    with serve() as (base, _):
        first = _snapshot(base)
    with serve() as (base, _):
        second = _snapshot(base)
    assert first == second
    assert sum(len(b) for b in first) > 100_000


def test_a_data_file_survives_a_restart_and_is_remade_when_settings_change(tmp_path: Path) -> None:
    data = tmp_path / "calls.db"
    with serve("--data", str(data)) as (base, _):
        url = f"{base}/account/100001/vpbx"
        vpbx = httpx.get(url, params={"user_hash": "t0k"}).json()["items"][0]["vpbx_id"]
        day = {"date_from": "2026-11-20", "date_to": "2026-11-20", "user_hash": "t0k"}
        call_url = f"{url}/{vpbx}/call_log"
        callid = httpx.get(call_url, params=day).json()["items"][0]["callid"]
        admin = base.removesuffix("/v2/rest") + "/admin"
        httpx.patch(
            f"{admin}/vpbx/{vpbx}/calls/{callid}",
            json={"hangup_reason": "KEPT"},
            headers={"Authorization": "Bearer adm"},
        ).raise_for_status()
    with serve("--data", str(data)) as (base, _):
        first = httpx.get(f"{base}/account/100001/vpbx/{vpbx}/call_log", params=day).json()
        assert first["items"][0]["hangup_reason"] == "KEPT"  # reused, not regenerated
    with serve("--data", str(data), "--seed", "6") as (base, _):
        other = httpx.get(f"{base}/account/100001/vpbx", params={"user_hash": "t0k"}).json()
        assert other["items"][0]["vpbx_id"] != vpbx  # other settings: the file is remade


def test_mismatched_accounts_and_tokens_is_one_sentence() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mcn_calls",
            "emulator",
            "serve",
            "--account",
            "1",
            "--account",
            "2",
            "--token",
            "x",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert done.stderr.strip() == (
        "Error: Give one --token for each --account (got 2 accounts and 1 tokens)."
    )
    assert "Traceback" not in done.stderr
