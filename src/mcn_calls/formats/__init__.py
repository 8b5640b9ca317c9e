"""Rows and the streaming writers that put them in files."""

from .rows import COLUMNS, event_row, record_row
from .writers import FORMATS, CsvWriter, JsonArrayWriter, JsonLinesWriter, RowWriter, open_writer

__all__ = [
    "COLUMNS",
    "FORMATS",
    "CsvWriter",
    "JsonArrayWriter",
    "JsonLinesWriter",
    "RowWriter",
    "event_row",
    "open_writer",
    "record_row",
]
