"""Exporting synced calls to files: CSV (``excel`` adds the BOM Excel wants), JSON
Lines, XLSX and Parquet. Every format streams, so memory stays flat for a million
rows. XLSX and Parquet need the ``export`` extra (``pip install
'mcn-calls[export]'``), loaded only when asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import UsageError
from ..model.normalise import DATE_FIELDS
from ..store import Database
from ..store.read import stream_calls
from .rows import COLUMNS
from .writers import CsvWriter, JsonLinesWriter

EXPORT_FORMATS = ("csv", "jsonl", "xlsx", "parquet")
_INTS = ("waittime", "talktime", "billsec", "events_count")
_BOOLS = ("has_record", "transfered_linked_to")


def _need(module: str, fmt: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(
            f"{fmt.upper()} export needs {module.split('.')[0]}: "
            "install it with pip install 'mcn-calls[export]'."
        ) from None


def exported_rows(
    db: Database, first: date, last: date, tz: tzinfo, vpbx_ids: Sequence[int] = ()
) -> Iterator[dict[str, Any]]:
    """The calls of ``[first, last]`` as flat rows (COLUMNS), dates aware in ``tz``."""
    for values in stream_calls(db, COLUMNS, first, last, tz, vpbx_ids):
        row = dict(zip(COLUMNS, values, strict=True))
        for name in DATE_FIELDS:
            value = row[name]
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            row[name] = value.astimezone(tz) if value is not None else None
        for name in _BOOLS:
            if row[name] is not None:
                row[name] = bool(row[name])
        yield row


def export(
    rows: Iterator[dict[str, Any]],
    fmt: str,
    path: Path,
    *,
    excel: bool = False,
    tz: str = "Europe/Moscow",
) -> int:
    """Write ``rows`` to ``path`` in ``fmt``; the number of rows written."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}.")
    if fmt == "xlsx":
        return _xlsx(rows, path)
    if fmt == "parquet":
        return _parquet(rows, path, tz)
    count = 0
    with open(path, "wb") as out:
        writer = CsvWriter(out, COLUMNS, bom=excel) if fmt == "csv" else JsonLinesWriter(out)
        for row in rows:
            if fmt == "csv":
                row = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
            writer.write(row)
            count += 1
        writer.close()
    return count


def _xlsx(rows: Iterator[dict[str, Any]], path: Path) -> int:
    openpyxl = _need("openpyxl", "xlsx")
    cell_module = _need("openpyxl.cell", "xlsx")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("calls")
    sheet.freeze_panes = "A2"
    sheet.append(list(COLUMNS))
    count = 0
    for row in rows:
        cells = []
        for name in COLUMNS:
            value = row[name]
            if isinstance(value, datetime):
                cell = cell_module.WriteOnlyCell(sheet, value.replace(tzinfo=None))
                cell.number_format = "yyyy-mm-dd hh:mm:ss"  # PBX local time
                value = cell
            cells.append(value)
        sheet.append(cells)
        count += 1
    book.save(path)
    return count


def _parquet(rows: Iterator[dict[str, Any]], path: Path, tz: str) -> int:
    pa = _need("pyarrow", "parquet")
    pq = _need("pyarrow.parquet", "parquet")
    types = {name: pa.string() for name in COLUMNS}
    types |= {"account_id": pa.int64(), "vpbx_id": pa.int64()}
    types |= {name: pa.timestamp("s", tz=tz) for name in DATE_FIELDS}
    types |= {name: pa.int32() for name in _INTS} | {name: pa.bool_() for name in _BOOLS}
    schema = pa.schema([(name, types[name]) for name in COLUMNS])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 50_000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def report_xlsx(document: dict[str, Any], path: Path | BinaryIO) -> None:
    """A report as a workbook: the KPIs (one row each), then the breakdown if any."""
    openpyxl = _need("openpyxl", "xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KPIs"
    period = document["period"]
    sheet.append(["period", f"{period['from']} .. {period['to']}"])
    sheet.append(["KPI", "value"])
    for key, value in document["kpis"].items():
        sheet.append([key, value])
    sheet.freeze_panes = "A3"
    if document["groups"]:
        groups = book.create_sheet("groups")
        extra = [k for k in document["groups"][0] if k not in ("by", "key", "kpis")]
        keys = list(document["groups"][0]["kpis"])
        groups.append([document["groups"][0]["by"], *keys, *extra])
        for group in document["groups"]:
            groups.append(
                [group["key"], *(group["kpis"][k] for k in keys), *(group[k] for k in extra)]
            )
        groups.freeze_panes = "B2"
    book.save(path)
