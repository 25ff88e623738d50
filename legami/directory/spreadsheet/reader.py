"""Reading a spreadsheet: XLSX or CSV, told apart by their content, never by the file's name.

The workbook's structure (content types, sheets, styles that make a number a date) is read by
openpyxl; the cells of the one sheet we need are read here in a single pass of the standard
library's XML parser, keeping values only. openpyxl's own cell reader takes about 8 seconds for
15,000 rows of 34 columns on a small server, this about 2 (a hand-written expat loop is no
faster); and it sees the merged cells in the same pass (openpyxl's read-only worksheets do not
expose `merged_cells`). The pass is a stream: each row is dropped once read.

A small file can ask for a lot of work (a 60 KB workbook unpacked to 30 MB of cells, a zip
bomb, a row of 100,000 cells), so every limit of a real sheet of activities is checked as early
as it can be: the sizes the zip declares before anything is unpacked (unpacking never goes past
them: zipfile stops at the declared size and checks the CRC), the sheet's declared dimension
before its first cell, and columns, cells and rows while reading, before they pile up.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

# The standard parser is safe here: Python's expat (2.4.1 and later) refuses entity expansion
# bombs and ElementTree never fetches external entities; the size limits below do the rest.
from xml.etree.ElementTree import ParseError, iterparse  # noqa: S405

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from .columns import INSTRUCTIONS_SHEET, SHEET_ALIASES, SHEET_NAME, header_key

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# What the largest real sheet needs, measured: 20,000 activities in the template's 34 columns
# unpack to about 40 MB, compressed 13 to 17 times (the same row 20,000 times: 17). The limits
# leave room for long descriptions and people's own columns, and nothing more.
MAX_COLUMNS = 100  # column CV
MAX_CELLS = 1_000_000  # cells of the sheet, empty ones included; texts of the workbook
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows read, empty ones included
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Parts other than sheets and texts (workbook, styles, relations) are a few kilobytes.
MAX_PART_BYTES = 10 * 1024 * 1024
MAX_PARTS = 1_000
# A zip bomb unpacks hundreds or thousands of times its size; sheets about 15.
MAX_COMPRESSION_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024  # tiny parts compress oddly and cost nothing

_CELL = f"{{{SHEET_MAIN_NS}}}c"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_ROW = f"{{{SHEET_MAIN_NS}}}row"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_MERGE = f"{{{SHEET_MAIN_NS}}}mergeCell"
_DIMENSION = f"{{{SHEET_MAIN_NS}}}dimension"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"
_STRING_ITEM = f"{{{SHEET_MAIN_NS}}}si"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Excel file protected by a password is an OLE container holding this stream.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    kind: str  # "xlsx" or "csv"
    sheet: str
    header_row: int
    headers: dict[int, str]  # column number (1 = A) -> header as written
    # Non-empty rows only: (row number as the spreadsheet shows it, {column number: value}).
    rows: list[tuple[int, dict[int, object]]] = field(default_factory=list)


def letter(column: int) -> str:
    return get_column_letter(column)


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def _password_protected() -> SpreadsheetError:
    return SpreadsheetError(
        _("The workbook is protected by a password: remove the password, then upload it again.")
    )


def _too_many_columns(sheet: str | None, column: int) -> SpreadsheetError:
    """`sheet` None: a CSV file, which has no sheets."""
    found = get_column_letter(column) if column <= 18_278 else _count(column)
    values = {
        "sheet": sheet,
        "column": found,
        "limit": MAX_COLUMNS,
        "last": get_column_letter(MAX_COLUMNS),
    }
    if sheet is None:
        message = _(
            "The file has cells in column %(column)s, beyond the %(limit)s columns a sheet of "
            "activities may use: delete the columns after %(last)s, then upload the file again."
        )
    else:
        message = _(
            "The sheet “%(sheet)s” has cells in column %(column)s, beyond the %(limit)s columns "
            "a sheet of activities may use: delete the columns after %(last)s, then upload the "
            "file again."
        )
    return SpreadsheetError(message % values)


def _too_many_rows_read(sheet: str | None) -> SpreadsheetError:
    values = {"sheet": sheet, "limit": _count(MAX_SHEET_ROWS)}
    if sheet is None:
        message = _(
            "The file has more than %(limit)s rows, counting the empty ones: delete the empty "
            "rows at the end, or split it into smaller files."
        )
    else:
        message = _(
            "The sheet “%(sheet)s” has more than %(limit)s rows, counting the empty ones: delete "
            "the empty rows at the end, or split it into smaller files."
        )
    return SpreadsheetError(message % values)


def _too_many_cells() -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(limit)s cells: split it into smaller files.")
        % {"limit": _count(MAX_CELLS)}
    )


def read(data: bytes) -> Table:
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(limit)s MB: split it into smaller files.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(_OLE):
        if _ENCRYPTED_PACKAGE in data:
            raise _password_protected()
        raise SpreadsheetError(
            _("This is an old Excel file (.xls): save it as .xlsx or .csv and upload it again.")
        )
    return _read_csv(data)


def _not_a_spreadsheet() -> SpreadsheetError:
    return SpreadsheetError(
        _("The file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file.")
    )


# --- CSV --------------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Italian Windows saves CSV in Windows-1252.
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _not_a_spreadsheet()
    content = _decode(data)
    if _CONTROL.search(content[:4096]):
        raise _not_a_spreadsheet()
    first_line = content.split("\n", 1)[0]
    # Excel in Italian writes ";" (the comma is the decimal separator); others write ",".
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.lower().startswith("sep=") and len(first_line.strip()) == 5:
        # Excel's hint line ("sep=;"), which Excel itself hides when it opens the file.
        delimiter, content = first_line.strip()[4], content.split("\n", 1)[-1]
    # Every cell but the last of a line follows a delimiter: counted before the parser builds
    # a list of millions of empty cells from one long line. Delimiters inside quoted texts
    # count too, hence the margin; the exact count is kept while reading.
    if content.count(delimiter) > 2 * MAX_CELLS:
        raise _too_many_cells()
    table = Table(kind="csv", sheet="", header_row=0, headers={})
    cells_read = 0
    try:
        records = csv.reader(io.StringIO(content), delimiter=delimiter)
        for number, values in enumerate(records, 1):
            cells_read += len(values)
            if cells_read > MAX_CELLS:
                raise _too_many_cells()
            if number > MAX_SHEET_ROWS:
                raise _too_many_rows_read(None)
            cells = {i: v for i, v in enumerate(values, 1) if v and v.strip()}
            if cells and max(cells) > MAX_COLUMNS:
                raise _too_many_columns(None, max(cells))
            _add_row(table, number, cells)
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file cannot be read (%(error)s).") % {"error": error}
        ) from None
    return table


def _add_row(table: Table, number: int, cells: dict[int, object]) -> None:
    if not cells:
        return
    if not table.header_row:
        table.header_row = number
        table.headers = {i: str(v).strip() for i, v in cells.items()}
        return
    table.rows.append((number, cells))
    if len(table.rows) > MAX_ROWS:
        raise SpreadsheetError(
            _("The file has more than %(limit)s rows: split it into smaller files.")
            % {"limit": _count(MAX_ROWS)}
        )


# --- XLSX -------------------------------------------------------------------------------------
def _read_xlsx(data: bytes) -> Table:
    damaged = SpreadsheetError(
        _("The workbook cannot be opened: it may be damaged. Save it again as .xlsx.")
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis"):
            raise SpreadsheetError(
                _("This is an OpenDocument file (.ods): save it as .xlsx or .csv.")
            )
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise _not_a_spreadsheet()
        _check_declared_sizes(archive)
        workbook = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        workbook.read_manifest()
        workbook.read_workbook()
        apply_stylesheet(workbook.archive, workbook.wb)
        sheets = [
            (sheet.name, rel.target)
            for sheet, rel in workbook.parser.find_sheets()
            if rel.Type.endswith("/worksheet") and rel.target in names
        ]
        name, path = _choose_sheet(sheets)
        strings = _shared_strings(workbook)
        with workbook.archive.open(path) as source:
            return _read_sheet(source, name, strings, workbook.wb)
    except SpreadsheetError:
        raise
    except RuntimeError as error:  # zipfile: "File ... is encrypted, password required"
        if "encrypted" in str(error):
            raise _password_protected() from None
        raise damaged from None
    except (
        zipfile.BadZipFile,
        NotImplementedError,  # a compression method zipfile does not know
        EOFError,
        InvalidFileException,
        ParseError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        OSError,
    ):
        raise damaged from None


def _check_declared_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse what unpacks too large from what the zip's directory declares, before unpacking."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise SpreadsheetError(
            _(
                "The workbook holds %(count)s parts, more than the %(limit)s a spreadsheet "
                "needs: copy the activities into a new workbook and upload that."
            )
            % {"count": _count(len(parts)), "limit": _count(MAX_PARTS)}
        )
    total = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise _password_protected()
        total += part.file_size
        if part.file_size > _RATIO_FROM_BYTES and (
            part.file_size > MAX_COMPRESSION_RATIO * max(part.compress_size, 1)
        ):
            raise SpreadsheetError(
                _(
                    "The workbook unpacks to %(ratio)s times its size, more than a real "
                    "spreadsheet does (at most %(limit)s times): it may be damaged or built to "
                    "overload the server. Save it again as .xlsx."
                )
                % {
                    "ratio": _count(part.file_size // max(part.compress_size, 1)),
                    "limit": MAX_COMPRESSION_RATIO,
                }
            )
        is_data = part.filename.startswith("xl/worksheets/") or part.filename.endswith(
            "sharedStrings.xml"
        )
        if not is_data and part.file_size > MAX_PART_BYTES:
            raise SpreadsheetError(
                _(
                    "The part “%(part)s” of the workbook is larger than %(limit)s MB once "
                    "unpacked: copy the activities into a new workbook and upload that."
                )
                % {"part": part.filename[:80], "limit": MAX_PART_BYTES // (1024 * 1024)}
            )
    if total > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            _(
                "The workbook is larger than %(limit)s MB once unpacked: split it into "
                "smaller files."
            )
            % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _choose_sheet(sheets: list[tuple[str, str]]) -> tuple[str, str]:
    wanted = {header_key(name) for name in (SHEET_NAME, *SHEET_ALIASES)}
    for name, path in sheets:
        if header_key(name) in wanted:
            return name, path
    instructions = {header_key(INSTRUCTIONS_SHEET), "instructions"}
    others = [(name, path) for name, path in sheets if header_key(name) not in instructions]
    if len(others) == 1:
        return others[0]
    raise SpreadsheetError(
        _(
            "The workbook has no sheet called “%(expected)s” (it has: %(sheets)s). Put the "
            "activities in a sheet called “%(expected)s”, as in the template."
        )
        % {
            "expected": SHEET_NAME,
            "sheets": ", ".join(f"“{name}”" for name, _path in sheets) or "—",
        }
    )


def _shared_strings(workbook: ExcelReader) -> list[str]:
    part = workbook.package.find(SHARED_STRINGS)
    if part is None:
        return []
    strings = []
    with workbook.archive.open(part.PartName[1:]) as source:
        for _event, element in iterparse(source):  # noqa: S314
            if element.tag == _STRING_ITEM:
                # No cell can show more texts than there are cells.
                if len(strings) >= MAX_CELLS:
                    raise _too_many_cells()
                strings.append(_rich_text(element))
                element.clear()
    return strings


def _rich_text(element) -> str:
    """The text of a string item: plain, or runs of formatted text (phonetic hints left out)."""
    parts = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            parts.append(child.findtext(_TEXT) or "")
    return "".join(parts)


def _column_number(reference: str, cache: dict = {}) -> int:  # noqa: B006 - a memo on purpose
    letters = reference.rstrip("0123456789")
    try:
        return cache[letters]
    except KeyError:
        number = 0
        for char in letters:
            number = number * 26 + ord(char) - 64
        cache[letters] = number
        return number


def _read_sheet(source, name: str, strings: list[str], wb) -> Table:
    dates, durations, epoch = wb._date_formats, wb._timedelta_formats, wb.epoch
    table = Table(kind="xlsx", sheet=name, header_row=0, headers={})
    merged, merged_count = [], 0
    cells: dict[int, object] = {}
    row_number = column = rows_read = cells_read = 0
    for _event, element in iterparse(source):  # noqa: S314
        tag = element.tag
        if tag == _CELL:
            cells_read += 1
            if cells_read > MAX_CELLS:
                raise _too_many_cells()
            kind = element.get("t", "n")
            reference = element.get("r")
            column = _column_number(reference) if reference else column + 1
            if column > MAX_COLUMNS:
                raise _too_many_columns(name, column)
            if kind == "inlineStr":
                inline = element.find(_INLINE)
                value = None
                if inline is not None:
                    value = inline.findtext(_TEXT)
                    if value is None:  # runs of formatted text
                        value = _rich_text(inline)
            else:
                value = element.findtext(_VALUE)
                if value is not None:
                    if kind == "s":
                        value = strings[int(value)]
                    elif kind == "n":
                        value = _number(value, element.get("s"), dates, durations, epoch)
                    elif kind == "b":
                        value = value == "1"
                    elif kind == "d":
                        value = from_ISO8601(value)
            if value is not None and value != "":
                cells[column] = value
            element.clear()
        elif tag == _ROW:
            rows_read += 1
            if rows_read > MAX_SHEET_ROWS:
                raise _too_many_rows_read(name)
            number = element.get("r")
            row_number = int(number) if number else row_number + 1
            _add_row(table, row_number, cells)
            cells, column = {}, 0
            element.clear()
        elif tag == _MERGE:
            merged_count += 1
            if len(merged) < 10:
                merged.append(element.get("ref"))
            element.clear()
        elif tag == _DIMENSION:
            _check_dimension(name, element.get("ref"))
    if merged:
        shown = ", ".join(merged) + (" …" if merged_count > 10 else "")
        raise SpreadsheetError(
            _(
                "The sheet “%(sheet)s” has merged cells (%(cells)s): unmerge them so that every "
                "cell holds one value, then upload the file again."
            )
            % {"sheet": name, "cells": shown}
        )
    return table


def _check_dimension(sheet: str, reference) -> None:
    """The used range the sheet declares before its cells (Excel and LibreOffice write it):
    a sheet too wide or too long is refused before its first cell is read. The declaration is
    only a shortcut; the counts while reading are what holds."""
    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(str(reference or ""))
    except (TypeError, ValueError):
        return
    if max_col is not None and max_col > MAX_COLUMNS:
        raise _too_many_columns(sheet, max_col)
    if max_row is not None and max_row > MAX_SHEET_ROWS:
        raise _too_many_rows_read(sheet)


def _number(text: str, style, dates, durations, epoch):
    value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
    if style and int(style) in dates:
        try:
            return from_excel(value, epoch, timedelta=int(style) in durations)
        except (OverflowError, ValueError):
            return value
    return value
