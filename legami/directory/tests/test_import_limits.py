"""A small file must not buy a lot of work: the limits of the activity import, each refused
early with a message naming the limit, and nothing saved.

How much work was done is measured by counting what the reader parsed (the XML elements of the
sheet, the records of a CSV), never by timing it."""

import io
import random
import struct
import zipfile
from collections import Counter

import pytest
from django.urls import reverse
from django.utils.formats import number_format
from openpyxl import Workbook

from legami.directory.models import Activity
from legami.directory.spreadsheet import reader

from .test_import import HEADERS, _upload, csv_bytes, good_row, run, xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_PART = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


@pytest.fixture
def provider(world, personas):
    return personas["provider"]


@pytest.fixture
def imports_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


@pytest.fixture
def parsed(monkeypatch):
    """How many elements of each kind the reader took from the XML parser."""
    seen = Counter()
    real = reader.iterparse

    def counting(source, *args, **kwargs):
        for event, element in real(source, *args, **kwargs):
            seen[element.tag.rsplit("}", 1)[-1]] += 1
            yield event, element

    monkeypatch.setattr(reader, "iterparse", counting)
    return seen


@pytest.fixture
def records(monkeypatch):
    """How many records the reader took from the CSV parser."""
    seen = Counter()
    real = reader.csv.reader

    def counting(*args, **kwargs):
        seen["calls"] += 1
        for record in real(*args, **kwargs):
            seen["records"] += 1
            yield record

    monkeypatch.setattr(reader.csv, "reader", counting)
    return seen


def _problem(report) -> str:
    assert not report.ok
    (problem,) = report.problems
    assert problem.row is None
    return problem.message


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def crafted(sheet: str | bytes, *, parts: dict | None = None, texts=None) -> bytes:
    """A real workbook (openpyxl's) whose "Attività" sheet is replaced by `sheet`; with
    `texts`, a table of shared strings as Excel writes them (openpyxl writes none)."""
    parts = dict(parts or {})
    if texts is not None:
        items = "".join(f"<si><t>{text}</t></si>" for text in texts)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{items}</sst>'
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'

    book = Workbook(write_only=True)
    book.create_sheet("Attività").append(HEADERS)
    original = io.BytesIO()
    book.save(original)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original.getvalue())) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = sheet if info.filename == SHEET_PART else source.read(info.filename)
            if info.filename == "[Content_Types].xml" and texts is not None:
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            target.writestr(info.filename, content)
        for name, content in parts.items():
            target.writestr(name, content)
    return output.getvalue()


def worksheet(rows: str, dimension: str | None = None) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{rows}</sheetData></worksheet>'


def patched(data: bytes, name: str, *, size=None, flags=0, method=None) -> bytes:
    """The zip with the directory entry (and local header) of `name` changed: a declared size,
    flag bits, a compression method. What a crafted file can claim."""
    buffer, encoded = bytearray(data), name.encode()
    for signature, flag_at, method_at, size_at, name_len_at, name_at in (
        (b"PK\x01\x02", 8, 10, 24, 28, 46),
        (b"PK\x03\x04", 6, 8, 22, 26, 30),
    ):
        at = buffer.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", buffer, at + name_len_at)[0]
            if bytes(buffer[at + name_at : at + name_at + length]) == encoded:
                old_flags = struct.unpack_from("<H", buffer, at + flag_at)[0]
                struct.pack_into("<H", buffer, at + flag_at, old_flags | flags)
                if method is not None:
                    struct.pack_into("<H", buffer, at + method_at, method)
                if size is not None:
                    struct.pack_into("<I", buffer, at + size_at, size)
            at = buffer.find(signature, at + 4)
    return bytes(buffer)


# --- the file of the report: 20 rows of 100,000 cells, 30 MB unpacked -------------------------
def test_the_reported_workbook_is_refused_before_a_cell_is_read(
    client_for, world, imports_dir, parsed
):
    row = "<row>" + "<c><v>1</v></c>" * 100_000 + "</row>"
    data = crafted(worksheet(row * 20))
    assert len(data) < 200_000  # a small upload...
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET_PART).file_size > 30_000_000
    before = Activity.objects.count()

    client = client_for("provider")
    response = _upload(client, data)
    assert response.status_code == 302
    page = client.get(reverse("directory:import_confirm"))
    body = page.content.decode()
    assert page.status_code == 200 and 'class="alert alert-danger"' in body
    assert str(reader.MAX_COMPRESSION_RATIO) in body  # the limit, named
    assert parsed["c"] == 0 and parsed["row"] == 0
    assert Activity.objects.count() == before
    assert not list(imports_dir.glob("*.upload"))


