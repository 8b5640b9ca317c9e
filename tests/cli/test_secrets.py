"""The token never appears: not in output, logs, errors or reprs, even with --verbose."""

from __future__ import annotations

from mcn_calls.client import Client
from mcn_calls.emulator import Faults, running

from ..conftest import config
from ..support import run_cli

SECRET = "Zq9-very-secret-token-31337"


def test_token_never_appears_anywhere_even_verbose() -> None:
    accounts = {100001: SECRET}
    with running(config(accounts=accounts, faults=Faults(fail_rate=0.3))) as live:
        env = {"MCN_API_URL": live.base_url, "MCN_ACCOUNT_ID": "100001", "MCN_API_TOKEN": SECRET}
        runs = [
            run_cli("-v", "vpbx", "list", env=env),
            run_cli(
                "-v",
                "calls",
                "fetch",
                "--from",
                "2026-11-20",
                "--to",
                "2026-11-25",
                "--format",
                "jsonl",
                env=env,
            ),
            run_cli(
                "--verbose",
                "--token",
                SECRET,
                "--account",
                "100002",
                "vpbx",
                "list",
                env={**env, "MCN_API_TOKEN": ""},
            ),
            run_cli(
                "-v",
                "--max-retries",
                "0",
                "calls",
                "fetch",
                "--from",
                "2026-11-20",
                env={**env, "MCN_API_URL": live.base_url + "?user_hash=" + SECRET},
            ),
            run_cli("-v", "--token", SECRET + "x", "vpbx", "list", env=env),
        ]
        with Client(base_url=live.base_url, token=SECRET, account_id=100001) as client:
            shown = repr(client) + str(vars(client)) + repr(client.settings)
    assert runs[0].returncode == 0 and runs[1].returncode == 0
    assert "GET " in runs[1].stderr and "Retrying" in runs[1].stderr  # verbose did log
    assert runs[2].returncode == 1 and runs[4].returncode == 1
    for done in runs:
        assert SECRET not in done.stdout + done.stderr
    assert SECRET not in shown
