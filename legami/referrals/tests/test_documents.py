"""Documents and data protection: the closing summary, the DPO's data-subject requests, and
the retention and chasing jobs (the evaluators' extract: test_research.py)."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from legami.core import pdf, roles
from legami.core.models import AuditEvent
from legami.referrals import services
from legami.referrals.models import (
    Beneficiary,
    CaseNote,
    Enrolment,
    Referral,
    ReferralEvent,
)

from .conftest import TAX_CODE, engage, person_data

NOTE = "Ha pianto parlando del marito."
WHAT_MATTERS = "Stare con altre persone."


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rendered(monkeypatch):
    """The HTML of every PDF drawn during the test (the PDF itself is still drawn)."""
    pages = []
    real = pdf.html_to_pdf

    def spy(html):
        pages.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", spy)
    return pages


def closed_with_activity(care):
    """The fixture's referral, sent to the walking group, one session attended out of two,
    a case note written, then closed by the link worker."""
    referral = engage(care)
    worker, provider = care["link_worker"], care["provider"]
    services.case_note_add(by=worker, referral=referral, text=NOTE)
    enrolment = services.enrolment_create(by=worker, referral=referral, activity=care["activity"])
    Enrolment.objects.filter(pk=enrolment.pk).update(sent_at=timezone.now() - timedelta(days=5))
    services.enrolment_respond(by=provider, enrolment=enrolment, accept=True)
    today = timezone.localdate()
    services.attendance_record(
        by=provider, enrolment=enrolment, session_date=today - timedelta(days=2), present=True
    )
    services.attendance_record(
        by=provider, enrolment=enrolment, session_date=today - timedelta(days=1), present=False
    )
    services.referral_transition(by=worker, referral=referral, to="closed", reason="Trasferita")
    referral.refresh_from_db()
    return referral


# --- closing summary ------------------------------------------------------------------------------
def test_closing_summary_for_the_referrer_holds_the_minimum(care, rendered):
    referral = closed_with_activity(care)
    response = signed_in(care["prescriber"]).get(
        reverse("referrals:summary_pdf", args=[referral.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"referral-{referral.pk}.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    (html,) = rendered
    assert "Camminata nei castagneti" in html
    assert "Trasferita" in html
    assert 'id="outcome-measures"' in html  # the person consented to outcome measurement
    for private in (NOTE, WHAT_MATTERS, "Caduta recente.", "Vive sola dopo la morte del marito."):
        assert private not in html
    assert AuditEvent.objects.filter(
        actor=care["prescriber"],
        action="export",
        object_type="referrals.referral",
        object_id=str(referral.pk),
        purpose="closing summary",
    ).exists()


def test_closing_summary_counts_sessions_and_link_worker_copy_has_the_plan(care, rendered):
    from legami.referrals import queries
    from legami.referrals.views.documents import summary_context

    referral = closed_with_activity(care)
    context = summary_context(
        queries.referral_detail(care["prescriber"], referral.pk), care["prescriber"]
    )
    assert context["for_link_worker"] is False and context["what_matters"] == ""
    assert [(a["name"], a["present"], a["recorded"]) for a in context["activities"]] == [
        ("Camminata nei castagneti", 1, 2)
    ]
    response = signed_in(care["link_worker"]).get(
        reverse("referrals:summary_pdf", args=[referral.pk])
    )
    assert response.status_code == 200
    assert WHAT_MATTERS in rendered[0]
    assert NOTE not in rendered[0] and "Caduta recente." not in rendered[0]


def test_closing_summary_leaves_out_outcomes_without_consent(care, rendered):
    referral = closed_with_activity(care)
    services.consent_withdraw(
        by=care["link_worker"], beneficiary=referral.beneficiary, purpose="outcomes"
    )
    response = signed_in(care["prescriber"]).get(
        reverse("referrals:summary_pdf", args=[referral.pk])
    )
    assert response.status_code == 200
    assert 'id="outcome-measures"' not in rendered[0]


def test_closing_summary_only_when_ended_and_in_scope(care, personas):
    referral = engage(care)
    url = reverse("referrals:summary_pdf", args=[referral.pk])
    assert signed_in(care["prescriber"]).get(url).status_code == 404  # still open
    assert signed_in(care["link_worker"]).get(url).status_code == 404
    services.referral_transition(
        by=care["link_worker"], referral=referral, to="declined", reason="Non interessata"
    )
    assert signed_in(care["outside_prescriber"]).get(url).status_code == 404
    assert signed_in(care["outside_worker"]).get(url).status_code == 404
    for role in (roles.PROVIDER, roles.DPO, roles.EVALUATOR, roles.TERRITORY_ADMIN, roles.CITIZEN):
        assert signed_in(personas[role]).get(url).status_code == 403, role
    assert (
        signed_in(care["prescriber"])
        .get(reverse("referrals:summary_pdf", args=[999999]))
        .status_code
        == 404
    )
    assert signed_in(care["prescriber"]).post(url).status_code == 405


# --- DPO: who may -------------------------------------------------------------------------------
def dpo_urls(pk):
    return [
        reverse("referrals:dpo"),
        reverse("referrals:dpo_person", args=[pk]),
        reverse("referrals:dpo_export_json", args=[pk]),
        reverse("referrals:dpo_export_pdf", args=[pk]),
        reverse("referrals:dpo_erase", args=[pk]),
    ]


def test_only_the_dpo_handles_subject_requests(care, personas):
    person = care["referral"].beneficiary
    for role in (
        roles.PRESCRIBER,
        roles.LINK_WORKER,
        roles.PROVIDER,
        roles.CITIZEN,
        roles.EVALUATOR,
        roles.TERRITORY_ADMIN,
    ):
        client = signed_in(personas[role])
        for url in dpo_urls(person.pk):
            assert client.get(url).status_code == 403, (role, url)
        assert client.post(reverse("referrals:dpo"), {"text": TAX_CODE}).status_code == 403
        assert (
            client.post(reverse("referrals:dpo_erase", args=[person.pk]), {"reason": "x"})
        ).status_code == 403
    anonymous = Client()
    for url in dpo_urls(person.pk):
        assert anonymous.get(url).status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Maria" and person.anonymised_at is None


def test_unknown_person_is_404(care):
    dpo = signed_in(care["dpo"])
    for url in dpo_urls(999999)[1:]:
        assert dpo.get(url).status_code == 404, url


# --- DPO: search and person page ---------------------------------------------------------------
@pytest.mark.parametrize("text", [TAX_CODE, TAX_CODE.lower(), "rossi maria", "ROSS"])
def test_dpo_finds_the_person_by_tax_code_or_name(care, text):
    person = care["referral"].beneficiary
    dpo = signed_in(care["dpo"])
    assert dpo.get(reverse("referrals:dpo")).status_code == 200
    response = dpo.post(reverse("referrals:dpo"), {"text": text})
    assert response.status_code == 200
    assert [p.pk for p in response.context["results"]] == [person.pk]
    assert reverse("referrals:dpo_person", args=[person.pk]) in response.content.decode()
    assert AuditEvent.objects.filter(
        actor=care["dpo"], action="list", object_type="referrals.beneficiary"
    ).exists()


@pytest.mark.parametrize("text", ["", "Bianchi", "RSSMRA50A41A326X"])
def test_dpo_search_without_match_finds_nobody(care, text):
    response = signed_in(care["dpo"]).post(reverse("referrals:dpo"), {"text": text})
    assert response.status_code == 200
    assert not response.context["results"]
    assert "Maria" not in response.content.decode()


def test_dpo_person_page_shows_record_consents_and_access_log(care, django_assert_max_num_queries):
    referral = engage(care)
    person = referral.beneficiary
    dpo = signed_in(care["dpo"])
    with django_assert_max_num_queries(20):
        response = dpo.get(reverse("referrals:dpo_person", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Maria Rossi" in page and "Arcidosso" in page
    assert [c.purpose for c in response.context["consents"]] == ["care", "contact", "outcomes"]
    assert [r.pk for r in response.context["referrals"]] == [referral.pk]
    assert care["link_worker"].email in page  # the link worker's accesses are listed
    assert response.context["access_log"]
    assert f"person={person.pk}" in response.context["audit_log_url"]
    for name in ("dpo_export_json", "dpo_export_pdf", "dpo_erase"):
        assert reverse(f"referrals:{name}", args=[person.pk]) in page
    assert AuditEvent.objects.filter(
        actor=care["dpo"],
        action="view",
        object_type="referrals.beneficiary",
        object_id=str(person.pk),
    ).exists()
    log = dpo.get(response.context["audit_log_url"])
    assert log.status_code == 200
    # Every row about the person, whatever was shown: the record, the referral, lists.
    shown = list(log.context["page_obj"])
    assert {e.object_type for e in shown} >= {"referrals.beneficiary", "referrals.referral"}
    assert all(e.person_id == person.pk for e in shown)


# --- DPO: export --------------------------------------------------------------------------------
def test_dpo_export_json_holds_everything(care):
    referral = closed_with_activity(care)
    person = referral.beneficiary
    response = signed_in(care["dpo"]).get(reverse("referrals:dpo_export_json", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["first_name"] == "Maria"
    assert data["person"]["codice_fiscale"] == TAX_CODE
    assert {c["purpose"] for c in data["consents"]} == {"care", "contact", "outcomes"}
    (exported,) = data["referrals"]
    assert exported["id"] == referral.pk
    assert [n["text"] for n in exported["notes"]] == [NOTE]
    assert exported["activities"][0]["activity"] == "Camminata nei castagneti"
    assert any(e["who"] == care["prescriber"].email for e in data["access_log"])
    assert AuditEvent.objects.filter(
        actor=care["dpo"], action="export", object_type="referrals.beneficiary"
    ).exists()


def test_dpo_export_pdf_is_readable(care, rendered):
    referral = closed_with_activity(care)
    response = signed_in(care["dpo"]).get(
        reverse("referrals:dpo_export_pdf", args=[referral.beneficiary.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (html,) = rendered
    for shown in (TAX_CODE, "Maria", NOTE, "Camminata nei castagneti", care["prescriber"].email):
        assert shown in html


# --- DPO: erasure -------------------------------------------------------------------------------
def test_erase_without_a_reason_changes_nothing(care):
    referral = engage(care)
    services.case_note_add(by=care["link_worker"], referral=referral, text=NOTE)
    person = referral.beneficiary
    dpo = signed_in(care["dpo"])
    url = reverse("referrals:dpo_erase", args=[person.pk])
    assert dpo.get(url).status_code == 200
    response = dpo.post(url, {"ground": "request", "reason": "   "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    person.refresh_from_db()
    referral.refresh_from_db()
    assert person.first_name == "Maria" and person.tax_code == TAX_CODE
    assert person.anonymised_at is None and referral.status == "assessed"
    assert CaseNote.objects.count() == 1
    assert not AuditEvent.objects.filter(action="erase").exists()


def test_erase_anonymises_and_the_person_is_no_longer_found(care):
    referral = engage(care)
    services.case_note_add(by=care["link_worker"], referral=referral, text=NOTE)
    person = referral.beneficiary
    dpo = signed_in(care["dpo"])
    response = dpo.post(
        reverse("referrals:dpo_erase", args=[person.pk]),
        {"ground": "request", "reason": "Richiesta prot. 123"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:dpo_person", args=[person.pk])
    person.refresh_from_db()
    referral.refresh_from_db()
    assert person.first_name == "—" and person.last_name == "—"
    assert person.tax_code == "" and person.tax_code_hash == "" and person.phone == ""
    assert person.anonymised_at is not None
    assert not CaseNote.objects.exists()
    assert referral.status == "closed" and referral.what_matters == "" and referral.risks == ""
    assert set(ReferralEvent.objects.filter(referral=referral).values_list("note", flat=True)) == {
        ""
    }
    erase = AuditEvent.objects.get(action="erase")
    assert erase.actor == care["dpo"] and erase.object_id == str(person.pk)
    assert "Richiesta prot. 123" in erase.purpose
    for text in (TAX_CODE, "Rossi"):
        found = dpo.post(reverse("referrals:dpo"), {"text": text})
        assert not found.context["results"]

    # Still reachable by id, saying it is anonymised; exports hold the anonymised data.
    page = dpo.get(reverse("referrals:dpo_person", args=[person.pk]))
    assert page.status_code == 200
    assert page.context["person"].anonymised_at is not None
    assert "Maria" not in page.content.decode() and TAX_CODE not in page.content.decode()
    data = json.loads(dpo.get(reverse("referrals:dpo_export_json", args=[person.pk])).content)
    assert data["person"]["first_name"] == "—" and data["person"]["codice_fiscale"] == ""
    assert data["referrals"][0]["notes"] == []

    # Erasing again says so and changes nothing.
    again = dpo.post(
        reverse("referrals:dpo_erase", args=[person.pk]), {"ground": "request", "reason": "prot. 9"}
    )
    assert again.status_code == 200
    assert [m.level_tag for m in get_messages(again.wsgi_request)] == ["error"]
    assert AuditEvent.objects.filter(action="erase").count() == 1


# --- scheduled jobs -----------------------------------------------------------------------------
def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_retention_command_anonymises_old_closed_cases_only(care):
    worker = care["link_worker"]
    old = engage(care)
    services.referral_transition(by=worker, referral=old, to="declined", reason="Non interessata")
    recent = services.referral_create(
        by=care["prescriber"],
        person=person_data(
            care["arcidosso"], first_name="Anna", last_name="Bianchi", tax_code="", phone="1"
        ),
        consents=["care"],
    )
    recent = engage(care, recent)
    services.referral_transition(by=worker, referral=recent, to="closed", reason="Trasferita")
    Referral.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=6 * 365))

    assert (
        run("referrals_retention", "--dry-run") == "would anonymise: 1 (dry run, nothing changed)"
    )
    assert not Beneficiary.objects.filter(anonymised_at__isnull=False).exists()

    assert run("referrals_retention") == "anonymised: 1"
    old_person = Beneficiary.objects.get(pk=old.beneficiary_id)
    recent_person = Beneficiary.objects.get(pk=recent.beneficiary_id)
    assert old_person.anonymised_at is not None and old_person.first_name == "—"
    assert recent_person.anonymised_at is None and recent_person.first_name == "Anna"
    assert AuditEvent.objects.filter(action="erase", object_id=str(old_person.pk)).count() == 1

    assert run("referrals_retention") == "anonymised: 0"  # twice: nothing more
    assert AuditEvent.objects.filter(action="erase").count() == 1
    assert run("referrals_retention", "--days", "400", "--dry-run").startswith("would anonymise: 0")


def test_retention_command_refuses_a_too_short_period(care):
    old = engage(care)
    services.referral_transition(
        by=care["link_worker"], referral=old, to="declined", reason="Non interessata"
    )
    with pytest.raises(CommandError):
        run("referrals_retention", "--days", "10")
    assert not Beneficiary.objects.filter(anonymised_at__isnull=False).exists()


def test_the_dry_run_counts_and_refuses_as_the_real_run_does(care, settings):
    old = engage(care)
    services.referral_transition(
        by=care["link_worker"], referral=old, to="declined", reason="Non interessata"
    )
    Referral.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=100))
    settings.REFERRALS_RETENTION_DAYS = 90
    with pytest.raises(CommandError, match="at least 30 days"):
        run("referrals_retention", "--days", "10", "--dry-run")
    assert run("referrals_retention", "--dry-run").startswith("would anonymise: 1")
    assert run("referrals_retention") == "anonymised: 1"
    with pytest.raises(ValidationError):
        services.retention_run(older_than_days=29)


def test_retention_days_default_comes_from_settings(care, settings):
    old = engage(care)
    services.referral_transition(
        by=care["link_worker"], referral=old, to="declined", reason="Non interessata"
    )
    Referral.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=100))
    assert run("referrals_retention") == "anonymised: 0"  # five years by default
    settings.REFERRALS_RETENTION_DAYS = 90
    assert run("referrals_retention") == "anonymised: 1"


def test_chase_command_reminds_then_returns_once(care):
    worker = care["link_worker"]
    first = engage(care)
    second = engage(
        care,
        services.referral_create(
            by=care["prescriber"],
            person=person_data(
                care["arcidosso"], first_name="Anna", last_name="Bianchi", tax_code="", phone="1"
            ),
            consents=["care"],
        ),
    )
    late = services.enrolment_create(by=worker, referral=first, activity=care["activity"])
    waiting = services.enrolment_create(by=worker, referral=second, activity=care["activity"])
    now = timezone.now()
    Enrolment.objects.filter(pk=late.pk).update(sent_at=now - timedelta(days=8))
    Enrolment.objects.filter(pk=waiting.pk).update(sent_at=now - timedelta(days=4))

    assert run("chase_referrals") == "reminded 1, returned 1"
    late.refresh_from_db()
    waiting.refresh_from_db()
    assert late.status == "returned"
    assert waiting.status == "pending" and waiting.reminded_at is not None
    assert run("chase_referrals") == "reminded 0, returned 0"


def test_dpo_export_pdf_reads_in_italian_with_every_module_s_part(care):
    """The art. 15 answer is for the person: dates in words and local time, codes in words, and
    the parts other modules hold (questionnaires) printed with their own headings. Read back
    from the PDF itself with pypdf."""
    from pypdf import PdfReader

    from legami.outcomes import services as outcomes
    from legami.outcomes.models import Instrument

    referral = closed_with_activity(care)
    outcomes.response_record(
        by=None,
        instrument=Instrument.objects.get(code="who5"),
        beneficiary=referral.beneficiary,
        timepoint="baseline",
        administered_on=timezone.localdate() - timedelta(days=3),
        answers={1: 3, 2: 3, 3: 2, 4: 4, 5: 1},
    )
    client = Client(headers={"accept-language": "it"})
    client.force_login(care["dpo"])
    response = client.get(reverse("referrals:dpo_export_pdf", args=[referral.beneficiary.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reader.trailer["/Root"]["/Lang"] == "it"
    assert "Dati personali" in text  # the title, in Italian
    assert "Coordinamento" in text or "coordinamento" in text  # the care consent, in words
    assert "Chiuso" in text or "chiuso" in text  # the referral's status, in words
    assert "Questionari" in text  # the outcomes module's part, with its heading
    assert "who5" in text.lower()
    # no machine timestamps (2026-12-06T10:30:00+00:00) left for the person to decode
    assert "T0" not in text and "+00:00" not in text
    today = timezone.localdate()
    months = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
              "settembre", "ottobre", "novembre", "dicembre"]
    assert months[today.month - 1] in text