def test_the_same_cells_compressing_like_a_real_sheet_stop_one_column_past_the_limit(
    provider, parsed
):
    """openpyxl's own file of 20 rows of 1,000 different values: an ordinary compression, so
    only the column count stops it, at the first cell beyond column CV."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Attività")
    for row in range(20):
        sheet.append([f"valore {row}-{column}" for column in range(1_000)])
    output = io.BytesIO()
    book.save(output)
    message = _problem(run(provider, output.getvalue()))
    assert "CW" in message and "CV" in message and str(reader.MAX_COLUMNS) in message
    assert parsed["c"] == reader.MAX_COLUMNS + 1
    assert parsed["row"] == 0  # not even the first row was finished


def test_cells_without_a_reference_are_counted_as_columns_too(provider, parsed):
    row = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 5_000 + "</row>"
    message = _problem(run(provider, crafted(worksheet(row))))
    assert "CW" in message
    assert parsed["c"] == reader.MAX_COLUMNS + 1


@pytest.mark.parametrize(
    ("dimension", "named"),
    [
        ("A1:XFD20", "XFD"),
        ("A1:AH1048576", "rows"),
    ],
)
def test_a_declared_used_range_beyond_the_limits_is_refused_before_the_first_cell(
    provider, parsed, dimension, named
):
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>Nome</t></is></c></row>'
    message = _problem(run(provider, crafted(worksheet(rows, dimension))))
    assert (_count(reader.MAX_SHEET_ROWS) if named == "rows" else named) in message
    assert parsed["c"] == 0


def test_a_declared_used_range_within_the_limits_is_read(provider):
    data = xlsx([good_row()])
    assert b"<dimension" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET_PART)
    assert run(provider, data).ok


def test_empty_rows_are_counted_and_stop_the_reading(provider, parsed):
    rows = "".join(f'<row r="{n}"/>' for n in range(1, 50_001))
    message = _problem(run(provider, crafted(worksheet(rows))))
    assert _count(reader.MAX_SHEET_ROWS) in message
    assert parsed["row"] == reader.MAX_SHEET_ROWS + 1


def test_cells_beyond_the_limit_stop_the_reading(provider, parsed, monkeypatch):
    monkeypatch.setattr(reader, "MAX_CELLS", 500)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Attività")
    sheet.append(HEADERS)
    for row in range(30):
        sheet.append([f"{row}-{column}" for column in range(len(HEADERS))])
    output = io.BytesIO()
    book.save(output)
    message = _problem(run(provider, output.getvalue()))
    assert "500" in message
    assert parsed["c"] == 501


def test_shared_texts_are_read(provider):
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
    )
    data = crafted(worksheet(rows), texts=["Nome", "Descrizione", "Coro", "Si canta"])
    table = reader.read(data)
    assert table.headers == {1: "Nome", 2: "Descrizione"}
    assert table.rows == [(2, {1: "Coro", 2: "Si canta"})]


def test_more_texts_than_cells_are_refused(provider, parsed, monkeypatch):
    monkeypatch.setattr(reader, "MAX_CELLS", 50)
    data = crafted(worksheet(""), texts=[f"testo {n}" for n in range(60)])
    assert "50" in _problem(run(provider, data))
    assert parsed["si"] == 51 and parsed["c"] == 0


# --- what the zip declares ------------------------------------------------------------------------
def _incompressible(size: int) -> bytes:
    return random.Random(size).randbytes(size)  # noqa: S311 - test data


def test_a_zip_bomb_is_refused_from_its_declared_sizes(provider, parsed):
    data = crafted(worksheet(""), parts={"xl/media/image1.png": b"\0" * 20_000_000})
    assert len(data) < 100_000
    message = _problem(run(provider, data))
    assert str(reader.MAX_COMPRESSION_RATIO) in message
    assert not parsed


def test_more_than_the_unpacked_limit_is_refused_from_its_declared_sizes(provider, parsed):
    data = crafted(worksheet(""), parts={"xl/worksheets/sheet2.xml": _incompressible(2_000_000)})
    data = patched(data, "xl/worksheets/sheet2.xml", size=reader.MAX_UNPACKED_BYTES + 1)
    message = _problem(run(provider, data))
    assert str(reader.MAX_UNPACKED_BYTES // (1024 * 1024)) in message
    assert not parsed


def test_a_structure_part_larger_than_its_limit_is_refused_naming_it(provider, parsed):
    data = crafted(worksheet(""), parts={"xl/custom.xml": _incompressible(1_500_000)})
    data = patched(data, "xl/custom.xml", size=reader.MAX_PART_BYTES + 1)
    message = _problem(run(provider, data))
    assert "xl/custom.xml" in message
    assert not parsed


def test_a_workbook_of_too_many_parts_is_refused(provider, parsed):
    parts = {f"xl/media/image{n}.png": b"x" for n in range(reader.MAX_PARTS)}
    message = _problem(run(provider, crafted(worksheet(""), parts=parts)))
    assert _count(reader.MAX_PARTS) in message
    assert not parsed


# --- what is not a workbook, dressed as one -------------------------------------------------------
def test_a_password_protected_workbook_is_named_as_such(provider):
    """Excel saves a protected workbook as an OLE file holding an "EncryptedPackage"; a zip
    with encrypted parts made the import fail with a server error."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le")
    encrypted_zip = patched(xlsx([good_row()]), "[Content_Types].xml", flags=0x1)
    messages = {_problem(run(provider, data)) for data in (ole, encrypted_zip)}
    assert len(messages) == 1  # the same message, the password one
    (message,) = messages
    assert message == reader._password_protected().message


