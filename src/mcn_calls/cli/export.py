"""``mcn-calls export``: synced calls to CSV, JSON Lines, XLSX or Parquet."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path

import typer

from .context import DB_OPTION, State
from .reports import period_of


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    xlsx = "xlsx"
    parquet = "parquet"


def export(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option(..., "--format", help="File format."),
    out: Path = typer.Option(..., "-o", "--output", help="The file to write."),
    date_from: str | None = typer.Option(None, "--from", help="First day (default: 7 days ago)."),
    date_to: str | None = typer.Option(None, "--to", help="Last day, inclusive (default: today)."),
    vpbx: list[int] = typer.Option([], "--vpbx", help="PBX id; repeat for several (default: all)."),
    excel: bool = typer.Option(False, "--excel", help="CSV with a BOM, so Excel reads UTF-8."),
    db: str | None = DB_OPTION,
) -> None:
    """Export synced calls with typed columns; XLSX and Parquet need mcn-calls[export]."""
    from ..errors import UsageError
    from ..formats.export import _need, export, exported_rows
    from ..store import Database

    state: State = ctx.obj
    period = period_of(state, date_from, date_to, vpbx, 7)
    if fmt in (ExportFormat.xlsx, ExportFormat.parquet):
        _need("openpyxl" if fmt is ExportFormat.xlsx else "pyarrow", fmt.value)  # say it first
    target = out.expanduser()
    if not target.parent.is_dir():
        raise UsageError(f"The folder {target.parent} does not exist; create it first.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        with Database(state.setting("db", db)) as database:
            rows = exported_rows(database, period.first, period.last, period.tz, period.vpbx_ids)
            count = export(rows, fmt.value, partial, excel=excel, tz=str(period.tz))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    print(f"Exported {count} calls to {target}.", file=sys.stderr)
