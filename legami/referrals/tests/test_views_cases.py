"""The prescriber's and link worker's pages: refer, follow, hold a caseload, move a referral
along its lifecycle, match and enrol. Wrong roles get 403, referrals outside one's organisation
or territory 404, refused actions a clear message and no change."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from legami.core.models import AuditEvent
from legami.referrals import services
from legami.referrals.models import (
    Beneficiary,
    CaseNote,
    Consent,
    Enrolment,
    Referral,
    ReferralEvent,
)

from .conftest import engage, person_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_language():
    """Requests in English activate English in this thread; later tests expect the default."""
    language = translation.get_language()
    yield
    translation.activate(language)


def signed_in(user) -> Client:
    # English, the source language: assertions read the strings as written in the code, and
    # keep passing once the Italian translation is added.
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def another_referral(care, **person):
    """A second person referred by the same prescriber, in Arcidosso."""
    data = person_data(
        care["arcidosso"],
        first_name=person.pop("first_name", "Giulio"),
        last_name=person.pop("last_name", "Bianchi"),
        birth_date=date(1948, 3, 3),
        tax_code="",
        **person,
    )
    return services.referral_create(
        by=care["prescriber"],
        person=data,
        consents=["care"],
        reasons=[care["loneliness"]],
    )


def form_data(care, **overrides):
    data = {
        "first_name": "Anna",
        "last_name": "Verdi",
        "birth_date": "1950-01-01",
        "tax_code": "",
        "comune": "Arcidosso (GR)",
        "phone": "0564 111111",
        "email": "",
        "preferred_contact": "phone",
        "languages": ["it", "en"],
        "access_needs": "Usa un bastone",
        "needs_step_free": "on",
        "reasons": [care["loneliness"].pk],
        "reason_text": "Si sente sola.",
        "urgency": "soon",
        "risks": "",
        "available_days": ["TU", "TH"],
        "available_times": ["morning"],
        "consent_care": "on",
        "consent_contact": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- prescriber --------------------------------------------------------------------------------
def test_prescriber_refers_a_person_through_the_form(care):
    client = signed_in(care["prescriber"])
    form = page(client.get(reverse("referrals:create")))
    assert "link worker of my territory" in form  # the care consent's full text is shown
    response = client.post(reverse("referrals:create"), form_data(care))
    referral = Referral.objects.get(beneficiary__last_name="Verdi")
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.referrer == care["prescriber"]
    assert referral.referring_organisation == care["comune_org"]
    assert referral.urgency == "soon"
    assert referral.available_days == "TU,TH" and referral.available_times == "morning"
    assert list(referral.reasons.all()) == [care["loneliness"]]
    person = referral.beneficiary
    assert person.languages == "it,en" and person.needs_step_free
    assert set(Consent.objects.filter(beneficiary=person).values_list("purpose", flat=True)) == {
        "care",
        "contact",
    }
    detail = page(client.get(response["Location"]))
    assert "Anna Verdi" in detail
    assert "Si sente sola." in detail
    assert "Referral sent" in detail  # the success message
    worker_view = page(signed_in(care["link_worker"]).get(response["Location"]))
    assert "Tuesday, Thursday" in worker_view and "Morning" in worker_view


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"tax_code": "RSSMRA50A41A326X"}, "not valid"),
        ({"tax_code": "ABC"}, "16 characters"),
        ({"birth_date": (date.today() + timedelta(days=3)).isoformat()}, "cannot be in the future"),
        ({"consent_care": None}, "Without consent to care coordination"),
        ({"comune": "Atlantide"}, "No comune is called"),
        ({"phone": ""}, "Give a phone number"),
    ],
)
def test_bad_referral_input_is_shown_on_the_field_and_saves_nothing(care, overrides, field_error):
    people, referrals = Beneficiary.objects.count(), Referral.objects.count()
    consents = Consent.objects.count()
    response = signed_in(care["prescriber"]).post(
        reverse("referrals:create"), form_data(care, **overrides)
    )
    html = page(response)
    assert field_error in html
    assert "invalid-feedback" in html
    assert Beneficiary.objects.count() == people
    assert Referral.objects.count() == referrals
    assert Consent.objects.count() == consents


def test_prescriber_list_shows_first_name_and_initial_and_overdue(care):
    referral = care["referral"]
    Referral.objects.filter(pk=referral.pk).update(
        first_contact_due=timezone.localdate() - timedelta(days=2)
    )
    html = page(signed_in(care["prescriber"]).get(reverse("referrals:list")))
    assert "Maria R." in html and "Rossi" not in html
    assert "overdue" in html
    assert AuditEvent.objects.filter(
        actor=care["prescriber"], action="list", object_type="referrals.referral"
    ).exists()
    # The other organisation's prescriber sees none of it.
    other = page(signed_in(care["outside_prescriber"]).get(reverse("referrals:list")))
    assert "Maria" not in other


def test_list_sends_link_workers_to_the_caseload_and_citizens_to_their_data(care):
    response = signed_in(care["link_worker"]).get(reverse("referrals:list"))
    assert response.status_code == 302 and response["Location"] == reverse("referrals:caseload")
    response = signed_in(care["citizen"]).get(reverse("referrals:list"))
    assert response.status_code == 302 and response["Location"] == reverse("referrals:my_data")


def test_referrer_sees_risks_and_status_but_no_case_notes(care):
    referral = engage(care)
    services.case_note_add(by=care["link_worker"], referral=referral, text="Nota riservata.")
    html = page(signed_in(care["prescriber"]).get(reverse("referrals:detail", args=[referral.pk])))
    assert "Caduta recente." in html
    assert "risk flag" in html
    assert "Nota riservata." not in html
    assert reverse("referrals:transition", args=[referral.pk]) not in html
    assert AuditEvent.objects.filter(
        actor=care["prescriber"], action="view", object_id=str(referral.pk)
    ).exists()


def test_out_of_scope_referrals_are_404(care):
    url = reverse("referrals:detail", args=[care["referral"].pk])
    assert signed_in(care["outside_prescriber"]).get(url).status_code == 404
    assert signed_in(care["outside_worker"]).get(url).status_code == 404
    outside = signed_in(care["outside_worker"])
    pk = care["referral"].pk
    for name in ("transition", "note_add", "consent", "enrol"):
        assert outside.post(reverse(f"referrals:{name}", args=[pk]), {}).status_code == 404
    assert outside.get(reverse("referrals:match", args=[pk])).status_code == 404


@pytest.mark.parametrize("role", ["provider", "evaluator", "territory_admin"])
def test_other_roles_are_403(care, role):
    client = signed_in(care[role])
    pk = care["referral"].pk
    assert client.get(reverse("referrals:list")).status_code == 403
    assert client.get(reverse("referrals:detail", args=[pk])).status_code == 403
    assert client.get(reverse("referrals:caseload")).status_code == 403
    assert client.get(reverse("referrals:create")).status_code == 403
    assert client.get(reverse("referrals:match", args=[pk])).status_code == 403
    assert client.post(
        reverse("referrals:transition", args=[pk]), {"to": "closed"}
    ).status_code == (403)


def test_prescriber_cannot_work_a_referral(care):
    client = signed_in(care["prescriber"])
    pk = care["referral"].pk
    assert client.get(reverse("referrals:caseload")).status_code == 403
    assert client.post(
        reverse("referrals:transition", args=[pk]), {"to": "closed"}
    ).status_code == (403)


def test_anonymous_visitor_signs_in_first(care):
    response = Client().get(reverse("referrals:detail", args=[care["referral"].pk]))
    assert response.status_code == 302 and "login" in response["Location"]


# --- link worker: caseload ---------------------------------------------------------------------
def test_caseload_filters_and_bulk_assignment(care):
    worker = care["link_worker"]
    client = signed_in(worker)
    first = care["referral"]
    second = another_referral(care)
    Referral.objects.filter(pk=first.pk).update(
        first_contact_due=timezone.localdate() - timedelta(days=1)
    )
    mine = page(client.get(reverse("referrals:caseload")))
    assert "No referral matches" in mine  # nothing assigned yet
    waiting = page(client.get(reverse("referrals:caseload"), {"view": "unassigned"}))
    assert "Maria Rossi" in waiting and "Giulio Bianchi" in waiting
    assert "table-warning" in waiting and "overdue" in waiting  # highlighted with text too
    assert "risk flag" in waiting  # Maria's referral has known risks
    overdue = page(client.get(reverse("referrals:caseload"), {"view": "all", "overdue": "1"}))
    assert "Maria Rossi" in overdue and "Giulio Bianchi" not in overdue
    assert AuditEvent.objects.filter(actor=worker, action="list").exists()

    # Ids that are not referrals of the territory refuse the whole request, saying how many.
    response = client.post(
        reverse("referrals:assign"),
        {"ids": [first.pk, second.pk, "999999", "abc"], "link_worker": worker.pk},
        follow=True,
    )
    assert "2 of the selected referrals are not in your territory" in page(response)
    assert not Referral.objects.filter(link_worker=worker).exists()
    response = client.post(
        reverse("referrals:assign"),
        {"ids": [first.pk, second.pk], "link_worker": worker.pk},
        follow=True,
    )
    assert "2 referrals assigned" in page(response)
    assert set(Referral.objects.filter(link_worker=worker).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    mine = page(client.get(reverse("referrals:caseload"), {"view": "mine"}))
    assert "Maria Rossi" in mine and "Giulio Bianchi" in mine


def test_assigning_out_of_scope_or_to_nobody_changes_nothing(care):
    referral = care["referral"]
    outside = signed_in(care["outside_worker"])
    response = outside.post(
        reverse("referrals:assign"),
        {"ids": [referral.pk], "link_worker": care["outside_worker"].pk},
        follow=True,
    )
    assert "1 of the selected referrals is not in your territory" in page(response)
    response = outside.post(
        reverse("referrals:assign"), {"link_worker": care["outside_worker"].pk}, follow=True
    )
    assert "Select at least one referral" in page(response)
    response = signed_in(care["link_worker"]).post(
        reverse("referrals:assign"), {"ids": [referral.pk], "link_worker": ""}, follow=True
    )
    assert "Choose a link worker" in page(response)
    # A link worker of another district cannot be given the case.
    response = signed_in(care["link_worker"]).post(
        reverse("referrals:assign"),
        {"ids": [referral.pk], "link_worker": care["outside_worker"].pk},
        follow=True,
    )
    assert "does not work in the comune" in page(response)
    referral.refresh_from_db()
    assert referral.link_worker is None


def test_caseload_query_count_does_not_grow(care, django_assert_max_num_queries):
    for i in range(12):
        another_referral(care, first_name=f"Persona{i}", last_name=f"Numero{i}")
    client = signed_in(care["link_worker"])
    with django_assert_max_num_queries(18):
        html = page(client.get(reverse("referrals:caseload"), {"view": "all"}))
    assert "Persona11" in html


# --- one referral: lifecycle, notes, consents ----------------------------------------------------
def _post(client, name, referral, data):
    return client.post(reverse(f"referrals:{name}", args=[referral.pk]), data, follow=True)


def test_link_worker_takes_the_referral_through_its_lifecycle(care):
    referral = care["referral"]
    client = signed_in(care["link_worker"])
    detail = page(client.get(reverse("referrals:detail", args=[referral.pk])))
    assert "Take this referral" in detail
    assert "Caduta recente." in detail
    client.post(
        reverse("referrals:assign"),
        {"ids": [referral.pk], "link_worker": care["link_worker"].pk},
    )
    assert "is now" in page(_post(client, "transition", referral, {"to": "contacted"}))
    _post(client, "transition", referral, {"to": "assessed", "what_matters": "Il coro."})
    html = page(_post(client, "transition", referral, {"to": "plan_agreed", "goals": ""}))
    assert "Write the goals" in html
    referral.refresh_from_db()
    assert referral.status == "assessed" and referral.what_matters == "Il coro."
    _post(client, "transition", referral, {"to": "plan_agreed", "goals": "Uscire due volte."})
    html = page(_post(client, "transition", referral, {"to": "completed", "reason": "Fatto"}))
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.goals == "Uscire due volte."
    assert list(referral.events.values_list("to_status", flat=True)) == [
        "received",
        "received",  # the assignment
        "contacted",
        "assessed",
        "plan_agreed",
        "completed",
    ]
    assert reverse("referrals:summary_pdf", args=[referral.pk]) in html
    assert "This referral has ended" in html


def test_forbidden_transitions_show_a_message_and_change_nothing(care):
    referral = care["referral"]
    client = signed_in(care["link_worker"])
    html = page(_post(client, "transition", referral, {"to": "closed", "reason": "x"}))
    assert "Assign the referral to a link worker" in html
    referral.refresh_from_db()
    assert referral.status == "received" and referral.closed_at is None
    engage(care)
    html = page(_post(client, "transition", referral, {"to": "received"}))
    assert "cannot become" in html
    html = page(_post(client, "transition", referral, {"to": "declined"}))
    assert "Say why" in html
    html = page(_post(client, "transition", referral, {"to": "nonsense"}))
    assert "Choose the next status" in html
    services.referral_transition(
        by=care["link_worker"], referral=referral, to="plan_agreed", goals="Camminare."
    )
    services.referral_transition(by=care["link_worker"], referral=referral, to="completed")
    events = ReferralEvent.objects.filter(referral=referral).count()
    html = page(_post(client, "transition", referral, {"to": "contacted"}))
    assert "cannot become" in html
    referral.refresh_from_db()
    assert referral.status == "completed"
    assert ReferralEvent.objects.filter(referral=referral).count() == events


def test_notes_and_consents_on_the_persons_behalf(care):
    referral = engage(care)
    client = signed_in(care["link_worker"])
    assert "The note is empty" in page(_post(client, "note_add", referral, {"text": "  "}))
    assert "Note added" in page(_post(client, "note_add", referral, {"text": "Ha chiamato."}))
    assert CaseNote.objects.get(referral=referral).text == "Ha chiamato."
    html = page(_post(client, "consent", referral, {"purpose": "contact", "action": "withdraw"}))
    assert "withdrawn" in html
    assert not referral.beneficiary.consents.filter(
        purpose="contact", withdrawn_at__isnull=True
    ).exists()
    html = page(_post(client, "consent", referral, {"purpose": "contact", "action": "withdraw"}))
    assert "no active consent" in html
    html = page(_post(client, "consent", referral, {"purpose": "research", "action": "give"}))
    assert "recorded" in html
    assert referral.beneficiary.consents.filter(purpose="research", withdrawn_at=None).exists()
    html = page(_post(client, "consent", referral, {"purpose": "bogus", "action": "give"}))
    assert "Choose a purpose" in html


def test_post_only_actions_refuse_get(care):
    client = signed_in(care["link_worker"])
    pk = care["referral"].pk
    for name in ("transition", "note_add", "consent", "enrol"):
        assert client.get(reverse(f"referrals:{name}", args=[pk])).status_code == 405
    assert client.get(reverse("referrals:assign")).status_code == 405
    assert client.get(reverse("referrals:enrolment_withdraw", args=[1])).status_code == 405
    assert client.post(reverse("referrals:caseload")).status_code == 405


def test_tampered_ids_are_404(care):
    referral = engage(care)
    client = signed_in(care["link_worker"])
    assert client.get(reverse("referrals:detail", args=[999999])).status_code == 404
    assert client.get(reverse("referrals:match", args=[999999])).status_code == 404
    assert client.post(reverse("referrals:transition", args=[999999]), {"to": "x"}).status_code == (
        404
    )
    # A missing or tampered activity sends the worker back to the suggestions, told to choose.
    url = reverse("referrals:enrol", args=[referral.pk])
    match = reverse("referrals:match", args=[referral.pk])
    for body in ({"activity": 999999}, {"activity": "abc"}, {}):
        response = client.post(url, body, follow=True)
        assert response.redirect_chain[-1][0] == match, body
        assert "Choose one of the suggested activities" in response.content.decode(), body
    assert client.post(reverse("referrals:enrolment_withdraw", args=[999999])).status_code == 404
    assert not Enrolment.objects.exists()


def test_detail_query_count_does_not_grow_with_history(care, django_assert_max_num_queries):
    referral = engage(care)
    worker = care["link_worker"]
    services.enrolment_create(by=worker, referral=referral, activity=care["activity"])
    for i in range(15):
        services.case_note_add(by=worker, referral=referral, text=f"Nota {i}")
        services.consent_give(
            by=worker, beneficiary=referral.beneficiary, purpose="research", version=f"v{i}"
        )
    for _ in range(5):
        services.referral_assign(by=worker, referrals=[referral], link_worker=worker)
    goals = [
        services.goal_add(by=worker, referral=referral, text=f"Obiettivo {i}", rating=2)
        for i in range(3)
    ]
    for rating in range(3, 9):
        services.goal_rate(by=worker, referral=referral, ratings=dict.fromkeys(goals, rating))
    url = reverse("referrals:detail", args=[referral.pk])
    for user, sees_notes in ((worker, True), (care["prescriber"], False)):
        client = signed_in(user)
        # + what falls due (case_reminders), + the programmes the link worker may choose,
        # + the person's goals and their ratings (two, however many follow-ups)
        with django_assert_max_num_queries(19):
            html = page(client.get(url))
        assert "Camminata nei castagneti" in html
        assert html.count("v14") == 1  # every consent row is there
        assert ("Nota 14" in html and "Nota 0" in html) == sees_notes
        assert ("Obiettivo 2" in html and "+6" in html) == sees_notes


# --- matching and enrolment --------------------------------------------------------------------
def test_match_lists_the_activity_with_reasons_and_enrol_works(care):
    referral = engage(care)
    client = signed_in(care["link_worker"])
    html = page(client.get(reverse("referrals:match", args=[referral.pk])))
    assert "It suggests; the person decides." in html
    assert "Camminata nei castagneti" in html
    assert "addresses" in html  # a reason in favour
    assert "has a cost" in html  # a warning, with its icon
    assert "it-warning-circle" in html and "it-check-circle" in html
    assert "Send to this activity" in html
    response = client.post(
        reverse("referrals:enrol", args=[referral.pk]), {"activity": care["activity"].pk}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(referral=referral)
    assert enrolment.activity == care["activity"] and enrolment.status == "pending"
    html = page(client.get(response["Location"]))
    assert "Camminata nei castagneti" in html and "Withdraw" in html
    html = page(
        client.post(
            reverse("referrals:enrolment_withdraw", args=[enrolment.pk]),
            {"reason": "Ha cambiato idea"},
            follow=True,
        )
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn"
    assert "no longer enrolled" in html


def test_enrolling_before_the_conversation_is_refused(care):
    client = signed_in(care["link_worker"])
    referral = care["referral"]
    html = page(client.get(reverse("referrals:match", args=[referral.pk])))
    assert "Send to this activity" not in html
    html = page(_post(client, "enrol", referral, {"activity": care["activity"].pk}))
    assert "Assign the referral" in html
    assert not Enrolment.objects.exists()


def test_enrolling_in_a_full_activity_says_no_places_left(care):
    activity = care["activity"]
    activity.referral_slots = 1
    activity.save(update_fields=["referral_slots"])
    first = engage(care)
    services.enrolment_create(by=care["link_worker"], referral=first, activity=activity)
    second = engage(care, another_referral(care))
    client = signed_in(care["link_worker"])
    html = page(client.get(reverse("referrals:match", args=[second.pk])))
    assert "Camminata nei castagneti" not in html  # full activities are not suggested
    html = page(_post(client, "enrol", second, {"activity": activity.pk}))
    assert "has no places left" in html
    assert not Enrolment.objects.filter(referral=second).exists()
    # An activity of the directory that is not published takes nobody either.
    html = page(_post(client, "enrol", second, {"activity": care["outside_activity"].pk}))
    assert "is not published" in html
    assert not Enrolment.objects.filter(referral=second).exists()


def test_huge_ids_are_404_not_500(care):
    client = signed_in(care["link_worker"])
    huge = 10**20
    assert client.get(reverse("referrals:detail", args=[huge])).status_code == 404
    referral = engage(care)
    url = reverse("referrals:enrol", args=[referral.pk])
    response = client.post(url, {"activity": str(huge)})
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:match", args=[referral.pk])
    response = client.post(
        reverse("referrals:assign"), {"ids": [str(huge)], "link_worker": str(huge)}, follow=True
    )
    assert "1 of the selected referrals is not in your territory" in page(response)


def test_availability_is_validated_by_the_service(care):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.referral_create(
            by=care["prescriber"],
            also_if_open=True,
            person=person_data(care["arcidosso"]),
            consents=["care"],
            available_days=["MO", "XX"],
            available_times="night",
        )
    assert set(error.value.message_dict) >= {"available_days", "available_times"}
    referral = services.referral_create(
        by=care["prescriber"],
        also_if_open=True,  # the same person, referred again on purpose
        person=person_data(care["arcidosso"]),
        consents=["care"],
        available_days="SU,MO",
        available_times=["evening", "morning"],
    )
    assert referral.available_days == "MO,SU"
    assert referral.available_times == "morning,evening"
