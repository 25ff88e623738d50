"""Giving questionnaires: the worker's form, the single-use link on the person's phone (saved
half-way, sent once, expired, consent withdrawn), pairing with the baseline, reminders."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from legami.core.models import Notification
from legami.outcomes import services
from legami.outcomes.models import Instrument, Response, SelfCompletionLink
from legami.outcomes.services import links as services_links
from legami.referrals.services import consent_withdraw

from .test_responses import record

pytestmark = pytest.mark.django_db

WHO5 = {f"item_{n}": "3" for n in range(1, 6)}


def _signed_in(client, care):
    client.force_login(care["link_worker"])
    return client


def _link(care, timepoint="baseline"):
    return services_links.link_create(
        by=care["link_worker"],
        instrument=Instrument.objects.get(code="who5"),
        beneficiary=care["referral"].beneficiary,
        referral=care["referral"],
        timepoint=timepoint,
    )


# --- the worker's form -----------------------------------------------------------------------
def test_worker_records_a_questionnaire_through_the_form(client, care):
    url = reverse("outcomes:record", args=[care["referral"].pk])
    who5 = Instrument.objects.get(code="who5")
    page = _signed_in(client, care).get(url, {"instrument": who5.pk, "timepoint": "baseline"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "over the last two weeks" in body
    assert "5 · All of the time" in body and "0 · At no time" in body
    response = client.post(
        url + f"?instrument={who5.pk}",
        {
            "instrument": who5.pk,
            "timepoint": "baseline",
            "administered_on": timezone.localdate().isoformat(),
            **WHO5,
        },
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert (saved.score, saved.mode, saved.entered_by) == (60, "worker", care["link_worker"])
    person_page = client.get(reverse("outcomes:person", args=[care["referral"].pk]))
    assert "60" in person_page.content.decode()


def test_out_of_range_answer_in_the_form_is_named_and_nothing_saved(client, care):
    who5 = Instrument.objects.get(code="who5")
    url = reverse("outcomes:record", args=[care["referral"].pk]) + f"?instrument={who5.pk}"
    page = _signed_in(client, care).post(
        url,
        {
            "instrument": who5.pk,
            "timepoint": "baseline",
            "administered_on": timezone.localdate().isoformat(),
            **WHO5,
            "item_2": "9",
        },
    )
    assert page.status_code == 200
    assert "Item 2: choose one of the answers shown." in page.content.decode()
    assert not Response.objects.exists()


def test_follow_up_before_baseline_is_refused_with_a_message(client, care):
    who5 = Instrument.objects.get(code="who5")
    url = reverse("outcomes:record", args=[care["referral"].pk]) + f"?instrument={who5.pk}"
    page = _signed_in(client, care).post(
        url,
        {
            "instrument": who5.pk,
            "timepoint": "follow_up_3m",
            "administered_on": timezone.localdate().isoformat(),
            **WHO5,
        },
    )
    assert "cannot come before its baseline" in page.content.decode()
    assert not Response.objects.exists()


def test_follow_up_is_paired_with_the_baseline_and_its_activity(care):
    baseline = record(care, answers=dict.fromkeys(range(1, 6), 2))  # 40
    follow_up = record(
        care,
        timepoint="follow_up_3m",
        administered_on=timezone.localdate(),
        answers=dict.fromkeys(range(1, 6), 4),  # 80
    )
    assert follow_up.baseline == baseline
    assert follow_up.change == 40


def test_the_same_timepoint_twice_is_refused(care):
    record(care)
    with pytest.raises(Exception, match="already been completed at this timepoint"):
        record(care)
    assert Response.objects.count() == 1


# --- the person's phone --------------------------------------------------------------------
def test_link_saves_half_way_then_sends_once(client, care):
    link, token = _link(care)
    assert SelfCompletionLink.objects.get().token_hash != token  # only a hash is stored
    url = reverse("outcomes_public:answer", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"  # the token never leaves the site

    client.post(url, {"item_1": "4", "item_2": "5", "save": "1"})
    link.refresh_from_db()
    assert services_links.draft_answers(link) == {"1": 4, "2": 5}
    assert set(link.draft) == {"sealed"}  # stored encrypted, as the answers will be
    assert not Response.objects.exists()
    again = client.get(url).content.decode()
    assert 'value="4" id="id_item_1_4" checked' in again  # found again where it was left
    assert 'value="5" id="id_item_2_5" checked' in again

    done = client.post(url, {**WHO5, "item_1": "4", "send": "1"})
    assert done.status_code == 302
    response = Response.objects.get()
    assert (response.mode, response.raw_score, response.entered_by) == ("self", 16, None)
    link.refresh_from_db()
    assert link.used_at is not None and link.response == response and link.draft == {}

    reused = client.post(url, {**WHO5, "send": "1"})
    assert reused.status_code == 410
    assert "already been sent" in reused.content.decode()
    assert Response.objects.count() == 1


def test_expired_link_says_so_and_saves_nothing(client, care):
    link, token = _link(care)
    SelfCompletionLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.post(reverse("outcomes_public:answer", args=[token]), {**WHO5, "send": "1"})
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert not Response.objects.exists()


def test_unknown_or_truncated_link_is_refused(client, care):
    _, token = _link(care)
    page = client.get(reverse("outcomes_public:answer", args=[token[:-3]]))
    assert page.status_code == 410
    assert "does not exist" in page.content.decode()


def test_link_stops_when_consent_is_withdrawn(client, care):
    _, token = _link(care)
    consent_withdraw(
        by=care["link_worker"], beneficiary=care["referral"].beneficiary, purpose="outcomes"
    )
    page = client.post(reverse("outcomes_public:answer", args=[token]), {**WHO5, "send": "1"})
    assert "withdrawn" in page.content.decode()
    assert not Response.objects.exists()


def test_link_with_an_out_of_range_answer_saves_nothing(care):
    _, token = _link(care)
    with pytest.raises(Exception, match="between 0 and 5"):
        services_links.link_submit(token, {1: 6, 2: 3, 3: 3, 4: 3, 5: 3})
    with pytest.raises(Exception, match="between 0 and 5"):
        services_links.link_save_draft(token, {1: -1})
    assert not Response.objects.exists()
    assert SelfCompletionLink.objects.get().draft == {}


def test_worker_creates_a_link_with_a_qr_code(client, care):
    who5 = Instrument.objects.get(code="who5")
    page = _signed_in(client, care).post(
        reverse("outcomes:link_create", args=[care["referral"].pk]),
        {"instrument": who5.pk, "timepoint": "baseline"},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "/q/" in body
    assert SelfCompletionLink.objects.count() == 1


def test_licensed_wording_not_loaded_blocks_a_link(care):
    with pytest.raises(Exception, match="has not been loaded"):
        services_links.link_create(
            by=care["link_worker"],
            instrument=Instrument.objects.get(code="swemwbs"),
            beneficiary=care["referral"].beneficiary,
            timepoint="baseline",
        )
    assert not SelfCompletionLink.objects.exists()


# --- reminders -----------------------------------------------------------------------------
def test_reminders_announce_a_due_follow_up_once(care):
    from legami.referrals import services as referral_services

    worker = care["link_worker"]
    referral_services.referral_assign(by=worker, referrals=[care["referral"]], link_worker=worker)
    record(care, administered_on=timezone.localdate() - timedelta(days=95))
    call_command("outcomes_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    notes = Notification.objects.filter(user=worker, url__startswith="/impatto/")
    assert notes.count() == 1
    assert "rilevazione a 3 mesi" in notes.get().subject  # in the worker's language
    assert services.follow_up_reminders_send() == 0  # a second run adds nothing
    record(
        care,
        timepoint="follow_up_3m",
        administered_on=timezone.localdate(),
    )
    assert services.follow_up_reminders_send() == 0  # 6 months not due yet


# --- Italian first -------------------------------------------------------------------------
@pytest.fixture
def italian(settings):
    settings.LANGUAGE_CODE = "it"


def test_the_phone_questionnaire_speaks_italian(italian, client, care):
    _, token = _link(care)
    body = client.get(
        reverse("outcomes_public:answer", args=[token]), HTTP_ACCEPT_LANGUAGE="it"
    ).content.decode()
    assert "Mi sono sentito/a allegro/a e di buon umore" in body
    assert "5 · Per tutto il tempo" in body and "0 · Mai" in body
    assert "Invia le mie risposte" in body and "Send my answers" not in body
    gone = client.post(
        reverse("outcomes_public:answer", args=[token[:-2]]), HTTP_ACCEPT_LANGUAGE="it"
    ).content.decode()
    assert "Questo link non esiste" in gone


# --- the person's rights -------------------------------------------------------------------
def test_export_holds_the_questionnaires_and_erasure_stops_open_links(care):
    from legami.referrals.services import subject_erase, subject_export

    record(care, answers={1: 3, 2: 4, 3: 3, 4: 3, 5: 3})
    _, token = _link(care, timepoint="follow_up_3m")
    person = care["referral"].beneficiary
    export = subject_export(by=care["dpo"], beneficiary=person)
    assert export["questionnaires"][0]["instrument"] == "who5"
    assert export["questionnaires"][0]["answers"] == {"1": 3, "2": 4, "3": 3, "4": 3, "5": 3}
    subject_erase(by=care["dpo"], beneficiary=person, reason="Richiesta scritta del 1/12")
    assert not SelfCompletionLink.objects.exists()  # the open link is gone
    with pytest.raises(services_links.LinkUnusable):
        services_links.link_for_token(token)
    assert Response.objects.count() == 1  # the score stays, for the aggregate figures


def test_due_page_lists_overdue_follow_ups_of_ones_people(
    client, care, django_assert_max_num_queries
):
    from legami.referrals import services as referral_services

    worker = care["link_worker"]
    referral_services.referral_assign(by=worker, referrals=[care["referral"]], link_worker=worker)
    record(care, administered_on=timezone.localdate() - timedelta(days=100))
    client.force_login(worker)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("outcomes:due")).content.decode()
    assert "Maria Rossi" in body and "overdue" in body
    client.force_login(care["outside_worker"])
    assert "Maria Rossi" not in client.get(reverse("outcomes:due")).content.decode()


def test_without_consent_the_page_says_so_instead_of_offering_the_questionnaire(client, care):
    consent_withdraw(
        by=care["link_worker"], beneficiary=care["referral"].beneficiary, purpose="outcomes"
    )
    body = (
        _signed_in(client, care)
        .get(reverse("outcomes:person", args=[care["referral"].pk]))
        .content.decode()
    )
    assert "has not agreed to outcome measurement" in body
    assert "Fill it in now, together" not in body


def test_closing_summary_lists_the_questionnaires_of_the_referral(client, care, monkeypatch):
    from legami.core import pdf
    from legami.referrals import services as referral_services
    from legami.referrals.tests.conftest import engage

    drawn = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: drawn.append(html) or real(html))
    referral = engage(care)
    record(care, answers=dict.fromkeys(range(1, 6), 2))  # 40
    record(
        care,
        timepoint="follow_up_3m",
        administered_on=timezone.localdate(),
        answers=dict.fromkeys(range(1, 6), 4),
    )  # 80, change 40
    referral_services.referral_transition(
        by=care["link_worker"], referral=referral, to="closed", reason="Percorso concluso"
    )
    client.force_login(care["prescriber"])
    response = client.get(reverse("referrals:summary_pdf", args=[referral.pk]))
    assert response.status_code == 200
    (html,) = drawn
    section = html[html.index('id="outcome-measures"') :]
    assert "WHO-5" in section and ">80<" in section and ">40<" in section
    assert "No outcome measure has been recorded" not in section
