"""Reports over synced data: identical JSON on SQLite and PostgreSQL, from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from mcn_calls.emulator import Running

from ..conftest import pg_schema
from ..support import all_pages, api_env, run_cli, vpbx_ids

SYNC = ["--from", "2026-11-16", "--to", "2026-11-25"]


@pytest.fixture(scope="module")
def databases(emulator: Running, tmp_path_factory: pytest.TempPathFactory) -> object:
    lite = f"sqlite:///{tmp_path_factory.mktemp('report')}/calls.db"
    schemas = pg_schema()
    pg = next(schemas)
    for url in (lite, pg):
        done = run_cli("sync", "--db", url, *SYNC, env=api_env(emulator))
        assert done.returncode == 0, done.stderr
    yield lite, pg
    next(schemas, None)


@pytest.mark.parametrize("by", ["day", "hour", "weekday", "operator", "did"])
def test_report_json_is_identical_on_sqlite_and_postgresql(
    databases: tuple[str, str], by: str
) -> None:
    outputs = []
    for url in databases:
        done = run_cli(
            "report",
            "--db",
            url,
            "--from",
            "2026-11-17",
            "--to",
            "2026-11-24",
            "--by",
            by,
            "--format",
            "json",
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    document = json.loads(outputs[0])
    assert set(document) == {"period", "kpis", "groups"}
    assert document["kpis"]["total"] > 100 and document["groups"]
    if by == "day":
        assert [g["key"] for g in document["groups"]] == [f"2026-11-{d}" for d in range(17, 25)]
        assert sum(g["kpis"]["total"] for g in document["groups"]) == document["kpis"]["total"]
    if by == "operator":
        assert all(
            g["calls_handled"]
            == g["kpis"]["answered"] + g["kpis"]["outbound"] + g["kpis"]["internal"]
            for g in document["groups"]
        )


def test_missed_json_is_identical_and_has_exactly_the_keys(databases: tuple[str, str]) -> None:
    outputs = []
    for url in databases:
        done = run_cli(
            "missed", "--db", url, "--from", "2026-11-20", "--to", "2026-11-23", "--format", "json"
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    found = json.loads(outputs[0])
    states = {c["state"] for c in found}
    assert found and {"called_back", "open"} <= states <= {"called_back", "reached", "open"}
    assert all(
        set(c)
        == {
            "vpbx_id",
            "number",
            "first_missed_at",
            "attempts",
            "state",
            "resolved_at",
            "time_to_callback_seconds",
        }
        for c in found
    )
    assert all(
        (c["time_to_callback_seconds"] is None) == (c["state"] != "called_back") for c in found
    )


def test_report_formats_and_errors(databases: tuple[str, str], tmp_path: Path) -> None:
    lite = databases[0]
    out = tmp_path / "kpis.csv"
    done = run_cli(
        "report",
        "--db",
        lite,
        "--from",
        "2026-11-17",
        "--to",
        "2026-11-24",
        "--by",
        "weekday",
        "--format",
        "csv",
        "-o",
        str(out),
    )
    assert done.returncode == 0 and out.read_text().startswith("key,total,inbound")
    table = run_cli("report", "--db", lite, "--from", "2026-11-17", "--to", "2026-11-24")
    assert "answer_rate" in table.stdout
    bad = run_cli("report", "--db", lite, "--from", "2026-11-24", "--to", "2026-11-17")
    assert (
        bad.returncode == 2 and bad.stderr.startswith("Error: ") and "Traceback" not in bad.stderr
    )
    book = tmp_path / "kpis.xlsx"
    done = run_cli(
        "report",
        "--db",
        lite,
        "--from",
        "2026-11-17",
        "--to",
        "2026-11-24",
        "--by",
        "day",
        "--format",
        "xlsx",
        "-o",
        str(book),
    )
    assert done.returncode == 0, done.stderr
    import openpyxl

    workbook = openpyxl.load_workbook(book)
    kpis = {r[0].value: r[1].value for r in workbook["KPIs"].iter_rows(min_row=3)}
    as_json = json.loads(
        run_cli(
            "report", "--db", lite, "--from", "2026-11-17", "--to", "2026-11-24", "--format", "json"
        ).stdout
    )["kpis"]
    assert kpis == as_json
    assert workbook["groups"].max_row == 1 + 8  # a header and eight days
    no_file = run_cli("report", "--db", lite, "--format", "xlsx")
    assert no_file.returncode == 2 and "-o" in no_file.stderr
    window = run_cli("missed", "--db", lite, "--window", "soon")
    assert window.returncode == 2 and "--window" in window.stderr


def test_by_queue_needs_events_then_matches_the_api(
    databases: tuple[str, str], emulator: Running
) -> None:
    period = ["--from", "2026-11-20", "--to", "2026-11-22"]
    plain = run_cli("report", "--db", databases[0], *period, "--by", "queue")
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert "sync --detailed --from 2026-11-20 --to 2026-11-22" in plain.stderr
    outputs = []
    for url in databases:
        done = run_cli("sync", "--db", url, "--detailed", *period, env=api_env(emulator))
        assert done.returncode == 0, done.stderr
        done = run_cli("report", "--db", url, *period, "--by", "queue", "--format", "json")
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    # The same breakdown worked out from the API's detailed records, independently.
    expected: dict[str, list[int]] = {}
    with httpx.Client() as http:
        for vpbx in vpbx_ids(emulator):
            for record in all_pages(
                http, emulator, vpbx, "2026-11-20", "2026-11-22", 5000, request_detailed=1
            ):
                if record["dst_type"].lower() == "queue":
                    queue = record["dst_name"]
                else:
                    queue = next(
                        (
                            e["event_dst_name"]
                            for e in record["events"]
                            if (e["event_type"] or "").lower() == "queue"
                        ),
                        None,
                    )
                if queue is not None:
                    counts = expected.setdefault(queue, [0, 0, 0])
                    counts[0] += 1
                    counts[1] += record["type"].lower() == "inb"
                    counts[2] += record["status"].upper() == "ANSWERED"
    groups = json.loads(outputs[0])["groups"]
    assert len(expected) >= 2
    assert {
        g["key"]: [g["kpis"]["total"], g["kpis"]["inbound"], g["kpis"]["answered"]] for g in groups
    } == expected
    assert all(0 < g["kpis"]["answer_rate"] < 1 for g in groups)
