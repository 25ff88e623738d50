"""Every read that shows a person's data says whom it showed: a page of a list writes one row
per person on it, in one insert, and the person sees it under "who saw my data"."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legami.core.models import AuditEvent
from legami.referrals import services
from legami.referrals.models import Beneficiary, Enrolment

from .conftest import engage, person_data

REFERRALS_API = "/api/v1/referrals/referrals/"
ENROLMENTS_API = "/api/v1/referrals/enrolments/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def referred(care, count, *, assign=True):
    """`count` people referred with names, phones, reasons and risks; the link worker's."""
    referrals = [
        services.referral_create(
            by=care["prescriber"],
            person=person_data(
                care["arcidosso"],
                first_name=f"Nome{n}",
                last_name=f"Cognome{n}",
                tax_code="",
                phone=f"333 {n:04d}",
            ),
            consents=["care", "contact", "outcomes"],
            reasons=[care["loneliness"]],
            reason_text=f"Motivo {n}",
            risks=f"Rischio {n}",
        )
        for n in range(count)
    ]
    if assign:
        worker = care["link_worker"]
        services.referral_assign(by=worker, referrals=referrals, link_worker=worker)
    return referrals


def read(client, url, **params):
    """GET `url`; returns the response and how many INSERTs the access log received."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    inserts = [q for q in queries.captured_queries if "INSERT INTO" in q["sql"].upper()]
    logged = [q for q in inserts if "core_auditevent" in q["sql"]]
    assert response.status_code == 200, response.content[:500]
    return response, len(logged)


def shown(user, purpose) -> set[tuple[str, str, int | None]]:
    return set(
        AuditEvent.objects.filter(actor=user, purpose=purpose).values_list(
            "object_type", "object_id", "person_id"
        )
    )


def as_rows(objects, object_type) -> set[tuple[str, str, int]]:
    def person(obj):
        return (
            obj.pk
            if object_type == "referrals.beneficiary"
            else (
                obj.beneficiary_id
                if hasattr(obj, "beneficiary_id")
                else obj.referral.beneficiary_id
            )
        )

    return {(object_type, str(obj.pk), person(obj)) for obj in objects}


def test_the_link_workers_api_list_of_27_names_each_person(care):
    referrals = referred(care, 27)
    worker = care["link_worker"]
    response, inserts = read(signed_in(worker), REFERRALS_API)
    assert len(response.json()["results"]) == 27
    assert inserts == 1
    assert shown(worker, "API") == as_rows(referrals, "referrals.referral")
    # Each row says which person it is about, and never their name.
    names = {f"Nome{n}" for n in range(27)} | {f"Cognome{n}" for n in range(27)}
    for event in AuditEvent.objects.filter(actor=worker, purpose="API"):
        assert not any(name in event.object_repr for name in names)
        assert event.object_repr == f"referral #{event.object_id}"


def test_the_caseload_page_names_each_person_on_the_page(care):
    referrals = [care["referral"], *referred(care, 8)]
    worker = care["link_worker"]
    _response, inserts = read(signed_in(worker), reverse("referrals:caseload"), view="all")
    assert inserts == 1
    assert shown(worker, "caseload") == as_rows(referrals, "referrals.referral")


def test_the_prescribers_list_names_each_person(care):
    referrals = [care["referral"], *referred(care, 5, assign=False)]
    prescriber = care["prescriber"]
    _response, inserts = read(signed_in(prescriber), reverse("referrals:list"))
    assert inserts == 1
    assert shown(prescriber, "referrals made") == as_rows(referrals, "referrals.referral")
    _response, inserts = read(signed_in(prescriber), REFERRALS_API)
    assert inserts == 1
    assert shown(prescriber, "API") == as_rows(referrals, "referrals.referral")


@pytest.fixture
def sent_to_the_provider(care):
    enrolments = []
    for referral in referred(care, 4):
        engage(care, referral)
        enrolments.append(
            services.enrolment_create(
                by=care["link_worker"], referral=referral, activity=care["activity"]
            )
        )
    return enrolments


def test_the_provider_inbox_page_and_api_name_each_person(care, sent_to_the_provider):
    provider = care["provider"]
    client = signed_in(provider)
    _response, inserts = read(client, reverse("referrals:inbox"))
    assert inserts == 1
    expected = as_rows(
        Enrolment.objects.select_related("referral").filter(
            pk__in=[e.pk for e in sent_to_the_provider]
        ),
        "referrals.enrolment",
    )
    assert shown(provider, "provider inbox") == expected
    response, inserts = read(client, ENROLMENTS_API)
    assert inserts == 1 and len(response.json()["results"]) == 4
    assert shown(provider, "API") == expected


def test_the_dpo_search_names_each_person_found(care):
    referrals = referred(care, 3, assign=False)
    dpo = care["dpo"]
    with CaptureQueriesContext(connection) as queries:
        response = signed_in(dpo).post(reverse("referrals:dpo"), {"text": "Cognome"})
    assert response.status_code == 200 and len(response.context["results"]) == 3
    assert sum("core_auditevent" in q["sql"] for q in queries.captured_queries) == 1
    people = Beneficiary.objects.filter(pk__in=[r.beneficiary_id for r in referrals])
    assert shown(dpo, "data-subject request: search") == as_rows(people, "referrals.beneficiary")


def test_the_back_office_list_names_each_person_in_one_insert(care, sent_to_the_provider):
    superuser = care["dpo"].__class__.objects.get(is_superuser=True)
    client = signed_in(superuser)
    _response, inserts = read(client, "/admin/referrals/enrolment/")
    assert inserts == 1
    expected = as_rows(Enrolment.objects.select_related("referral").all(), "referrals.enrolment")
    assert shown(superuser, "back office") == expected


def test_the_citizen_sees_who_listed_them(care):
    (referral,) = referred(care, 1)
    # The account is linked by staff (as the identity rules require), not by the test's form.
    Beneficiary.objects.filter(pk=referral.beneficiary_id).update(user=care["citizen"])
    read(signed_in(care["link_worker"]), reverse("referrals:caseload"))
    read(signed_in(care["provider"]), reverse("referrals:inbox"))  # not sent there: no row

    page = signed_in(care["citizen"]).get(reverse("referrals:my_data"))

    rows = list(page.context["page_obj"])
    caseload = [e for e in rows if e.purpose == "caseload"]
    assert len(caseload) == 1
    assert caseload[0].actor == care["link_worker"] and caseload[0].action == "list"
    assert not [e for e in rows if e.purpose == "provider inbox"]
    body = page.content.decode()
    assert "caseload" in body and "link worker" in body
    assert care["link_worker"].email not in body
    # Only this person's rows: the other people of the caseload are not theirs.
    assert {e.person_id for e in rows} == {referral.beneficiary_id}


def test_who_saw_my_data_is_one_indexed_lookup(care):
    (referral,) = referred(care, 1)
    person = referral.beneficiary
    with CaptureQueriesContext(connection) as queries:
        list(services.access_log_rows(person))
    (query,) = queries.captured_queries
    assert "person_id" in query["sql"] and " OR " not in query["sql"].upper()
