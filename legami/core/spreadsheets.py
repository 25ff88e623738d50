"""Writing CSV and XLSX files that a spreadsheet opens as data, never as formulas.

Names come from people (an organisation called "=HYPERLINK(...)", a programme called
"+39 ..."): a spreadsheet that computes them runs the caller's formula on the reader's machine
(links that leak the sheet, DDE commands). Every CSV and XLSX the project writes goes through
this module:

- CSV: a text cell whose first character (after spaces) starts a formula is prefixed with
  an apostrophe, as OWASP's "CSV injection" guidance says: `=`, `+`, `-`, `@`, tab, carriage
  return, line feed, and their full-width forms, which some spreadsheets read as the ASCII
  ones. Numbers, dates and booleans are written as they are: -3 stays the number -3.
- XLSX: text is stored as a string cell, never as a formula (openpyxl stores any string
  beginning with "=" as a formula); the text itself is kept exactly, because a string cell is
  never computed. Characters XML cannot hold are dropped instead of failing the download.
"""

import csv
from collections.abc import Callable, Iterable, Iterator

from django.utils.functional import Promise
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = frozenset("=+-@\t\r\n" + "\uff1d\uff0b\uff0d\uff20")


def csv_text(value):
    """A CSV value a spreadsheet will not compute: text starting a formula gets an apostrophe
    in front; anything that is not text (numbers, dates, None) is returned unchanged."""
    if isinstance(value, str) and value.lstrip(" ")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


class SafeCSVWriter:
    """`csv.writer` whose rows go through `csv_text`; same arguments, same return values."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow([csv_text(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **options) -> SafeCSVWriter:
    return SafeCSVWriter(stream, **options)


class _Echo:
    """A file that hands back what is written: lets a streaming response yield each line."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable], **options) -> Iterator[str]:
    """The lines of a CSV file, one per row, for a StreamingHttpResponse."""
    writer = csv_writer(_Echo(), **options)
    for row in rows:
        yield writer.writerow(row)


def xlsx_cell(sheet, value) -> Cell:
    """A cell for `sheet.append`: text is a string cell (never a formula), without the
    control characters XML cannot hold; other values keep their type."""
    # `append` moves the cell to its place; a place is needed before (openpyxl names it).
    cell = Cell(sheet, row=1, column=1)
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def append_row(sheet, values: Iterable = ()) -> None:
    """`sheet.append(values)` through `xlsx_cell`: the only way rows are added to a sheet."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


# One CSV dialect for every download of a table: comma-separated, UTF-8 with a byte-order
# mark so that a spreadsheet opened by double click reads the accents right.
CSV_BOM = "\ufeff"


def csv_response(filename: str, rows: Iterable[Iterable]):
    """A streaming CSV download of `rows` (the first is the header)."""
    from django.http import StreamingHttpResponse

    def lines():
        yield CSV_BOM
        yield from csv_lines(rows)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, title: str, rows: Iterable[Iterable]):
    """An XLSX download of `rows` (the first is the header), written in openpyxl's
    write-only mode so a long table costs little memory."""
    import io

    from django.http import HttpResponse
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        append_row(sheet, row)
    stream = io.BytesIO()
    workbook.save(stream)
    response = HttpResponse(
        stream.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Downloads of a public table per connection and hour: enough for anyone's work, too few to
# keep the server busy building spreadsheets for a script.
DOWNLOADS_PER_HOUR = 30


def table_download(request, export: str, *, filename: str, title: str, rows: Callable):
    """The CSV or XLSX of a table a page shows (`export` is "csv" or "xlsx"), counted against
    the connection's hourly downloads; `rows()` is only built when one is left."""
    from django.http import HttpResponse
    from django.utils.translation import gettext

    from . import ratelimit

    if ratelimit.take(request, {"table-download": DOWNLOADS_PER_HOUR}) is None:
        return HttpResponse(
            gettext(
                "Too many downloads from this connection in the last hour: please try again "
                "later."
            ),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    if export == "csv":
        return csv_response(f"{filename}.csv", rows())
    return xlsx_response(f"{filename}.xlsx", title, rows())
