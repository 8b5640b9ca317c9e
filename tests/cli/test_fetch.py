"""``mcn-calls calls fetch`` end to end: real emulator, real socket, CLI as a subprocess."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from mcn_calls.emulator import Faults, Running, running

from ..conftest import config
from ..support import api_env, run_cli, stored_callids, vpbx_ids

FIRST, LAST = "2026-10-27", "2026-11-25"  # the 30 days of history


def fetch_rows(live: Running, *extra: str, out: Path | None = None) -> list[dict]:  # type: ignore[type-arg]
    args = ["calls", "fetch", "--from", FIRST, "--to", LAST, "--format", "jsonl", *extra]
    if out:
        args += ["-o", str(out)]
    done = run_cli(*args, env=api_env(live))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8") if out else done.stdout
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def clean_rows(emulator: Running) -> list[dict]:  # type: ignore[type-arg]
    return fetch_rows(emulator)


def test_30_days_return_exactly_the_calls_the_emulator_holds(
    emulator: Running,
    clean_rows: list[dict],  # type: ignore[type-arg]
) -> None:
    ids = [r["callid"] for r in clean_rows]
    assert not [c for c, n in Counter(ids).items() if n > 1]
    assert sorted(ids) == sorted(stored_callids(emulator, FIRST, LAST))
    assert len(ids) > 1000
    assert {r["vpbx_id"] for r in clean_rows} == set(vpbx_ids(emulator))
    assert {r["account_id"] for r in clean_rows} == {100001}


def test_rows_are_normalised_with_offset_dates(clean_rows: list[dict]) -> None:  # type: ignore[type-arg]
    row = next(r for r in clean_rows if r["type"] == "inb" and r["status"] == "ANSWERED")
    when = datetime.fromisoformat(row["date"])
    assert when.utcoffset() is not None and when.utcoffset().total_seconds() == 3 * 3600
    assert row["date"].endswith("+03:00")
    assert isinstance(row["did"], str) and isinstance(row["has_record"], bool)
    assert row["src_type"] == "pstn" and "events" not in row
    assert {r["status"] for r in clean_rows} == {"ANSWERED", "LOST", "NO ANSWER", "BUSY", "FAILED"}


@pytest.fixture
def faulty() -> Iterator[Running]:
    with running(config(faults=Faults(fail_rate=0.2, truncate_rate=0.05))) as live:
        yield live


@pytest.fixture
def rate_limited() -> Iterator[Running]:
    with running(config(faults=Faults(rate_limit=15))) as live:
        yield live


def test_fail_and_truncate_faults_change_nothing(
    faulty: Running,
    clean_rows: list[dict],  # type: ignore[type-arg]
) -> None:
    assert fetch_rows(faulty) == clean_rows


def test_a_rate_limit_changes_nothing(
    rate_limited: Running,
    clean_rows: list[dict],  # type: ignore[type-arg]
) -> None:
    assert fetch_rows(rate_limited) == clean_rows


def test_a_capped_limit_changes_nothing(clean_rows: list[dict]) -> None:  # type: ignore[type-arg]
    with running(config(max_limit=7, default_limit=7)) as live:
        assert fetch_rows(live) == clean_rows


def test_detailed_rows_carry_events_with_parsed_api_vars(emulator: Running) -> None:
    rows = fetch_rows(emulator, "--detailed", "--vpbx", str(vpbx_ids(emulator)[0]))
    assert rows and all(len(r["events"]) == r["events_count"] for r in rows)
    api = [e for r in rows for e in r["events"] if e["event_type"] == "api"]
    assert api
    parsed = api[0]["event_additional_info"]["api_vars"]
    assert parsed["scenario_client_variables_1"] == {
        "short_num_found": False,
        "vpbx_id": vpbx_ids(emulator)[0],
    }
    assert parsed["num_c"] is None and parsed["n8n_success"] is True


def test_raw_writes_records_exactly_as_received(emulator: Running, tmp_path: Path) -> None:
    vpbx = vpbx_ids(emulator)[0]
    rows = fetch_rows(emulator, "--raw", "--vpbx", str(vpbx), out=tmp_path / "raw.jsonl")
    held = emulator.emulator.store.between(vpbx, f"{FIRST} 00:00:00", f"{LAST} 23:59:59")
    assert rows == held


def test_csv_is_utf8_with_a_header_and_cyrillic_survives(emulator: Running, tmp_path: Path) -> None:
    out = tmp_path / "calls.csv"
    done = run_cli(
        "calls",
        "fetch",
        "--from",
        "2026-11-24",
        "--format",
        "csv",
        "-o",
        str(out),
        env=api_env(emulator),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8"))))
    assert rows and list(rows[0])[:4] == ["account_id", "vpbx_id", "callid", "date"]
    names = {r["dst_name"] for r in rows}
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in n) for n in names)
    assert len(rows) == len(stored_callids(emulator, "2026-11-24", "2026-11-24"))


def test_json_is_one_array_of_the_same_rows(
    emulator: Running,
    clean_rows: list[dict],  # type: ignore[type-arg]
) -> None:
    done = run_cli(
        "calls", "fetch", "--from", FIRST, "--to", LAST, "--format", "json", env=api_env(emulator)
    )
    assert done.returncode == 0
    assert json.loads(done.stdout) == clean_rows


def test_table_and_summary(emulator: Running) -> None:
    done = run_cli("calls", "fetch", "--from", "2026-11-24", env=api_env(emulator))
    assert done.returncode == 0
    assert "ANSWERED" in done.stdout and "Fetched" not in done.stdout
    assert done.stderr.startswith("Fetched ") and "2 PBX" in done.stderr


def test_vpbx_list(emulator: Running) -> None:
    done = run_cli("vpbx", "list", "--format", "json", env=api_env(emulator))
    assert done.returncode == 0
    assert [p["vpbx_id"] for p in json.loads(done.stdout)] == vpbx_ids(emulator)
    table = run_cli("vpbx", "list", env=api_env(emulator))
    assert str(vpbx_ids(emulator)[0]) in table.stdout


@pytest.mark.parametrize(
    ("args", "env", "code", "needle"),
    [
        (["--from", "2026-13-01"], {}, 2, "is not a date"),
        (["--from", "24.11.2026"], {}, 2, "is not a date"),
        (["--from", "2026-11-25", "--to", "2026-11-01"], {}, 2, "is after --to"),
        (["--from", "2026-11-25"], {"MCN_API_TOKEN": ""}, 2, "No API token"),
        (["--from", "2026-11-25"], {"MCN_ACCOUNT_ID": ""}, 2, "No account id"),
        (["--from", "2026-11-25"], {"MCN_API_TOKEN": "wrong"}, 1, "did not accept the API token"),
        (["--from", "2026-11-25"], {"MCN_ACCOUNT_ID": "100002"}, 1, "no access to this account"),
        (["--from", "2026-11-25", "--vpbx", "999"], {}, 1, "vpbx"),
        (
            ["--from", "2026-11-25"],
            {"MCN_API_URL": "http://127.0.0.1:9/v2/rest"},
            1,
            "Cannot connect",
        ),
        (["--from", "2026-11-25"], {"MCN_TZ": "Mars/Olympus"}, 2, "time zone"),
        (["--from", "2026-11-25", "-o", "/nonexistent/dir/x.csv"], {}, 2, "does not exist"),
    ],
)
def test_user_errors_are_one_sentence_and_a_non_zero_exit(
    emulator: Running, args: list[str], env: dict[str, str], code: int, needle: str
) -> None:
    done = run_cli("--max-retries", "1", "calls", "fetch", *args, env={**api_env(emulator), **env})
    assert done.returncode == code, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and lines[0].endswith(".")
    assert needle in lines[0]
    assert "Traceback" not in done.stderr


def test_a_failed_fetch_leaves_no_output_file(tmp_path: Path) -> None:
    with running(config(faults=Faults(fail_rate=1.0))) as live:
        out = tmp_path / "calls.jsonl"
        done = run_cli(
            "--max-retries",
            "1",
            "calls",
            "fetch",
            "--from",
            FIRST,
            "--to",
            LAST,
            "--format",
            "jsonl",
            "-o",
            str(out),
            env=api_env(live),
        )
    assert done.returncode == 1 and "failed on its side" in done.stderr
    assert list(tmp_path.iterdir()) == []
