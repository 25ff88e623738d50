"""Pages of the person referred, of the providers who welcome them and of territory admins."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from legami.conftest import make_user
from legami.core import roles
from legami.core.audit import audit
from legami.core.models import AuditEvent
from legami.network.models import Membership, Person
from legami.referrals import services
from legami.referrals.models import (
    Attendance,
    Beneficiary,
    Consent,
    Enrolment,
    Referral,
    ReferralEvent,
    ReferralSettings,
    Source,
)

from .conftest import engage, person_data

SELF_REFER = reverse("referrals:self_refer")
MY_DATA = reverse("referrals:my_data")
MY_CONSENT = reverse("referrals:my_consent")
INBOX = reverse("referrals:inbox")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def self_referral_post(care, **overrides):
    data = {
        "first_name": "Giulia",
        "last_name": "Bianchi",
        "birth_date": "1948-03-12",
        "tax_code": "",
        "comune": "Arcidosso",
        "phone": "333 1234567",
        "email": "",
        "preferred_contact": "phone",
        "needs": [str(care["loneliness"].pk)],
        "reason_text": "Da quando sono in pensione esco poco.",
        "available_days": ["TU", "TH"],
        "available_times": ["morning"],
        "access_needs": "",
        "consent_care": "on",
        "consent_contact": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def enrolment_for(care, referral=None) -> Enrolment:
    referral = engage(care, referral)
    return services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=care["activity"]
    )


# --- self-referral ------------------------------------------------------------------------------
def test_anonymous_self_referral_creates_person_referral_and_consents(care, client):
    page = client.get(SELF_REFER)
    assert page.status_code == 200
    # Every consent is shown with its full text.
    assert "the link worker of my territory and the activities I choose" in page.content.decode()
    assert "without my name or any way to identify me" in page.content.decode()

    response = client.post(SELF_REFER, self_referral_post(care))

    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:self_refer_done")
    person = Beneficiary.objects.get(last_name="Bianchi")
    assert person.user is None
    referral = person.referrals.get()
    assert referral.source == Source.SELF
    assert referral.status == "received"
    assert referral.reason_text == "Da quando sono in pensione esco poco."
    assert list(referral.reasons.all()) == [care["loneliness"]]
    assert referral.available_days == "TU,TH"
    assert referral.available_times == "morning"
    assert services.active_consents(person) == {"care", "contact"}

    done = client.get(response["Location"])
    assert done.status_code == 200
    assert "link worker will contact you by" in done.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"tax_code": "RSSMRA50A41A326X"}, "tax_code", "not valid"),
        (
            {"birth_date": (date.today() + timedelta(days=365)).isoformat()},
            "birth_date",
            "cannot be in the future",
        ),
        ({"consent_care": None}, "consent_care", "Without this consent"),
        ({"phone": "", "preferred_contact": "phone"}, "phone", "Give a phone number"),
    ],
)
def test_bad_self_referral_shows_field_errors_and_creates_nothing(
    care, client, overrides, field, message
):
    people, referrals, consents = (
        Beneficiary.objects.count(),
        Referral.objects.count(),
        Consent.objects.count(),
    )

    response = client.post(SELF_REFER, self_referral_post(care, **overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert Beneficiary.objects.count() == people
    assert Referral.objects.count() == referrals
    assert Consent.objects.count() == consents


def test_self_referral_is_rate_limited_per_address(care, client):
    for n in range(5):
        response = client.post(SELF_REFER, self_referral_post(care, first_name=f"Persona{n}"))
        assert response.status_code == 302
    before = Referral.objects.count()

    response = client.post(SELF_REFER, self_referral_post(care, first_name="Sesta"))

    assert response.status_code == 429
    assert "many requests from this connection" in response.content.decode()
    assert Referral.objects.count() == before
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(SELF_REFER, self_referral_post(care, first_name="Altra")).status_code == 302


def test_staff_cannot_self_refer_for_someone_else(care):
    client = signed_in(care["link_worker"])
    assert "work account" in client.get(SELF_REFER).content.decode()
    before = Referral.objects.count()
    assert client.post(SELF_REFER, self_referral_post(care)).status_code == 403
    assert Referral.objects.count() == before


# --- my data ------------------------------------------------------------------------------------
@pytest.fixture
def citizen_referral(care):
    """The citizen persona asked for help while signed in."""
    client = signed_in(care["citizen"])
    response = client.post(SELF_REFER, self_referral_post(care))
    assert response.status_code == 302
    return Referral.objects.get(beneficiary__user=care["citizen"])


def test_my_data_shows_only_the_citizens_own_record(care, citizen_referral):
    other = make_user(roles.CITIZEN, "altro.cittadino@test.legami.example")
    signed_in(other).post(
        SELF_REFER,
        self_referral_post(care, first_name="Ottavio", last_name="Neri", phone="333 999"),
    )
    assert Beneficiary.objects.filter(user=other).exists()

    response = signed_in(care["citizen"]).get(MY_DATA)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Giulia Bianchi" in page
    assert "Received" in page or "received" in page
    assert "Neri" not in page and "Ottavio" not in page
    assert "Rossi" not in page  # the prescriber's referral of someone else
    assert AuditEvent.objects.filter(
        action="view",
        actor=care["citizen"],
        object_type="referrals.beneficiary",
        object_id=str(citizen_referral.beneficiary_id),
    ).exists()


def test_citizen_without_a_record_is_invited_to_ask_for_help(care):
    response = signed_in(care["citizen"]).get(MY_DATA)
    assert response.status_code == 200
    assert SELF_REFER in response.content.decode()


def test_withdrawing_care_consent_closes_the_open_referral(care, citizen_referral):
    client = signed_in(care["citizen"])
    assert "Your open requests for help will be closed" in client.get(MY_DATA).content.decode()

    response = client.post(
        MY_CONSENT,
        {"purpose": "care", "action": "withdraw"},
        follow=True,
    )

    assert response.status_code == 200
    assert "You have withdrawn your consent" in response.content.decode()
    citizen_referral.refresh_from_db()
    assert citizen_referral.status == "closed"
    assert citizen_referral.closed_at is not None
    assert ReferralEvent.objects.filter(referral=citizen_referral, to_status="closed").exists()
    assert "care" not in services.active_consents(citizen_referral.beneficiary)

    # Giving it again works from the same page.
    client.post(MY_CONSENT, {"purpose": "care", "action": "give"})
    assert "care" in services.active_consents(citizen_referral.beneficiary)


def test_citizen_cannot_change_someone_elses_consent(care, citizen_referral):
    """The form names no record: a citizen's change reaches their own record only, whatever
    else is posted; a citizen without a record gets 404."""
    someone = care["referral"].beneficiary
    signed_in(care["citizen"]).post(
        MY_CONSENT, {"beneficiary": someone.pk, "purpose": "research", "action": "give"}
    )
    assert "research" not in services.active_consents(someone)
    assert "research" in services.active_consents(citizen_referral.beneficiary)
    stranger = make_user(roles.CITIZEN, "senza.scheda@test.legami.example")
    response = signed_in(stranger).post(
        MY_CONSENT, {"beneficiary": someone.pk, "purpose": "care", "action": "withdraw"}
    )
    assert response.status_code == 404
    assert "care" in services.active_consents(someone)


def test_withdrawing_a_consent_not_given_is_a_message(care, citizen_referral):
    response = signed_in(care["citizen"]).post(
        MY_CONSENT,
        {"purpose": "research", "action": "withdraw"},
        follow=True,
    )
    assert response.status_code == 200
    assert "no active consent" in response.content.decode()


def test_access_log_lists_the_link_workers_view_by_role(care, citizen_referral):
    audit(by=care["link_worker"], action="view", obj=citizen_referral, purpose="case detail")

    page = signed_in(care["citizen"]).get(MY_DATA).content.decode()

    assert "Who has looked at your data" in page
    assert "Link worker" in page
    assert "Case page" in page  # the purpose in words, not the code's "case detail"
    assert f"Referral no. {citizen_referral.pk}" in page
    assert care["link_worker"].email not in page


def test_who_saw_my_data_reads_italian(care, citizen_referral):
    from django.utils import translation

    audit(by=care["link_worker"], action="view", obj=citizen_referral, purpose="case detail")
    with translation.override("it"):
        page = signed_in(care["citizen"]).get(MY_DATA, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Chi ha guardato i tuoi dati" in page
    assert "Facilitatore" in page and "Pagina del caso" in page
    assert f"Invio n. {citizen_referral.pk}" in page
    assert "case detail" not in page


def test_my_export_downloads_the_persons_data(care, citizen_referral):
    response = signed_in(care["citizen"]).get(reverse("referrals:my_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["person"]["last_name"] == "Bianchi"
    assert [r["id"] for r in data["referrals"]] == [citizen_referral.pk]
    assert AuditEvent.objects.filter(action="export", actor=care["citizen"]).exists()


def test_my_export_holds_what_the_page_shows_not_the_staff_s_notes(care, citizen_referral):
    """The citizen's download follows what they read on "my data": what matters to them, yes;
    the case notes, known risks and staff e-mails, no (the DPO's export has them all)."""
    worker = care["link_worker"]
    services.referral_assign(by=worker, referrals=[citizen_referral], link_worker=worker)
    services.referral_transition(by=worker, referral=citizen_referral, to="contacted")
    services.referral_transition(
        by=worker, referral=citizen_referral, to="assessed", what_matters="Il coro del paese."
    )
    services.case_note_add(by=worker, referral=citizen_referral, text="Nota riservata.")
    audit(by=worker, action="view", obj=citizen_referral, purpose="case detail")
    body = signed_in(care["citizen"]).get(reverse("referrals:my_export")).content.decode()
    data = json.loads(body)
    (row,) = data["referrals"]
    assert row["what_matters"] == "Il coro del paese."
    assert row["notes"] == [] and "Nota riservata." not in body
    assert worker.email not in body
    assert any(e["who"] == "link worker" for e in data["access_log"])
    full = services.subject_export(by=care["dpo"], beneficiary=citizen_referral.beneficiary)
    assert full["referrals"][0]["notes"][0]["text"] == "Nota riservata."


def test_only_the_dpo_exports_someone_s_whole_record(care, citizen_referral):
    from django.core.exceptions import PermissionDenied

    for role in ("citizen", "link_worker", "prescriber"):
        with pytest.raises(PermissionDenied):
            services.subject_export(by=care[role], beneficiary=citizen_referral.beneficiary)


# --- provider -----------------------------------------------------------------------------------
def test_inbox_shows_the_minimum_and_contacts_only_with_consent(care):
    enrolment = enrolment_for(care)
    client = signed_in(care["provider"])

    page = client.get(INBOX).content.decode()

    assert "Maria" in page
    assert "Rossi" not in page
    assert "Vive sola" not in page
    assert "Caduta" not in page
    assert "RSSMRA" not in page
    assert "0564 000000" in page
    detail = client.get(reverse("referrals:enrolment", args=[enrolment.pk])).content.decode()
    assert "Maria" in detail and "0564 000000" in detail
    assert "Rossi" not in detail and "Vive sola" not in detail and "Caduta" not in detail
    assert AuditEvent.objects.filter(
        action="view", object_type="referrals.enrolment", object_id=str(enrolment.pk)
    ).exists()

    services.consent_withdraw(
        by=care["link_worker"], beneficiary=care["referral"].beneficiary, purpose="contact"
    )

    page = client.get(INBOX).content.decode()
    assert "Maria" in page
    assert "0564 000000" not in page
    detail = client.get(reverse("referrals:enrolment", args=[enrolment.pk])).content.decode()
    assert "0564 000000" not in detail


def test_provider_of_another_organisation_gets_404(care):
    enrolment = enrolment_for(care)
    stranger = make_user(roles.PROVIDER, "altro.ente@test.legami.example")
    Membership.objects.create(
        person=Person.objects.create(first_name="Al", last_name="Tro", user=stranger),
        organisation=care["outside_org"],
        role_title="Volontario",
    )
    client = signed_in(stranger)

    assert client.get(reverse("referrals:enrolment", args=[enrolment.pk])).status_code == 404
    response = client.post(
        reverse("referrals:enrolment_respond", args=[enrolment.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    assert "Maria" not in client.get(INBOX).content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "pending"


def test_decline_needs_a_reason_then_accept_works(care):
    enrolment = enrolment_for(care)
    client = signed_in(care["provider"])
    url = reverse("referrals:enrolment_respond", args=[enrolment.pk])

    response = client.post(url, {"decision": "decline", "reason": ""}, follow=True)

    assert "Say why you decline" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "pending"

    client.post(url, {"decision": "accept"})
    enrolment.refresh_from_db()
    assert enrolment.status == "accepted"
    assert enrolment.responded_by_label == care["provider"].email

    # A second answer is refused with a message, not a 500.
    response = client.post(url, {"decision": "decline", "reason": "pieno"}, follow=True)
    assert "already been answered" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "accepted"


def test_decline_with_a_reason(care):
    enrolment = enrolment_for(care)
    signed_in(care["provider"]).post(
        reverse("referrals:enrolment_respond", args=[enrolment.pk]),
        {"decision": "decline", "reason": "Il gruppo è al completo."},
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "declined"
    assert enrolment.decline_reason == "Il gruppo è al completo."


def test_attendance_in_the_future_is_refused(care):
    enrolment = enrolment_for(care)
    services.enrolment_respond(by=care["provider"], enrolment=enrolment, accept=True)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = signed_in(care["provider"]).post(
        reverse("referrals:attendance", args=[enrolment.pk]),
        {"session_date": tomorrow.isoformat(), "present": "1"},
        follow=True,
    )

    assert "has not happened yet" in response.content.decode()
    assert not Attendance.objects.exists()


def test_first_presence_moves_a_plan_agreed_referral_to_engaged(care):
    enrolment = enrolment_for(care)
    services.referral_transition(
        by=care["link_worker"], referral=care["referral"], to="plan_agreed", goals="Uscire."
    )
    services.enrolment_respond(by=care["provider"], enrolment=enrolment, accept=True)
    client = signed_in(care["provider"])

    response = client.post(
        reverse("referrals:attendance", args=[enrolment.pk]),
        {"session_date": timezone.localdate().isoformat(), "present": "1"},
        follow=True,
    )

    assert "Attendance recorded" in response.content.decode()
    line = Attendance.objects.get(enrolment=enrolment)
    assert line.present is True
    care["referral"].refresh_from_db()
    assert care["referral"].status == "engaged"


def test_inbox_query_count_does_not_grow_with_rows(care, django_assert_max_num_queries):
    enrolment_for(care)
    for n in range(4):
        referral = services.referral_create(
            by=care["prescriber"],
            person=person_data(
                care["arcidosso"], first_name=f"Nome{n}", tax_code="", phone=f"333{n}"
            ),
            consents=["care", "contact"] if n % 2 else ["care"],
        )
        enrolment_for(care, referral)
    client = signed_in(care["provider"])

    # one more than the rows' queries: the provider's activities, for their registers
    with django_assert_max_num_queries(9):
        response = client.get(INBOX)

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 5
    assert AuditEvent.objects.filter(action="list", object_type="referrals.enrolment").exists()


# --- territory administrator ---------------------------------------------------------------
def settings_post(**overrides):
    data = {
        "first_contact_working_days": 3,
        "provider_reminder_days": 2,
        "provider_return_days": 5,
        "weight_need": 5,
        "weight_distance": 4,
        "weight_schedule": 2,
        "weight_cost": 1,
        "weight_access": 3,
        "weight_language": 0,
        "weight_capacity": 1,
    }
    data.update(overrides)
    return data


def test_territory_admin_edits_settings_of_a_district_in_scope(care):
    client = signed_in(care["territory_admin"])
    listing = client.get(reverse("referrals:settings")).content.decode()
    assert "Amiata" in listing
    assert "Casalecchio" not in listing
    url = reverse("referrals:settings_edit", args=[care["district"].pk])
    assert client.get(url).status_code == 200

    response = client.post(url, settings_post())

    assert response.status_code == 302
    saved = ReferralSettings.objects.get(district=care["district"])
    assert saved.first_contact_working_days == 3
    assert saved.weight_language == 0
    assert AuditEvent.objects.filter(
        action="create", object_type="referrals.referralsettings"
    ).exists()
    # A new referral in the district follows the new service level.
    assert services.settings_for(care["arcidosso"]).first_contact_working_days == 3

    client.post(url, settings_post(first_contact_working_days=7))
    saved.refresh_from_db()
    assert saved.first_contact_working_days == 7


def test_district_outside_the_admins_scope_is_404(care):
    client = signed_in(care["territory_admin"])
    url = reverse("referrals:settings_edit", args=[care["outside_district"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, settings_post()).status_code == 404
    assert client.get(reverse("referrals:settings_edit", args=[999999])).status_code == 404
    assert not ReferralSettings.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_contact_working_days": 0}, "first_contact_working_days"),
        ({"provider_reminder_days": 5, "provider_return_days": 5}, "provider_return_days"),
        ({"weight_need": 11}, "weight_need"),
        ({"weight_cost": -1}, "weight_cost"),
    ],
)
def test_bad_settings_are_field_errors_and_nothing_is_saved(care, overrides, field):
    client = signed_in(care["territory_admin"])
    url = reverse("referrals:settings_edit", args=[care["district"].pk])

    response = client.post(url, settings_post(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ReferralSettings.objects.exists()


def test_settings_service_refuses_out_of_scope_and_bad_weights(care):
    from django.core.exceptions import PermissionDenied, ValidationError

    from legami.referrals.services.settings import referral_settings_save

    with pytest.raises(PermissionDenied):
        referral_settings_save(
            by=care["territory_admin"], district=care["outside_district"], weight_need=2
        )
    with pytest.raises(PermissionDenied):
        referral_settings_save(by=care["link_worker"], district=care["district"], weight_need=2)
    with pytest.raises(ValidationError):
        referral_settings_save(
            by=care["territory_admin"], district=care["district"], weight_need=11
        )
    assert not ReferralSettings.objects.exists()


# --- who may do what ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "name"),
    [
        (roles.PROVIDER, "referrals:my_data"),
        (roles.LINK_WORKER, "referrals:my_export"),
        (roles.CITIZEN, "referrals:inbox"),
        (roles.LINK_WORKER, "referrals:inbox"),
        (roles.CITIZEN, "referrals:settings"),
        (roles.LINK_WORKER, "referrals:settings"),
        (roles.PROVIDER, "referrals:settings"),
    ],
)
def test_roles_not_allowed_get_403(care, role, name):
    user = care["provider"] if role == roles.PROVIDER else None
    user = user or {roles.CITIZEN: care["citizen"], roles.LINK_WORKER: care["link_worker"]}[role]
    assert signed_in(user).get(reverse(name)).status_code == 403


def test_wrong_roles_get_403_on_objects_and_anonymous_signs_in(care, client):
    enrolment = enrolment_for(care)
    detail = reverse("referrals:enrolment", args=[enrolment.pk])
    edit = reverse("referrals:settings_edit", args=[care["district"].pk])
    assert signed_in(care["citizen"]).get(detail).status_code == 403
    assert signed_in(care["provider"]).get(edit).status_code == 403
    assert signed_in(care["provider"]).post(MY_CONSENT, {}).status_code == 403
    for url in (MY_DATA, INBOX, detail, reverse("referrals:settings")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_post_only_pages_refuse_get(care):
    enrolment = enrolment_for(care)
    client = signed_in(care["provider"])
    assert client.get(reverse("referrals:attendance", args=[enrolment.pk])).status_code == 405
    assert signed_in(care["citizen"]).get(MY_CONSENT).status_code == 405


def test_my_data_shows_the_plan_agreed_with_the_person(care, citizen_referral):
    worker = care["link_worker"]
    engage(care, citizen_referral)
    services.referral_transition(
        by=worker, referral=citizen_referral, to="plan_agreed", goals="Uscire due volte a settimana"
    )
    page = signed_in(care["citizen"]).get(MY_DATA).content.decode()
    assert "Your plan" in page
    assert "Stare con altre persone." in page  # what matters, as told to the link worker
    assert "Uscire due volte a settimana" in page


def test_my_data_shows_the_persons_own_goals_and_how_they_moved(care, citizen_referral):
    worker = care["link_worker"]
    engage(care, citizen_referral)
    goal = services.goal_add(
        by=worker, referral=citizen_referral, text="Conoscere i vicini", rating=2
    )
    services.goal_rate(by=worker, referral=citizen_referral, ratings={goal: 6})
    page = signed_in(care["citizen"]).get(MY_DATA).content.decode()
    assert "Conoscere i vicini" in page and "from 2 to 6 out of 10" in page


def test_the_provider_reads_their_own_decline_reason_never_the_link_workers_withdrawal(care):
    """A withdrawal's reason is the link worker's words about the person ("ricoverata"):
    another organisation's provider sees only that the enrolment was withdrawn."""
    enrolment = enrolment_for(care)
    services.enrolment_withdraw(
        by=care["link_worker"], enrolment=enrolment, reason="Ricoverata in ospedale"
    )
    page = (
        signed_in(care["provider"])
        .get(reverse("referrals:enrolment", args=[enrolment.pk]))
        .content.decode()
    )
    assert "Ricoverata" not in page
    second = services.referral_create(
        by=care["prescriber"],
        person=person_data(care["arcidosso"], tax_code="", first_name="Gina"),
        consents=["care"],
    )
    declined = enrolment_for(care, second)
    services.enrolment_respond(
        by=care["provider"], enrolment=declined, accept=False, reason="Gruppo al completo"
    )
    page = (
        signed_in(care["provider"])
        .get(reverse("referrals:enrolment", args=[declined.pk]))
        .content.decode()
    )
    assert "Gruppo al completo" in page


def test_a_provider_who_has_left_the_organisation_no_longer_reads_its_referrals(care):
    enrolment = enrolment_for(care)
    Membership.objects.filter(person__user=care["provider"]).update(
        end_date=timezone.localdate() - timedelta(days=1)
    )
    client = signed_in(care["provider"])
    assert client.get(reverse("referrals:enrolment", args=[enrolment.pk])).status_code == 404
    assert "Maria" not in client.get(reverse("referrals:inbox")).content.decode()
