"""The evaluators' pseudonymised referral extract: only people who consented to research, no
identity, and k-anonymous (k >= 5) on its quasi-identifiers, measured on the file itself."""

import csv
import io
from collections import defaultdict
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from legami.core import roles
from legami.core.models import AuditEvent
from legami.core.privacy import SMALL_CELL
from legami.referrals import services
from legami.referrals.models import Beneficiary

from .conftest import TAX_CODE, engage, person_data

URL = reverse("referrals:research_csv")
QUASI_IDENTIFIERS = ("age_band", "province_istat", "inner_area_class", "programme")
NOTE = "Ha pianto parlando del marito."


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def table(response) -> tuple[list[dict], str]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text))), text


def smallest_class(rows: list[dict], columns, person="pseudonymous_id") -> int:
    """k of a file: the fewest distinct people sharing one combination of `columns`."""
    people = defaultdict(set)
    for row in rows:
        people[tuple(row[c] for c in columns)].add(row[person])
    return min(len(members) for members in people.values())


def refer(care, comune, birth_date, name, *, consents=("care", "research")):
    # Every person counts in the one programme, which must then cover their comune.
    care["programme"].comuni.add(care[comune])
    return services.referral_create(
        by=care["prescriber"],
        person=person_data(
            care[comune],
            first_name=name,
            tax_code="",
            birth_date=birth_date,
            phone=f"333 {birth_date:%Y%m%d}",
        ),
        consents=list(consents),
        reasons=[care["loneliness"]],
        programme=care["programme"],
    )


def five_in_one_band(care):
    """Five people of Arcidosso, each born in a different year (so each was unique on birth
    year and comune in the old extract), all in the 65-79 band."""
    return [refer(care, "arcidosso", date(1950 + n, 3, 1), f"Coorte{n}") for n in range(5)]


def test_the_extract_reaches_k_five_where_every_person_was_unique(care):
    cohort = five_in_one_band(care)
    lonely = [
        refer(care, "arcidosso", date(1995, 6, 1), "Giovane"),  # the only 18-34 of the comune
        refer(care, "massa", date(1951, 6, 1), "Massetana"),  # the only one of Massa Marittima
        refer(care, "casalecchio", date(1952, 6, 1), "Emiliana"),  # the only one in Bologna
    ]
    everyone = Beneficiary.objects.filter(pk__in=[r.beneficiary_id for r in cohort + lonely])
    # What the extract used to give: birth year and comune single out every person.
    old = defaultdict(set)
    for person in everyone:
        old[(person.birth_date.year, person.comune_id)].add(person.pk)
    assert max(len(people) for people in old.values()) == 1

    response = signed_in(care["evaluator"]).get(URL)
    assert response.status_code == 200
    rows, text = table(response)

    assert "birth_year" not in text.splitlines()[0] and "comune" not in text.splitlines()[0]
    assert smallest_class(rows, QUASI_IDENTIFIERS) >= SMALL_CELL
    assert {r["pseudonymous_id"] for r in rows} == {str(r.beneficiary.pseudonym) for r in cohort}
    for referral in lonely:
        assert str(referral.beneficiary.pseudonym) not in text
    (band,) = {(r["age_band"], r["province_istat"], r["inner_area_class"]) for r in rows}
    assert band == ("65–79", "053", "E")
    # The access log names the people whose rows left, and only them.
    logged = AuditEvent.objects.filter(
        actor=care["evaluator"], action="export", purpose="pseudonymised research extract"
    )
    assert set(logged.values_list("person_id", flat=True)) == {r.beneficiary_id for r in cohort}


def test_the_extract_holds_only_consenting_people_and_no_identity(care):
    cohort = five_in_one_band(care)
    worked = engage(care, cohort[0])
    services.case_note_add(by=care["link_worker"], referral=worked, text=NOTE)
    other = refer(care, "arcidosso", date(1953, 1, 1), "Senzaconsenso", consents=["care"])
    rows, text = table(signed_in(care["evaluator"]).get(URL))
    assert text.splitlines()[0] == (
        "pseudonymous_id,age_band,province_istat,inner_area_class,programme,source,urgency,"
        "needs,status,received_month,days_to_first_contact,closed_month"
    )
    assert len(rows) == 5
    row = next(r for r in rows if r["pseudonymous_id"] == str(worked.beneficiary.pseudonym))
    assert row["needs"] == "solitudine" and row["status"] == "assessed"
    assert row["days_to_first_contact"] == "0"
    assert row["received_month"] == worked.received_at.strftime("%Y-%m")
    assert row["programme"] == "Comunità resilienti"
    assert str(other.beneficiary.pseudonym) not in text
    for identity in ("Coorte", "Rossi", "Senzaconsenso", "333 ", TAX_CODE, "1950-03-01", NOTE):
        assert identity not in text


def test_the_extract_queries_do_not_grow(care, django_assert_max_num_queries):
    five_in_one_band(care)
    client = signed_in(care["evaluator"])
    with django_assert_max_num_queries(12):
        rows, _text = table(client.get(URL))
    assert len(rows) == 5 and all(r["needs"] == "solitudine" for r in rows)


def test_only_evaluators_get_the_extract(care, personas):
    for role in (
        roles.PRESCRIBER,
        roles.LINK_WORKER,
        roles.PROVIDER,
        roles.CITIZEN,
        roles.DPO,
        roles.TERRITORY_ADMIN,
    ):
        assert signed_in(personas[role]).get(URL).status_code == 403, role
    assert Client().get(URL).status_code == 302
    assert not AuditEvent.objects.filter(purpose="pseudonymised research extract").exists()


@pytest.mark.parametrize("withdrawn", ["research", "anonymised"])
def test_people_who_leave_research_leave_the_extract(care, withdrawn):
    cohort = five_in_one_band(care)
    leaving = cohort[0].beneficiary
    if withdrawn == "research":
        services.consent_withdraw(
            by=care["link_worker"], beneficiary=leaving, purpose="research"
        )
    else:
        services.subject_erase(by=care["dpo"], beneficiary=leaving, reason="prot. 2026/1")
    rows, _text = table(signed_in(care["evaluator"]).get(URL))
    # Four are left in their combination: fewer than five, so none of them is shown.
    assert rows == []