@pytest.mark.parametrize(
    "data",
    [
        # a compression method zipfile does not know (it raised NotImplementedError)
        patched(xlsx([good_row()]), "[Content_Types].xml", method=99),
        # the sheet part is an image
        crafted(b"\x89PNG\r\n\x1a\n" + _incompressible(1_000)),
        # the sheet part is a zip inside the zip
        crafted(xlsx([good_row()])),
        # a truncated workbook
        xlsx([good_row()])[:-200],
    ],
    ids=["unknown-compression", "image-as-sheet", "zip-as-sheet", "truncated"],
)
def test_damaged_or_disguised_workbooks_are_refused_with_a_message(provider, data):
    before = Activity.objects.count()
    assert _problem(run(provider, data))
    assert Activity.objects.count() == before


# --- CSV ------------------------------------------------------------------------------------------
def test_a_csv_of_millions_of_separators_is_refused_before_parsing(provider, records):
    data = ("Nome;Descrizione\n" + ";" * (2 * reader.MAX_CELLS + 1)).encode()
    message = _problem(run(provider, data, filename="attivita.csv"))
    assert _count(reader.MAX_CELLS) in message
    assert records["calls"] == 0


def test_a_csv_line_of_a_million_cells_stops_the_reading_at_that_line(provider, records):
    data = ("Nome;Descrizione\n" + ";" * reader.MAX_CELLS + "\nCoro;Si canta\n").encode()
    message = _problem(run(provider, data, filename="attivita.csv"))
    assert _count(reader.MAX_CELLS) in message
    assert records["records"] == 2


def test_csv_cells_are_counted_while_reading(provider, records, monkeypatch):
    monkeypatch.setattr(reader, "MAX_CELLS", 500)
    data = csv_bytes([good_row(name=f"Attività {n}") for n in range(20)])
    assert "500" in _problem(run(provider, data, filename="attivita.csv"))
    assert records["records"] == 500 // len(HEADERS) + 1


def test_a_csv_of_empty_lines_stops_at_the_row_limit(provider, records):
    data = ("Nome;Descrizione\n" + ";\n" * 100_000).encode()
    message = _problem(run(provider, data, filename="attivita.csv"))
    assert _count(reader.MAX_SHEET_ROWS) in message
    assert records["records"] == reader.MAX_SHEET_ROWS + 1


def test_a_csv_value_beyond_the_last_column_is_refused_naming_it(provider):
    line = ";" * 149 + "nota"
    message = _problem(run(provider, f"Nome;Descrizione\n{line}\n".encode()))
    assert "ET" in message and "CV" in message


def test_empty_trailing_csv_cells_beyond_the_last_column_are_harmless(provider):
    data = csv_bytes([good_row()]).replace(b"\r\n", b";" * 200 + b"\r\n")
    assert run(provider, data, filename="attivita.csv").ok
