"""The social-prescribing REST API: the same services, rules and scopes as the pages, the
minimum data for each role, and the codice fiscale never in an answer."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from legami.core.models import AuditEvent
from legami.directory.models import Activity
from legami.referrals import services
from legami.referrals.models import Beneficiary, CaseNote, Enrolment, Referral

from .conftest import TAX_CODE, engage, person_data

REFERRALS = "/api/v1/referrals/referrals/"
ENROLMENTS = "/api/v1/referrals/enrolments/"
OTHER_TAX_CODE = "BNCLRA60C45A326U"  # valid, born 1960-03-05


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def no_tax_code(response, *codes):
    for code in (TAX_CODE, OTHER_TAX_CODE, *codes):
        assert code.encode() not in response.content
    return response


def payload(care, **overrides):
    data = {
        "person": {
            "first_name": "Laura",
            "last_name": "Bianchi",
            "birth_date": "1960-03-05",
            "tax_code": OTHER_TAX_CODE,
            "comune": "053001",
            "phone": "0564 111111",
        },
        "consents": ["care", "contact"],
        "reasons": [care["loneliness"].pk],
        "reason_text": "Isolata in casa.",
        "urgency": "soon",
        "risks": "",
    }
    data.update(overrides)
    return data


def keys_of(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from keys_of(value)
    elif isinstance(node, list):
        for value in node:
            yield from keys_of(value)


# --- the prescriber ---------------------------------------------------------------------------


def test_prescriber_refers_through_the_api(care):
    client = signed_in(care["prescriber"])
    response = no_tax_code(post(client, REFERRALS, payload(care)))
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get(pk=body["id"])
    assert referral.beneficiary.tax_code == OTHER_TAX_CODE
    assert referral.referring_organisation == care["comune_org"]
    assert body["status"] == "received" and body["urgency"] == "soon"
    assert body["person"]["last_name"] == "Bianchi" and body["person"]["comune"] == "053001"
    assert "tax_code" not in body["person"]
    assert body["needs"] == [{"id": care["loneliness"].pk, "label": care["loneliness"].label}]
    assert body["referring_organisation"]["name"] == "Comune di Arcidosso"
    assert [e["to_status"] for e in body["timeline"]] == ["received"]
    # What they wrote they read back; the conversation is the link worker's.
    assert body["reason_text"] == "Isolata in casa." and body["what_matters"] is None
    assert set(referral.beneficiary.consents.values_list("purpose", flat=True)) == {
        "care",
        "contact",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person": {"tax_code": "RSSMRA50A41A326X"}}, ("person", "tax_code")),
        ({"person": {"tax_code": "", "birth_date": "2999-01-01"}}, ("person", "birth_date")),
        ({"consents": ["contact", "outcomes"]}, ("consents",)),
        ({"reasons": [987654]}, ("reasons",)),
        ({"person": {"comune": "Atlantide"}}, ("person", "comune")),
        ({"urgency": "yesterday"}, ("urgency",)),
    ],
    ids=["tax-code", "future-birth", "no-care-consent", "unknown-need", "comune", "urgency"],
)
def test_bad_referral_is_a_400_naming_the_field_and_saves_nothing(care, change, field):
    data = payload(care)
    for key, value in change.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    before = (Referral.objects.count(), Beneficiary.objects.count(), AuditEvent.objects.count())
    response = no_tax_code(post(signed_in(care["prescriber"]), REFERRALS, data))
    assert response.status_code == 400, response.content
    errors = response.json()
    for key in field:
        errors = errors[key]
    assert errors and all(isinstance(message, str) and message for message in errors)
    after = (Referral.objects.count(), Beneficiary.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_service_messages_are_the_services_own(care):
    data = payload(care, consents=["contact"])
    response = post(signed_in(care["prescriber"]), REFERRALS, data)
    assert "care coordination" in response.json()["consents"][0]


def test_prescriber_reads_their_organisations_referrals_and_each_read_is_logged(care):
    client = signed_in(care["prescriber"])
    referral = care["referral"]
    listed = no_tax_code(client.get(REFERRALS))
    assert [r["id"] for r in listed.json()["results"]] == [referral.pk]
    assert AuditEvent.objects.filter(
        action="list", object_type="referrals.referral", actor=care["prescriber"]
    ).exists()
    detail = no_tax_code(client.get(f"{REFERRALS}{referral.pk}/"))
    assert detail.status_code == 200
    assert detail.json()["risks"] == "Caduta recente."
    assert AuditEvent.objects.filter(
        action="view", object_type="referrals.referral", object_id=str(referral.pk)
    ).exists()


def test_prescriber_of_another_organisation_gets_404(care):
    client = signed_in(care["outside_prescriber"])
    assert client.get(f"{REFERRALS}{care['referral'].pk}/").status_code == 404
    assert client.get(REFERRALS).json()["results"] == []


def test_prescriber_cannot_work_the_case(care):
    client = signed_in(care["prescriber"])
    url = f"{REFERRALS}{care['referral'].pk}/transition/"
    assert post(client, url, {"to": "contacted"}).status_code == 403
    assert Referral.objects.get(pk=care["referral"].pk).status == "received"


# --- roles without referrals ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["provider", "evaluator", "territory_admin", "dpo"])
def test_other_roles_get_403(care, client_for, role):
    client = client_for(role)
    assert client.get(REFERRALS).status_code == 403
    assert client.get(f"{REFERRALS}{care['referral'].pk}/").status_code == 403
    assert post(client, REFERRALS, payload(care)).status_code == 403
    assert not Beneficiary.objects.filter(last_name="Bianchi").exists()


def test_anonymous_is_refused(care, client):
    for response in (
        client.get(REFERRALS),
        client.get(f"{REFERRALS}{care['referral'].pk}/"),
        client.get(ENROLMENTS),
        post(client, REFERRALS, payload(care)),
    ):
        assert response.status_code in (401, 403)
    assert Referral.objects.count() == 1


def test_citizen_reads_only_their_own_without_case_texts(care, client_for):
    client = client_for("citizen")
    assert client.get(REFERRALS).json()["results"] == []
    Beneficiary.objects.filter(pk=care["referral"].beneficiary_id).update(user=care["citizen"])
    rows = no_tax_code(client.get(REFERRALS)).json()["results"]
    assert [r["id"] for r in rows] == [care["referral"].pk]
    assert rows[0]["reason_text"] is None and rows[0]["risks"] is None
    assert post(client, REFERRALS, payload(care)).status_code == 403


# --- the link worker --------------------------------------------------------------------------


def test_link_worker_takes_a_referral_through_its_lifecycle(care):
    worker = care["link_worker"]
    client = signed_in(worker)
    referral = care["referral"]
    waiting = client.get(REFERRALS, {"view": "unassigned"}).json()["results"]
    assert [r["id"] for r in waiting] == [referral.pk]
    assert waiting[0]["is_overdue"] is False
    response = post(
        client, f"{REFERRALS}assign/", {"referrals": [referral.pk], "link_worker": worker.pk}
    )
    assert response.status_code == 200 and response.json() == {"assigned": 1}
    url = f"{REFERRALS}{referral.pk}/transition/"
    assert post(client, url, {"to": "contacted"}).status_code == 200
    response = no_tax_code(
        post(client, url, {"to": "assessed", "what_matters": "Stare con altre persone."})
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "assessed" and body["link_worker"] == worker.pk
    assert body["what_matters"] == "Stare con altre persone."
    assert body["reason_text"] == "Vive sola dopo la morte del marito."
    assert [e["to_status"] for e in body["timeline"]][-2:] == ["contacted", "assessed"]
    mine = client.get(REFERRALS).json()["results"]
    assert [r["id"] for r in mine] == [referral.pk]


def test_forbidden_transition_is_a_409_and_changes_nothing(care):
    """A step the lifecycle does not allow from where the case is now is a conflict with its
    state (409, saying why), not a wrong field; a missing reason is a wrong field (400)."""
    referral = engage(care)
    client = signed_in(care["link_worker"])
    events = referral.events.count()
    response = post(client, f"{REFERRALS}{referral.pk}/transition/", {"to": "completed"})
    assert response.status_code == 409
    assert "cannot become" in response.json()["detail"]
    response = post(client, f"{REFERRALS}{referral.pk}/transition/", {"to": "closed"})
    assert response.status_code == 400 and "reason" in response.json()
    referral.refresh_from_db()
    assert referral.status == "assessed" and referral.events.count() == events


def test_tampered_ids_are_404(care):
    referral = engage(care)
    outside = signed_in(care["outside_worker"])
    assert outside.get(f"{REFERRALS}{referral.pk}/").status_code == 404
    for path in ("transition/", "notes/", "enrolments/", "consents/"):
        response = post(outside, f"{REFERRALS}{referral.pk}/{path}", {"to": "closed"})
        assert response.status_code == 404, path
    assert outside.get(f"{REFERRALS}{referral.pk}/suggestions/").status_code == 404
    worker = signed_in(care["link_worker"])
    assert worker.get(f"{REFERRALS}987654/").status_code == 404
    response = post(
        outside,
        f"{REFERRALS}assign/",
        {"referrals": [referral.pk], "link_worker": care["outside_worker"].pk},
    )
    assert response.status_code == 400 and "referrals" in response.json()
    referral.refresh_from_db()
    assert referral.status == "assessed" and referral.link_worker == care["link_worker"]


def test_suggestions_explain_themselves(care):
    referral = engage(care)
    response = no_tax_code(
        signed_in(care["link_worker"]).get(f"{REFERRALS}{referral.pk}/suggestions/")
    )
    assert response.status_code == 200
    suggestions = response.json()
    walk = next(s for s in suggestions if s["activity"] == care["activity"].pk)
    assert walk["name"] == "Camminata nei castagneti" and walk["places_left"] == 12
    assert walk["distance_km"] < 5
    texts = [r["text"] for r in walk["reasons"]]
    assert any(care["loneliness"].label.lower() in text for text in texts)
    assert all(isinstance(r["good"], bool) for r in walk["reasons"])


def test_enrolling_in_a_full_activity_is_a_400(care):
    first = engage(care)
    second = services.referral_create(
        by=care["prescriber"],
        person=person_data(care["arcidosso"], first_name="Anna", tax_code="", birth_date=None),
        consents=["care"],
        reasons=[care["loneliness"]],
    )
    second = engage(care, second)
    Activity.objects.filter(pk=care["activity"].pk).update(referral_slots=1)
    client = signed_in(care["link_worker"])
    response = post(client, f"{REFERRALS}{first.pk}/enrolments/", {"activity": care["activity"].pk})
    assert response.status_code == 201, response.content
    assert response.json()["activity"]["name"] == "Camminata nei castagneti"
    response = post(
        client, f"{REFERRALS}{second.pk}/enrolments/", {"activity": care["activity"].pk}
    )
    assert response.status_code == 400
    assert "no places left" in response.json()["activity"][0]
    assert not Enrolment.objects.filter(referral=second).exists()


def test_notes_and_consents_through_the_api(care):
    referral = engage(care)
    client = signed_in(care["link_worker"])
    response = post(client, f"{REFERRALS}{referral.pk}/notes/", {"text": "Telefonata cordiale."})
    assert response.status_code == 201 and response.json()["text"] == "Telefonata cordiale."
    assert post(client, f"{REFERRALS}{referral.pk}/notes/", {"text": "  "}).status_code == 400
    assert CaseNote.objects.filter(referral=referral).count() == 1
    url = f"{REFERRALS}{referral.pk}/consents/"
    response = post(client, url, {"purpose": "research", "action": "give"})
    assert response.status_code == 200
    assert response.json()["active"] == ["care", "contact", "outcomes", "research"]
    response = post(client, url, {"purpose": "contact", "action": "withdraw"})
    assert response.json()["active"] == ["care", "outcomes", "research"]
    again = post(client, url, {"purpose": "contact", "action": "withdraw"})
    assert again.status_code == 400 and "purpose" in again.json()


def test_assignment_through_the_api_follows_the_service(care):
    """The API refuses what the page refuses, with the service's words."""
    worker = care["link_worker"]
    client = signed_in(worker)
    url = f"{REFERRALS}assign/"
    response = post(
        client, url, {"referrals": [care["referral"].pk, 987654], "link_worker": worker.pk}
    )
    assert response.status_code == 400
    assert response.json()["referrals"] == [
        "1 of the selected referrals is not in your territory: nothing was assigned."
    ]
    worker.is_active = False
    worker.save()
    other = signed_in(care["outside_worker"])
    response = post(other, url, {"referrals": [], "link_worker": worker.pk})
    assert response.status_code == 400 and "referrals" in response.json()
    assert Referral.objects.get().link_worker is None


