"""``mcn-calls vpbx`` and ``mcn-calls calls``: the API, from the command line."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from .context import Progress, State, date_range, output

vpbx_app = typer.Typer(help="The account's virtual PBXs.", no_args_is_help=True)
calls_app = typer.Typer(help="Calls, straight from the API.", no_args_is_help=True)


class ListFormat(StrEnum):
    table = "table"
    json = "json"


class RowFormat(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    json = "json"


@vpbx_app.command("list")
def vpbx_list(
    ctx: typer.Context,
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", help="Output format."),
) -> None:
    """List the account's active virtual PBXs (their ids are what --vpbx takes)."""
    state: State = ctx.obj
    with state.client() as client:
        pbxs = client.vpbx.list()
    if fmt is ListFormat.json:
        import msgspec

        items = [{"vpbx_id": p.vpbx_id, "name": p.name, "status": p.status} for p in pbxs]
        sys.stdout.buffer.write(msgspec.json.encode(items) + b"\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("vpbx_id", "name", "status")
    for p in pbxs:
        table.add_row(str(p.vpbx_id), p.name or "", p.status or "")
    Console().print(table)


@calls_app.command("fetch")
def calls_fetch(
    ctx: typer.Context,
    date_from: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD (or a time)."),
    date_to: str | None = typer.Option(None, "--to", help="Last day, inclusive (default: --from)."),
    vpbx: list[int] = typer.Option([], "--vpbx", help="PBX id; repeat for several (default: all)."),
    detailed: bool = typer.Option(False, "--detailed", help="Include events[] of each call."),
    fmt: RowFormat = typer.Option(RowFormat.table, "--format", help="Output format."),
    out: Path | None = typer.Option(None, "-o", "--output", help="Write to FILE, not stdout."),
    raw: bool = typer.Option(False, "--raw", help="Write records exactly as received."),
) -> None:
    """Fetch calls of a date range: every one, exactly once, even when the API misbehaves."""
    from ..formats import open_writer, record_row

    state: State = ctx.obj
    start, stop = date_range(date_from, date_to)
    with state.client() as client:
        account = client.settings.account_id
        pbx_ids = vpbx or [p.vpbx_id for p in client.vpbx.list()]
        total = 0
        with output(out) as stream, Progress() as progress:
            writer = open_writer(fmt.value, stream, raw=raw)
            for pbx_id in pbx_ids:
                calls = client.calls.list(pbx_id, start, stop, detailed)
                task = progress.task(f"vpbx {pbx_id}", len(calls.windows))
                for page in calls.iter_pages():
                    for record in page.items:
                        writer.write(record.raw if raw else record_row(record, account, pbx_id))
                    total += len(page.items)
                    progress.update(task, advance=int(page.last_in_window), calls=total)
            writer.close()
    where = f" to {out}" if out else ""
    print(f"Fetched {total} calls from {len(pbx_ids)} PBX(s){where}.", file=sys.stderr)
