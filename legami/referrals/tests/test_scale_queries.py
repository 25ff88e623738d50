"""Query counts that do not grow with the data: the caseload, one referral and the provider's
inbox cost the same number of queries with 5 referrals as with 60 (benchmarks/ measures the
time at 30,000)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from legami.directory.models import Activity
from legami.referrals import services
from legami.referrals.models import Enrolment, Referral

from .conftest import engage, person_data

pytestmark = pytest.mark.django_db

# The most each page may use, whatever the data.
# The case page and the caseload ask the modules for what falls due, and the case page offers
# the link worker the programmes of the comune (a query each).
# detail: +1 for the person's goals (their ratings cost one more only when there are goals)
MAX_QUERIES = {"caseload": 18, "detail": 18, "inbox": 10}


def _signed_in(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _grow(care, start: int, stop: int) -> None:
    """Referrals number `start` to `stop - 1`, in every shape a page shows: waiting for
    someone, assigned, assessed and sent to the provider's activity, accepted with attendance,
    declined by the provider, closed; with and without consent to be contacted."""
    worker = care["link_worker"]
    provider = care["provider"]
    activity = care["activity"]
    for number in range(start, stop):
        referral = services.referral_create(
            by=care["prescriber"],
            person=person_data(
                care["arcidosso"],
                first_name=f"Persona{number}",
                last_name=f"Numero{number}",
                birth_date=None,
                tax_code="",
            ),
            consents=["care", "contact"] if number % 3 else ["care"],
            reasons=[care["loneliness"]],
            risks="Caduta recente." if number % 7 == 0 else "",
        )
        shape = number % 5
        if shape == 0:
            continue  # waiting for a link worker
        services.referral_assign(by=worker, referrals=[referral], link_worker=worker)
        services.referral_transition(by=worker, referral=referral, to="contacted")
        if shape == 1:
            continue
        services.referral_transition(
            by=worker, referral=referral, to="assessed", what_matters="Stare in compagnia."
        )
        if shape == 2:
            services.referral_transition(by=worker, referral=referral, to="closed", reason="Fine.")
            continue
        enrolment = services.enrolment_create(by=worker, referral=referral, activity=activity)
        if shape == 3:
            services.enrolment_respond(
                by=provider, enrolment=enrolment, accept=False, reason="Gruppo al completo."
            )
        else:
            services.enrolment_respond(by=provider, enrolment=enrolment, accept=True)
            services.attendance_record(
                by=provider,
                enrolment=enrolment,
                session_date=timezone.localdate(),
                present=True,
            )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _measure(care, detail_pk: int) -> dict[str, int]:
    worker = _signed_in(care["link_worker"])
    provider = _signed_in(care["provider"])
    return {
        "caseload": _count(worker, reverse("referrals:caseload") + "?view=all"),
        "detail": _count(worker, reverse("referrals:detail", args=[detail_pk])),
        "inbox": _count(provider, reverse("referrals:inbox")),
    }


def test_pages_cost_the_same_queries_with_5_and_60_referrals(care):
    # No limit on places, so that every shape can be made; the measured referral has a full
    # timeline, an accepted enrolment with attendance and a case note.
    Activity.objects.filter(pk=care["activity"].pk).update(capacity=None, referral_slots=None)
    measured = engage(care)
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=measured, activity=care["activity"]
    )
    services.enrolment_respond(by=care["provider"], enrolment=enrolment, accept=True)
    services.case_note_add(by=care["link_worker"], referral=measured, text="Prima telefonata.")
    _grow(care, 1, 5)
    assert Referral.objects.count() == 5
    small = _measure(care, measured.pk)

    _grow(care, 5, 60)
    assert Referral.objects.count() == 60
    assert Enrolment.objects.filter(activity=care["activity"]).count() > 20
    large = _measure(care, measured.pk)

    assert large == small
    for page, queries in large.items():
        assert queries <= MAX_QUERIES[page], (page, queries)


def test_caseload_pages_stay_bounded_past_the_first_page(care, django_assert_max_num_queries):
    """The second page of a 60-referral territory (50 a page) costs no more than the first."""
    _grow(care, 0, 60)
    client = _signed_in(care["link_worker"])
    url = reverse("referrals:caseload")
    first = _count(client, url + "?view=all")
    with django_assert_max_num_queries(first):
        response = client.get(url + "?view=all&page=2")
    assert response.status_code == 200
    assert "Numero" in response.content.decode()
