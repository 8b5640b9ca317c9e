"""Streaming writers of rows: JSON Lines, a JSON array, CSV and a terminal table.

Every writer takes one row at a time, so memory stays flat however many rows
pass through (the table, meant for a quick look, is the exception).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, BinaryIO, Protocol

import msgspec

from ..errors import UsageError
from .rows import COLUMNS

FORMATS = ("table", "csv", "jsonl", "json")

_encode = msgspec.json.Encoder().encode


class RowWriter(Protocol):
    def write(self, row: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


class JsonLinesWriter:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out

    def write(self, row: dict[str, Any]) -> None:
        self.out.write(_encode(row) + b"\n")

    def close(self) -> None:
        self.out.flush()


class JsonArrayWriter:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.first = True

    def write(self, row: dict[str, Any]) -> None:
        self.out.write((b"[\n" if self.first else b",\n") + _encode(row))
        self.first = False

    def close(self) -> None:
        self.out.write(b"[]\n" if self.first else b"\n]\n")
        self.out.flush()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict | list):
        return _encode(value).decode()
    return value


class CsvWriter:
    """UTF-8 CSV with a header row; ``bom`` adds the byte-order mark Excel wants."""

    def __init__(
        self, out: BinaryIO, columns: Sequence[str] | None = COLUMNS, *, bom: bool = False
    ) -> None:
        self.out = out
        self.text = io.TextIOWrapper(
            out, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=True
        )
        self.columns = list(columns) if columns else None
        self.writer: Any = None

    def write(self, row: dict[str, Any]) -> None:
        if self.writer is None:
            self.columns = self.columns or list(row)
            self.writer = csv.writer(self.text, lineterminator="\r\n")
            self.writer.writerow(self.columns)
        self.writer.writerow([_cell(row.get(c)) for c in self.columns or ()])

    def close(self) -> None:
        if self.writer is None and self.columns:
            csv.writer(self.text, lineterminator="\r\n").writerow(self.columns)
        self.text.flush()
        self.text.detach()


TABLE_COLUMNS = (
    "vpbx_id",
    "date",
    "type",
    "status",
    "src_num",
    "dst_num",
    "dst_name",
    "did",
    "waittime",
    "talktime",
    "has_record",
)


class TableWriter:
    """A rich table for a quick look in the terminal."""

    def __init__(self, out: BinaryIO, columns: Sequence[str] = TABLE_COLUMNS) -> None:
        self.out = out
        self.columns = list(columns)
        self.rows: list[list[str]] = []

    def write(self, row: dict[str, Any]) -> None:
        self.rows.append(
            ["" if row.get(c) is None else str(_cell(row.get(c))) for c in self.columns]
        )

    def close(self) -> None:
        from rich.console import Console
        from rich.table import Table

        table = Table(*self.columns, show_lines=False, header_style="bold")
        for cells in self.rows:
            table.add_row(*cells)
        text = io.TextIOWrapper(self.out, encoding="utf-8", write_through=True)
        Console(file=text, width=200).print(table)
        text.flush()
        text.detach()


def open_writer(fmt: str, out: BinaryIO, *, raw: bool = False) -> RowWriter:
    """The writer for ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "jsonl":
        return JsonLinesWriter(out)
    if fmt == "json":
        return JsonArrayWriter(out)
    if fmt == "csv":
        return CsvWriter(out, None if raw else COLUMNS)
    if fmt == "table":
        return TableWriter(out)
    raise UsageError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")
