"""The rules of social prescribing, through the services every page, the API and the admin use."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from legami.conftest import make_user
from legami.core.errors import Refusal
from legami.core.models import AuditEvent, Notification
from legami.directory import services as directory
from legami.referrals import services
from legami.referrals.matching import suggest
from legami.referrals.models import (
    Beneficiary,
    CaseNote,
    Consent,
    Enrolment,
    Referral,
    ReferralEvent,
    ReferralSettings,
)
from legami.referrals.workdays import add_working_days, holidays
from legami.territory.models import Comune

from .conftest import TAX_CODE, engage, person_data


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


# --- people: validation, duplicates, encryption ------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tax_code": "RSSMRA50A41A326X"}, "tax_code"),  # wrong check character
        ({"tax_code": "RSSMRA50"}, "tax_code"),
        ({"birth_date": date.today() + timedelta(days=1), "tax_code": ""}, "birth_date"),
        ({"birth_date": date(1951, 1, 1)}, "birth_date"),  # does not match the tax code
        ({"first_name": "  "}, "first_name"),
        ({"phone": "", "preferred_contact": "phone"}, "phone"),
    ],
)
def test_bad_person_data_is_named_and_nothing_is_saved(care, overrides, field):
    before = (Beneficiary.objects.count(), Referral.objects.count(), Consent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            by=care["prescriber"],
            person=person_data(care["arcidosso"], **{"first_name": "Anna", **overrides}),
            consents=["care"],
        )
    assert field in error.value.message_dict
    assert (
        Beneficiary.objects.count(),
        Referral.objects.count(),
        Consent.objects.count(),
    ) == before


def test_referral_without_care_consent_is_refused(care):
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            by=care["prescriber"],
            person=person_data(care["arcidosso"], tax_code="", first_name="Luca"),
            consents=["contact"],
        )
    assert "consents" in error.value.message_dict
    assert not Beneficiary.objects.filter(first_name="Luca").exists()


def test_same_tax_code_reuses_the_person(care):
    again = services.referral_create(
        by=care["prescriber"],
        also_if_open=True,  # the same person, referred again on purpose
        person=person_data(care["arcidosso"], first_name="Maria", phone="333 1234567"),
        consents=["care"],
    )
    assert again.beneficiary_id == care["referral"].beneficiary_id
    assert Beneficiary.objects.count() == 1


def test_same_name_and_birth_date_reuses_the_person_without_tax_code(care):
    again = services.referral_create(
        by=care["prescriber"],
        also_if_open=True,  # the same person, referred again on purpose
        person=person_data(care["arcidosso"], tax_code="", first_name="MARIA ", last_name="rossi"),
        consents=["care"],
    )
    assert again.beneficiary_id == care["referral"].beneficiary_id


def test_sensitive_fields_are_encrypted_at_rest(care):
    referral = care["referral"]
    services.case_note_add(by=care["link_worker"], referral=referral, text="Nota riservata")
    note = CaseNote.objects.get()
    stored = {
        raw("referrals_beneficiary", "tax_code", referral.beneficiary_id),
        raw("referrals_referral", "reason_text", referral.pk),
        raw("referrals_referral", "risks", referral.pk),
        raw("referrals_casenote", "text", note.pk),
    }
    for value in stored:
        assert value.startswith("gAAAA")  # a Fernet token
    assert TAX_CODE not in "".join(stored) and "Caduta" not in "".join(stored)
    assert Beneficiary.objects.get().tax_code == TAX_CODE
    assert raw("referrals_beneficiary", "tax_code_hash", referral.beneficiary_id) != TAX_CODE


# --- consent ------------------------------------------------------------------------------------
def test_consents_are_recorded_with_version_actor_and_time(care):
    consents = Consent.objects.filter(beneficiary=care["referral"].beneficiary)
    assert {c.purpose for c in consents} == {"care", "contact", "outcomes"}
    for consent in consents:
        assert consent.text_version and consent.given_at
        assert consent.recorded_by == care["prescriber"]


def test_withdrawing_care_consent_closes_the_referral_and_frees_the_place(care):
    referral = engage(care)
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=care["activity"]
    )
    services.consent_withdraw(
        by=care["link_worker"], beneficiary=referral.beneficiary, purpose="care"
    )
    referral.refresh_from_db()
    enrolment.refresh_from_db()
    assert referral.status == "closed" and referral.closed_at
    assert enrolment.status == "withdrawn"
    assert services.places_taken(care["activity"].pk) == 0
    assert services.active_consents(referral.beneficiary) == {"contact", "outcomes"}
    with pytest.raises(ValidationError):
        services.consent_withdraw(
            by=care["link_worker"], beneficiary=referral.beneficiary, purpose="care"
        )


# --- lifecycle ----------------------------------------------------------------------------------
def test_lifecycle_is_timestamped_with_who(care):
    referral = engage(care)
    worker = care["link_worker"]
    services.referral_transition(by=worker, referral=referral, to="plan_agreed", goals="Uscire")
    events = list(ReferralEvent.objects.filter(referral=referral))
    assert [e.to_status for e in events] == [
        "received",
        "received",  # assignment
        "contacted",
        "assessed",
        "plan_agreed",
    ]
    assert all(e.at for e in events)
    assert events[-1].by == worker
    referral.refresh_from_db()
    assert referral.first_contacted_at is not None
    assert referral.what_matters == "Stare con altre persone."


def test_unassigned_referral_cannot_be_closed(care):
    referral = care["referral"]
    with pytest.raises(ValidationError) as error:
        services.referral_transition(
            by=care["link_worker"], referral=referral, to="closed", reason="Doppione"
        )
    assert "status" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == "received"


@pytest.mark.parametrize(
    ("to", "extra", "field"),
    [
        ("plan_agreed", {}, None),  # skips the conversation: the case's state refuses it
        ("closed", {}, "reason"),  # closing needs a reason
        ("nonsense", {}, "status"),
    ],
)
def test_forbidden_transitions_change_nothing(care, to, extra, field):
    worker = care["link_worker"]
    referral = care["referral"]
    services.referral_assign(by=worker, referrals=[referral], link_worker=worker)
    events = ReferralEvent.objects.count()
    with pytest.raises(ValidationError if field else Refusal) as error:
        services.referral_transition(by=worker, referral=referral, to=to, **extra)
    if field:
        assert field in error.value.message_dict
    else:
        assert "cannot become" in error.value.message
    referral.refresh_from_db()
    assert referral.status == "received"
    assert ReferralEvent.objects.count() == events


def test_ended_referral_goes_nowhere(care):
    referral = engage(care)
    worker = care["link_worker"]
    services.referral_transition(by=worker, referral=referral, to="declined", reason="Non vuole")
    with pytest.raises(Refusal):
        services.referral_transition(by=worker, referral=referral, to="contacted")
    with pytest.raises(ValidationError):
        services.referral_assign(by=worker, referrals=[referral], link_worker=worker)


def test_assignment_only_to_a_worker_covering_the_comune(care):
    with pytest.raises(ValidationError):
        services.referral_assign(
            by=care["link_worker"],
            referrals=[care["referral"]],
            link_worker=care["outside_worker"],
        )
    assert Referral.objects.get().link_worker is None


def test_assignment_is_all_or_nothing_and_names_how_many_are_out_of_scope(care):
    """The rules of bulk assignment live in the service, whoever calls it (issue 14, 2)."""
    mine = care["referral"]
    theirs = services.referral_create(
        by=care["outside_prescriber"],
        person=person_data(care["casalecchio"], first_name="Ugo", tax_code=""),
        consents=["care"],
    )
    with pytest.raises(ValidationError) as error:
        services.referral_assign(
            by=care["link_worker"],
            referrals=[mine, theirs.pk, 10**15, None],
            link_worker=care["link_worker"],
        )
    assert error.value.message_dict["referrals"] == [
        "3 of the selected referrals are not in your territory: nothing was assigned."
    ]
    with pytest.raises(ValidationError, match="Select at least one referral"):
        services.referral_assign(
            by=care["link_worker"], referrals=[], link_worker=care["link_worker"]
        )
    assert not Referral.objects.filter(link_worker__isnull=False).exists()
    # The system (by=None, e.g. a job) is not limited to a territory.
    assert services.referral_assign(by=None, referrals=[mine], link_worker=care["link_worker"]) == 1


@pytest.mark.parametrize("who", ["inactive", "prescriber", "id_of_nobody"])
def test_assignment_only_to_an_active_link_worker(care, who):
    if who == "inactive":
        target = make_user("link_worker", "in.pausa@test.legami.example")
        target.jurisdictions.create(district=care["district"])
        target.is_active = False
        target.save()
    elif who == "prescriber":
        target = care["prescriber"]
    else:
        target = 10**9
    with pytest.raises(ValidationError) as error:
        services.referral_assign(
            by=care["link_worker"], referrals=[care["referral"]], link_worker=target
        )
    assert "only active link workers" in error.value.message_dict["link_worker"][0]
    assert Referral.objects.get().link_worker is None


def test_referrer_is_told_at_each_step_without_health_details(care):
    engage(care)
    subjects = list(
        Notification.objects.filter(user=care["prescriber"]).values_list("subject", flat=True)
    )
    assert len(subjects) == 2  # taken in charge, contacted
    assert not any("Caduta" in s or "sola" in s for s in subjects)


# --- service levels -------------------------------------------------------------------------------
def test_first_contact_due_counts_working_days_and_holidays():
    assert date(2026, 4, 6) in holidays(2026)  # Easter Monday 2026
    # Thursday 2026-12-24 + 2 working days: skips Christmas, St Stephen's and the weekend.
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 29)
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday -> Monday


def test_district_service_level_sets_the_due_date(care):
    ReferralSettings.objects.create(district=care["district"], first_contact_working_days=1)
    referral = services.referral_create(
        by=care["prescriber"],
        person=person_data(care["arcidosso"], tax_code="", first_name="Gino"),
        consents=["care"],
    )
    received = timezone.localtime(referral.received_at).date()
    assert referral.first_contact_due == add_working_days(received, 1)


# --- enrolment and capacity -----------------------------------------------------------------------
def _second_referral(care, name="Gino"):
    referral = services.referral_create(
        by=care["prescriber"],
        person=person_data(care["arcidosso"], tax_code="", first_name=name),
        consents=["care"],
    )
    return engage(care, referral)


def test_the_last_place_goes_once(care):
    activity = care["activity"]
    activity.referral_slots = 1
    activity.save(update_fields=["referral_slots"])
    first = engage(care)
    services.enrolment_create(by=care["link_worker"], referral=first, activity=activity)
    with pytest.raises(ValidationError) as error:
        services.enrolment_create(
            by=care["link_worker"], referral=_second_referral(care), activity=activity
        )
    assert "no places left" in error.value.message_dict["activity"][0]
    assert Enrolment.objects.count() == 1


def test_enrolling_into_an_archived_activity_is_refused(care):
    referral = engage(care)
    directory.activity_set_status(
        by=care["territory_admin"], activity=care["activity"], status="archived"
    )
    with pytest.raises(ValidationError):
        services.enrolment_create(
            by=care["link_worker"], referral=referral, activity=care["activity"]
        )
    assert not Enrolment.objects.exists()


def test_enrolment_needs_the_conversation_first(care):
    worker = care["link_worker"]
    services.referral_assign(by=worker, referrals=[care["referral"]], link_worker=worker)
    with pytest.raises(ValidationError):
        services.enrolment_create(by=worker, referral=care["referral"], activity=care["activity"])


def test_provider_answer_and_register(care):
    referral = engage(care)
    worker = care["link_worker"]
    services.referral_transition(by=worker, referral=referral, to="plan_agreed", goals="Uscire")
    enrolment = services.enrolment_create(by=worker, referral=referral, activity=care["activity"])
    with pytest.raises(ValidationError):
        services.enrolment_respond(by=care["provider"], enrolment=enrolment, accept=False)
    with pytest.raises(ValidationError):  # no register before accepting
        services.attendance_record(
            by=care["provider"], enrolment=enrolment, session_date=date.today(), present=True
        )
    services.enrolment_respond(by=care["provider"], enrolment=enrolment, accept=True)
    with pytest.raises(ValidationError):
        services.attendance_record(
            by=care["provider"],
            enrolment=enrolment,
            session_date=date.today() + timedelta(days=1),
            present=True,
        )
    services.attendance_record(
        by=care["provider"], enrolment=enrolment, session_date=date.today(), present=True
    )
    referral.refresh_from_db()
    assert referral.status == "engaged"


def test_unanswered_referral_reminds_then_returns(care):
    referral = engage(care)
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=care["activity"]
    )
    sent = enrolment.sent_at
    assert services.chase_unanswered(now=sent + timedelta(days=1)) == (0, 0)
    assert services.chase_unanswered(now=sent + timedelta(days=3, hours=1)) == (1, 0)
    assert services.chase_unanswered(now=sent + timedelta(days=4)) == (0, 0)  # once only
    assert services.chase_unanswered(now=sent + timedelta(days=8)) == (0, 1)
    enrolment.refresh_from_db()
    assert enrolment.status == "returned"
    assert services.places_taken(care["activity"].pk) == 0
    assert services.chase_unanswered(now=sent + timedelta(days=9)) == (0, 0)


# --- matching -------------------------------------------------------------------------------------
def test_matching_explains_and_respects_capacity(care):
    referral = engage(care)
    suggestions = suggest(referral)
    assert [s.activity for s in suggestions] == [care["activity"]]
    texts = [r.text for r in suggestions[0].reasons]
    assert any(care["loneliness"].label.lower() in t for t in texts)
    assert any("km from Arcidosso" in t for t in texts)
    assert "12 places left" in texts
    care["activity"].referral_slots = 1
    care["activity"].save(update_fields=["referral_slots"])
    services.enrolment_create(by=care["link_worker"], referral=referral, activity=care["activity"])
    assert suggest(_second_referral(care)) == []  # full: not suggested


def test_matching_weights_change_the_order(care):
    near_paid = care["activity"]
    far_free = directory.activity_create(
        by=care["territory_admin"],
        organisation=care["association"],
        place=directory.place_create(
            by=care["territory_admin"],
            organisation=care["association"],
            name="Rifugio",
            comune=care["arcidosso"],
            latitude=42.70,
            longitude=11.54,
        ),
        name="Gruppo di lettura",
        description="Libri insieme",
        terms=[care["loneliness"]],
        is_free=True,
    )
    directory.activity_set_status(by=care["territory_admin"], activity=far_free, status="published")
    near_paid.is_free = False
    near_paid.save(update_fields=["is_free"])
    referral = engage(care)
    settings = ReferralSettings.objects.create(
        district=care["district"], weight_distance=10, weight_cost=0
    )
    assert suggest(referral)[0].activity == near_paid
    settings.weight_distance, settings.weight_cost = 0, 10
    settings.save()
    assert suggest(referral)[0].activity == far_free


def test_matching_explains_distance_with_the_inner_area_and_the_time_to_the_pole(care):
    arcidosso = care["arcidosso"]
    arcidosso.minutes_to_pole = "48.6"  # class E (peripheral) in the shared world
    arcidosso.save(update_fields=["minutes_to_pole"])
    referral = engage(care)
    referral.refresh_from_db()
    texts = {r.text: r.good for r in suggest(referral)[0].reasons}
    at_home = "Arcidosso: peripheral comune, 49 minutes from the pole; in the person's own comune"
    assert texts[at_home] is True
    # Elsewhere, from an inner area, the trip is the weak point and both comuni are described.
    santa_fiora = Comune.objects.create(
        istat_code="053023",
        name="Santa Fiora",
        province=care["grosseto"],
        inner_area_class="F",
        minutes_to_pole=61,
    )
    place = care["activity"].place
    place.comune = santa_fiora
    place.save(update_fields=["comune"])
    texts = {r.text: r.good for r in suggest(referral)[0].reasons}
    away = (
        "Arcidosso: peripheral comune, 49 minutes from the pole; the activity is in "
        "Santa Fiora: ultra-peripheral comune, 61 minutes from the pole"
    )
    assert texts[away] is False


def test_matching_costs_the_same_queries_with_the_inner_area_reasons(
    care, django_assert_num_queries
):
    referral = engage(care)
    referral = Referral.objects.select_related("comune", "beneficiary").get(pk=referral.pk)
    with CaptureQueriesContext(connection) as one:
        suggest(referral)
    second = directory.activity_create(
        by=care["territory_admin"],
        organisation=care["association"],
        place=care["activity"].place,
        name="Tombola",
        description="Insieme",
        terms=[care["loneliness"]],
    )
    directory.activity_set_status(by=care["territory_admin"], activity=second, status="published")
    referral = Referral.objects.select_related("comune", "beneficiary").get(pk=referral.pk)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(suggest(referral)) == 2


# --- data-subject rights --------------------------------------------------------------------------
def test_export_holds_everything_and_is_logged(care):
    referral = engage(care)
    services.case_note_add(by=care["link_worker"], referral=referral, text="Nota")
    data = services.subject_export(by=care["dpo"], beneficiary=referral.beneficiary)
    assert data["person"]["codice_fiscale"] == TAX_CODE
    assert data["referrals"][0]["notes"][0]["text"] == "Nota"
    assert {c["purpose"] for c in data["consents"]} == {"care", "contact", "outcomes"}
    assert AuditEvent.objects.filter(action="export", actor=care["dpo"]).exists()


def test_erasure_keeps_counts_and_forgets_the_person(care):
    referral = engage(care)
    services.case_note_add(by=care["link_worker"], referral=referral, text="Nota")
    with pytest.raises(ValidationError):
        services.subject_erase(by=care["dpo"], beneficiary=referral.beneficiary, reason=" ")
    services.subject_erase(by=care["dpo"], beneficiary=referral.beneficiary, reason="Richiesta 7")
    person = Beneficiary.objects.get()
    referral.refresh_from_db()
    assert person.first_name == "—" and person.tax_code == "" and person.phone == ""
    assert person.birth_date == date(1950, 1, 1)  # year kept for age bands
    assert referral.status == "closed" and referral.reason_text == "" and referral.risks == ""
    assert not CaseNote.objects.exists()
    assert Referral.objects.count() == 1
    assert AuditEvent.objects.filter(action="erase").count() == 1
    # A new referral for the same codice fiscale makes a new, unlinked record.
    again = services.referral_create(
        by=care["prescriber"], person=person_data(care["arcidosso"]), consents=["care"]
    )
    assert again.beneficiary_id != person.pk


def test_retention_anonymises_only_old_closed_cases(care):
    referral = engage(care)
    services.referral_transition(
        by=care["link_worker"], referral=referral, to="declined", reason="Non interessata"
    )
    assert services.retention_run(older_than_days=365) == 0
    Referral.objects.filter(pk=referral.pk).update(closed_at=timezone.now() - timedelta(days=400))
    assert services.retention_run(older_than_days=365) == 1
    assert services.retention_run(older_than_days=365) == 0
    assert Beneficiary.objects.get().anonymised_at is not None
    with pytest.raises(ValidationError):
        services.retention_run(older_than_days=1)


def test_new_referral_reaches_the_link_workers_of_the_comune_only(care):
    assert Notification.objects.filter(user=care["link_worker"]).count() == 1
    assert not Notification.objects.filter(user=care["outside_worker"]).exists()
