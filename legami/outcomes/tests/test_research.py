"""The evaluators' questionnaire extract: pseudonymised, only people who consented to research,
and k-anonymous (k >= 5) on age band, gender, province, inner-area class and programme,
measured by grouping the rows of the file itself."""

import csv
import io
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from legami.core.models import AuditEvent
from legami.core.privacy import SMALL_CELL
from legami.outcomes import services
from legami.outcomes.models import Instrument
from legami.referrals.models import Beneficiary
from legami.referrals.services import consent_give

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:research_csv")
QUASI_IDENTIFIERS = ("age_band", "gender", "province_istat", "inner_area_class", "programme")
TODAY = timezone.localdate()


def person(care, name, born, gender, comune="arcidosso", research=True):
    """Someone with a WHO-5 baseline and a 3-month follow-up."""
    who5 = Instrument.objects.get(code="who5")
    someone = Beneficiary.objects.create(
        first_name=name, last_name="Esempio", birth_date=born, gender=gender, comune=care[comune]
    )
    purposes = ["outcomes", "research"] if research else ["outcomes"]
    for purpose in purposes:
        consent_give(by=None, beneficiary=someone, purpose=purpose)
    # recorded by a link worker of the person's territory
    worker = care["link_worker"] if comune == "arcidosso" else care["outside_worker"]
    for timepoint, days in (("baseline", 100), ("follow_up_3m", 5)):
        services.response_record(
            by=worker,
            instrument=who5,
            beneficiary=someone,
            timepoint=timepoint,
            administered_on=TODAY - timedelta(days=days),
            answers=dict.fromkeys(range(1, 6), 3),
        )
    return someone


def table(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text))), text


def smallest_class(rows, columns, who="person") -> int:
    people = defaultdict(set)
    for row in rows:
        people[tuple(row[c] for c in columns)].add(row[who])
    return min(len(members) for members in people.values())


def test_every_person_was_unique_and_the_extract_reaches_k_five(client, care):
    women = [person(care, f"Donna{n}", date(1950 + n, 5, 1), "female") for n in range(5)]
    alone = [
        person(care, "Uomo", date(1951, 5, 1), "male"),  # the only man
        person(care, "Giovane", date(1996, 5, 1), "female"),  # the only young woman
        person(care, "Emiliana", date(1952, 5, 1), "female", comune="casalecchio"),
    ]
    person(care, "Senzaconsenso", date(1953, 5, 1), "female", research=False)
    # The old columns (birth year, gender, comune) single out every one of them.
    old = defaultdict(set)
    for someone in women + alone:
        old[(someone.birth_date.year, someone.gender, someone.comune_id)].add(someone.pk)
    assert max(len(people) for people in old.values()) == 1

    rows, text = table(client, care["evaluator"])

    header = text.splitlines()[0].split(",")
    assert "birth_year" not in header and "comune_istat" not in header
    assert set(QUASI_IDENTIFIERS) <= set(header)
    assert smallest_class(rows, QUASI_IDENTIFIERS) >= SMALL_CELL
    assert {r["person"] for r in rows} == {str(w.pseudonym) for w in women}
    assert len(rows) == 10  # their baselines and follow-ups
    for someone in alone:
        assert str(someone.pseudonym) not in text
    assert {(r["age_band"], r["gender"], r["province_istat"]) for r in rows} == {
        ("65–79", "female", "053")
    }
    assert {r["administered_month"] for r in rows} <= {
        (TODAY - timedelta(days=d)).strftime("%Y-%m") for d in (100, 5)
    }
    for identity in ("Donna", "Esempio", "Senzaconsenso", "1950-05-01"):
        assert identity not in text
    logged = AuditEvent.objects.filter(actor=care["evaluator"], action="export", purpose="research")
    assert set(logged.values_list("person_id", flat=True)) == {w.pk for w in women}


def test_fewer_than_five_consenting_people_give_an_empty_file(client, care):
    for n in range(SMALL_CELL - 1):
        person(care, f"Donna{n}", date(1950 + n, 5, 1), "female")
    rows, text = table(client, care["evaluator"])
    assert rows == [] and len(text.splitlines()) == 1
    assert not AuditEvent.objects.filter(action="export", purpose="research").exists()