def test_consents_through_the_api_use_the_pages_form(care):
    referral = engage(care)
    client = signed_in(care["link_worker"])
    url = f"{REFERRALS}{referral.pk}/consents/"
    response = post(client, url, {"purpose": "contact"})
    assert response.status_code == 400
    assert response.json() == {"action": ["Choose whether to give or withdraw the consent."]}
    response = post(client, url, {"purpose": "bogus", "action": "give"})
    assert response.status_code == 400 and "purpose" in response.json()
    assert post(client, url, {"purpose": "research", "action": "give"}).status_code == 200


# --- the provider -----------------------------------------------------------------------------


def _enrolled(care):
    referral = engage(care)
    return services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=care["activity"]
    )


def test_provider_inbox_shows_the_minimum(care, client_for):
    enrolment = _enrolled(care)
    client = client_for("provider")
    response = no_tax_code(client.get(ENROLMENTS))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [enrolment.pk]
    person = rows[0]["person"]
    assert person == {
        "first_name": "Maria",
        "access_needs": "",
        "needs_step_free": False,
        "phone": "0564 000000",
        "email": "",
    }
    keys = set(keys_of(response.json()))
    assert not keys & {"last_name", "tax_code", "reason_text", "risks", "what_matters", "goals"}
    for text in (b"Rossi", b"Vive sola", b"Caduta"):
        assert text not in response.content
    assert AuditEvent.objects.filter(action="list", object_type="referrals.enrolment").exists()
    services.consent_withdraw(
        by=care["link_worker"], beneficiary=enrolment.referral.beneficiary, purpose="contact"
    )
    person = client.get(ENROLMENTS).json()["results"][0]["person"]
    assert person["phone"] is None and person["email"] is None
    assert client.get(f"{ENROLMENTS}{enrolment.pk}/").json()["person"]["phone"] is None


