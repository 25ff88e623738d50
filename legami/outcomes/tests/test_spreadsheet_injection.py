"""The evaluator's two extracts (referrals and responses, CSV) and the impact tables (XLSX) hold
a programme called like a formula as inert text; the writer is tested in
core/tests/test_spreadsheets.py."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from legami.core.tests.test_spreadsheets import HYPERLINK, formulas
from legami.network import services as network
from legami.outcomes import services as outcomes
from legami.outcomes.models import Instrument
from legami.referrals import services as referrals
from legami.referrals.tests.conftest import person_data

pytestmark = pytest.mark.django_db


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


# The extracts are k-anonymous (k = 5): five people who share their quasi-identifiers.
PEOPLE = 5


def test_referrals_research_csv_holds_the_programme_name_as_text(client, care, formula_programme):
    for number in range(PEOPLE):
        _referral(care, formula_programme, number)
    client.force_login(care["evaluator"])
    response = client.get(reverse("referrals:research_csv"))
    header, *rows = _csv_rows(response)
    assert len(rows) == PEOPLE
    for row in rows:
        assert row[header.index("programme")] == "'" + HYPERLINK
        assert row[header.index("days_to_first_contact")] == ""


def test_outcomes_responses_csv_holds_the_programme_name_as_text(client, care, formula_programme):
    for number in range(PEOPLE):
        referral = _referral(care, formula_programme, number)
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
    assert len(rows) == PEOPLE
    for row in rows:
        assert row[header.index("programme")] == "'" + HYPERLINK
        assert row[header.index("score")] == "60.00"  # a number stays a number
        assert row[header.index("administered_month")] == timezone.localdate().strftime("%Y-%m")


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
    assert not formulas(sheet)
    (row,) = [row for row in sheet.iter_rows() if row[0].value == HYPERLINK]
    assert row[0].data_type == "s"
    assert row[1].value == 6 and row[1].data_type == "n"
    # A mean change can be negative: still a number.
    assert all(cell.data_type == "n" for cell in row[1:] if cell.value is not None)
