"""``mcn-calls report`` and ``mcn-calls missed``: over the synced database."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from .context import DB_OPTION, State, date_range, output


class By(StrEnum):
    day = "day"
    hour = "hour"
    weekday = "weekday"
    operator = "operator"
    did = "did"
    queue = "queue"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"
    xlsx = "xlsx"


def period_of(
    state: State, date_from: str | None, date_to: str | None, vpbx: list[int], default_days: int
) -> Any:
    from zoneinfo import ZoneInfo

    from ..reports import Period

    zone = ZoneInfo(state.setting("tz", state.tz) or "Europe/Moscow")
    today = datetime.now(zone).date()
    first: date | datetime
    last: date | datetime
    if date_from:
        first, last = date_range(date_from, date_to)
    else:
        first, last = today - timedelta(days=default_days), today
    as_day = [d.date() if isinstance(d, datetime) else d for d in (first, last)]
    return Period(as_day[0], as_day[1], zone, tuple(vpbx))


def _emit(rows: list[dict[str, Any]], fmt: Format, out: Path | None, document: Any) -> None:
    import msgspec

    from ..formats import CsvWriter

    with output(out) as stream:
        if fmt is Format.json:
            stream.write(msgspec.json.encode(document) + b"\n")
        elif fmt is Format.csv:
            writer = CsvWriter(stream, list(rows[0]) if rows else ["key"])
            for row in rows:
                writer.write(row)
            writer.close()
        else:
            import io

            from rich.console import Console
            from rich.table import Table

            table = Table(*(list(rows[0]) if rows else ["(nothing in this period)"]))
            for row in rows:
                table.add_row(*("" if v is None else str(v) for v in row.values()))
            text = io.TextIOWrapper(stream, encoding="utf-8", write_through=True)
            Console(file=text, width=200).print(table)
            text.detach()


def report(
    ctx: typer.Context,
    date_from: str | None = typer.Option(None, "--from", help="First day (default: 7 days ago)."),
    date_to: str | None = typer.Option(None, "--to", help="Last day, inclusive (default: today)."),
    vpbx: list[int] = typer.Option([], "--vpbx", help="PBX id; repeat for several (default: all)."),
    by: By | None = typer.Option(None, "--by", help="Break the KPIs down by this."),
    fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", help="Output format."),
    out: Path | None = typer.Option(None, "-o", "--output", help="Write to FILE, not stdout."),
    sl_seconds: int = typer.Option(20, "--sl-seconds", min=0, help="Service-level threshold."),
    short_abandon_seconds: int = typer.Option(
        5, "--short-abandon-seconds", min=0, help="LOST calls shorter than this are not counted."
    ),
    window: str = typer.Option("24h", "--window", help="Time a missed call has to be returned."),
    db: str | None = DB_OPTION,
) -> None:
    """KPIs of the synced calls: counts, answer and abandon rates, waits, service level,
    callers, call-backs; --by breaks them down."""
    from ..errors import UsageError
    from ..reports import parse_window
    from ..reports import report as build
    from ..store import Database

    state: State = ctx.obj
    period = period_of(state, date_from, date_to, vpbx, 7)
    if fmt is ReportFormat.html:
        from ..reports.html import gather, render

        with Database(state.setting("db", db)) as database:
            figures = gather(
                database, period, sl_seconds, short_abandon_seconds, parse_window(window)
            )
        with output(out) as stream:
            stream.write(render(figures, period, sl_seconds).encode("utf-8"))
        if out:
            print(f"Report written to {out}.", file=sys.stderr)
        return
    if fmt is ReportFormat.xlsx and out is None:
        raise UsageError("An XLSX report needs a file: add -o report.xlsx.")
    with Database(state.setting("db", db)) as database:
        document = build(
            database,
            period,
            by.value if by else None,
            sl_seconds,
            short_abandon_seconds,
            parse_window(window),
        )
    rows = [{"key": "all", **document["kpis"]}] + [
        {
            "key": g["key"],
            **g["kpis"],
            **{k: v for k, v in g.items() if k not in ("by", "key", "kpis")},
        }
        for g in document["groups"]
    ]
    if fmt is ReportFormat.table:
        rows = [
            dict(
                zip(
                    ("KPI", *(str(r["key"]) for r in rows)),
                    (k, *(r.get(k) for r in rows)),
                    strict=True,
                )
            )
            for k in rows[0]
            if k != "key"
        ]
    if fmt is ReportFormat.xlsx:
        from ..formats.export import report_xlsx

        assert out is not None
        with output(out) as stream:
            report_xlsx(document, stream)
        return
    _emit(rows, Format(fmt.value), out, document)


def missed(
    ctx: typer.Context,
    date_from: str | None = typer.Option(None, "--from", help="First day (default: yesterday)."),
    date_to: str | None = typer.Option(None, "--to", help="Last day, inclusive (default: today)."),
    vpbx: list[int] = typer.Option([], "--vpbx", help="PBX id; repeat for several (default: all)."),
    window: str = typer.Option("24h", "--window", help="Time a missed call has to be returned."),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    out: Path | None = typer.Option(None, "-o", "--output", help="Write to FILE, not stdout."),
    db: str | None = DB_OPTION,
) -> None:
    """Missed callers and whether anyone called them back: the morning's to-do list."""
    from ..reports import missed_cases, parse_window
    from ..store import Database

    state: State = ctx.obj
    period = period_of(state, date_from, date_to, vpbx, 1)
    with Database(state.setting("db", db)) as database:
        found = [c.as_dict() for c in missed_cases(database, period, parse_window(window))]
    _emit(found, fmt, out, found)
    if fmt is Format.table:
        still = sum(1 for c in found if c["state"] == "open")
        print(f"{len(found)} cases, {still} still open.", file=sys.stderr)