def test_provider_answers_and_keeps_the_register(care, client_for):
    enrolment = _enrolled(care)
    client = client_for("provider")
    url = f"{ENROLMENTS}{enrolment.pk}/"
    response = post(client, f"{url}respond/", {"accept": False})
    assert response.status_code == 400 and "reason" in response.json()
    response = post(client, f"{url}respond/", {"accept": True})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    again = post(client, f"{url}respond/", {"accept": True})
    assert again.status_code == 409  # answered already: the state, not the request, refuses
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = post(client, f"{url}attendance/", {"session_date": future, "present": True})
    assert response.status_code == 400 and "session_date" in response.json()
    today = timezone.localdate().isoformat()
    response = post(client, f"{url}attendance/", {"session_date": today, "present": True})
    assert response.status_code == 201, response.content
    assert enrolment.attendance.get().session_date == date.fromisoformat(today)


def test_provider_scope_and_other_roles(care, client_for):
    enrolment = _enrolled(care)
    Enrolment.objects.filter(pk=enrolment.pk).update(activity=care["outside_activity"])
    provider = client_for("provider")
    assert provider.get(ENROLMENTS).json()["results"] == []
    assert provider.get(f"{ENROLMENTS}{enrolment.pk}/").status_code == 404
    response = post(provider, f"{ENROLMENTS}{enrolment.pk}/respond/", {"accept": True})
    assert response.status_code == 404
    for role in ("link_worker", "prescriber", "citizen", "evaluator"):
        assert client_for(role).get(ENROLMENTS).status_code == 403, role
    assert Enrolment.objects.get(pk=enrolment.pk).status == "pending"


# --- query counts do not grow with the data ---------------------------------------------------


def _more_referrals(care, count):
    Activity.objects.filter(pk=care["activity"].pk).update(capacity=None, referral_slots=None)
    for n in range(count):
        referral = services.referral_create(
            by=care["prescriber"],
            person=person_data(
                care["arcidosso"], first_name=f"Persona{n}", tax_code="", birth_date=None
            ),
            consents=["care", "contact"],
            reasons=[care["loneliness"]],
        )
        engage(care, referral)
        services.enrolment_create(
            by=care["link_worker"], referral=referral, activity=care["activity"]
        )


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("prescriber", REFERRALS),
        ("link_worker", f"{REFERRALS}?view=all"),
        ("provider", ENROLMENTS),
    ],
)
def test_list_query_counts_are_bounded(care, who, url, django_assert_max_num_queries):
    _more_referrals(care, 1)
    client = signed_in(care[who])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _more_referrals(care, 29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = no_tax_code(client.get(url))
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 30
