"""Exports of synced calls: typed, streaming, and readable by the tools people use."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from mcn_calls.emulator import Running

from ..support import api_env, run_cli

FIRST, LAST = "2026-11-20", "2026-11-24"


@pytest.fixture(scope="module")
def synced(emulator: Running, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    url = f"sqlite:///{tmp_path_factory.mktemp('export')}/calls.db"
    done = run_cli("sync", "--db", url, "--from", FIRST, "--to", LAST, env=api_env(emulator))
    assert done.returncode == 0, done.stderr
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        count = int(conn.execute(text("SELECT count(*) FROM calls")).scalar() or 0)
    engine.dispose()
    return url, count


def export(url: str, fmt: str, out: Path, *extra: str) -> None:
    done = run_cli(
        "export",
        "--db",
        url,
        "--format",
        fmt,
        "-o",
        str(out),
        "--from",
        FIRST,
        "--to",
        LAST,
        *extra,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "Exported " in done.stderr


def test_csv_for_excel_has_a_bom_and_cyrillic(synced: tuple[str, int], tmp_path: Path) -> None:
    url, count = synced
    export(url, "csv", tmp_path / "calls.csv", "--excel")
    raw = (tmp_path / "calls.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == count
    assert any("\u0400" <= ch <= "\u04ff" for r in rows for ch in r["dst_name"])
    assert rows[0]["date"].endswith("+03:00")
    export(url, "csv", tmp_path / "plain.csv")
    assert not (tmp_path / "plain.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_jsonl_rows(synced: tuple[str, int], tmp_path: Path) -> None:
    url, count = synced
    export(url, "jsonl", tmp_path / "calls.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "calls.jsonl").read_text().splitlines()]
    assert len(rows) == count and isinstance(rows[0]["waittime"], int)
    assert isinstance(rows[0]["has_record"], bool)


def test_parquet_reads_back_with_the_same_rows_and_types(
    synced: tuple[str, int], tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    url, count = synced
    export(url, "parquet", tmp_path / "calls.parquet")
    table = pq.read_table(tmp_path / "calls.parquet")
    assert table.num_rows == count
    assert pa.types.is_timestamp(table.schema.field("date").type)
    assert table.schema.field("date").type.tz == "Europe/Moscow"
    assert pa.types.is_integer(table.schema.field("talktime").type)
    assert pa.types.is_boolean(table.schema.field("has_record").type)
    first = table.slice(0, 1).to_pylist()[0]
    assert first["date"].utcoffset().total_seconds() == 3 * 3600
    assert len(set(table.column("callid").to_pylist())) == count


def test_xlsx_is_typed_frozen_and_libreoffice_converts_it(
    synced: tuple[str, int], tmp_path: Path
) -> None:
    import openpyxl

    url, count = synced
    export(url, "xlsx", tmp_path / "calls.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "calls.xlsx").active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["account_id", "vpbx_id", "callid", "date"]
    second = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert isinstance(second["date"], datetime) and isinstance(second["waittime"], int)
    assert sheet.max_row == count + 1
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: scripts/system-deps installs it"
    done = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path / "lo-out"),
            str(tmp_path / "calls.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "lo-out" / "calls.csv").read_text("utf-8"))))
    assert rows[0] == header and len(rows) == count + 1
    callids = {r[2] for r in rows[1:]}
    assert callids == {str(c.value) for c in sheet["C"][1:]}


@pytest.mark.parametrize(("fmt", "module"), [("xlsx", "openpyxl"), ("parquet", "pyarrow")])
def test_without_the_extra_it_says_exactly_that(
    synced: tuple[str, int], tmp_path: Path, fmt: str, module: str
) -> None:
    code = (
        f"import sys; sys.modules[{module!r}] = None; sys.argv = ['mcn-calls'] + sys.argv[1:];"
        "from mcn_calls.cli import main; main()"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "export",
            "--db",
            synced[0],
            "--format",
            fmt,
            "-o",
            str(tmp_path / f"x.{fmt}"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"Error: {fmt.upper()} export needs {module}: install it with pip install "
        "'mcn-calls[export]'."
    )
    assert not (tmp_path / f"x.{fmt}").exists()
