"""The one CSV writer of the product: every cell it writes is safe to open in a
spreadsheet (OWASP "CSV injection").

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
read as a formula (or a hidden one) by Excel or LibreOffice: it is written with a leading
apostrophe, which spreadsheets show as text. Every export (audit log, lists, indicators)
writes through :func:`csv_writer` so that no caller can forget.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Text(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> str:
    """The text of one cell, neutralised if a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, out: _Text, *, delimiter: str = ";", lineterminator: str = "\r\n") -> None:
        self._out = out
        self._end = lineterminator
        # The csv module quotes a cell only for the characters of its own line ending:
        # render each row with CRLF so that a CR or LF inside a cell is always quoted.
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, lineterminator="\r\n")

    def writerow(self, cells: Iterable[Any]) -> None:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow([safe_cell(cell) for cell in cells])
        self._out.write(self._buffer.getvalue().removesuffix("\r\n") + self._end)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for cells in rows:
            self.writerow(cells)


def csv_writer(out: _Text, *, delimiter: str = ";", lineterminator: str = "\r\n") -> SafeCsvWriter:
    """The product's CSV writer (``;``-separated by default, as French spreadsheets expect)."""
    return SafeCsvWriter(out, delimiter=delimiter, lineterminator=lineterminator)
