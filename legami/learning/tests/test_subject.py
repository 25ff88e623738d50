"""Training registrations belong to the person's data: in their export (only what is certainly
theirs), in the DPO's erasure (every registration under their addresses), and every reading of
a session's registrations is logged, one row per registration."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from legami.core.models import AuditEvent
from legami.learning import services
from legami.learning.models import Registration
from legami.learning.queries import people_trained
from legami.referrals import services as referrals
from legami.referrals.models import Beneficiary

pytestmark = pytest.mark.django_db

RECORD_EMAIL = "maria.rossi@example.org"
ACCOUNT_EMAIL = "citizen@test.legami.example"  # the citizen persona's address


@pytest.fixture
def sessions(care):
    course = services.course_create(
        by=None, data={"title": "Welfare culturale", "programme": care["programme"]}
    )

    def session(days):
        starts = timezone.now() + timedelta(days=days)
        return services.session_create(
            by=None,
            course=course,
            data={
                "title": f"Incontro {days}",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "comune": care["arcidosso"],
                "capacity": 20,
            },
        )

    return [session(days) for days in (3, 4, 5)]


def register(session, email, *, by=None, first_name="Maria", last_name="Rossi"):
    return services.registration_create(
        by=by,
        session=session,
        data={
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "organisation_name": "Parrocchia",
            "role": "Volontaria",
        },
    )


def person_with_email(care, email=RECORD_EMAIL) -> Beneficiary:
    person = care["referral"].beneficiary
    Beneficiary.objects.filter(pk=person.pk).update(email=email)
    person.refresh_from_db()
    return person


def test_without_an_account_the_dpo_export_holds_the_registrations_of_the_records_email(
    care, sessions
):
    person = person_with_email(care)
    register(sessions[0], RECORD_EMAIL)
    register(sessions[1], "someone.else@example.org", first_name="Altra")
    data = referrals.subject_export(by=care["dpo"], beneficiary=person)
    (registration,) = data["training"]
    assert registration["email"] == RECORD_EMAIL and registration["session"] == "Incontro 3"
    assert registration["organisation"] == "Parrocchia" and registration["status"] == "confirmed"


def test_with_an_account_the_export_holds_only_what_is_certainly_theirs(care, sessions):
    """A record's e-mail is typed by whoever referred the person: it does not prove that a
    registration under it is theirs when they read their own export."""
    person = person_with_email(care)
    citizen = care["citizen"]
    Beneficiary.objects.filter(pk=person.pk).update(user=citizen)
    person.refresh_from_db()
    # make_user confirmed the persona's address, as sign-up does.
    mine_by_address = register(sessions[0], ACCOUNT_EMAIL)
    mine_by_account = register(sessions[1], "other.address@example.org", by=citizen)
    register(sessions[2], RECORD_EMAIL)  # maybe theirs, maybe not

    data = referrals.own_export(by=citizen, beneficiary=person)

    assert {r["email"] for r in data["training"]} == {
        mine_by_address.email,
        mine_by_account.email,
    }


def test_an_unverified_account_address_proves_nothing(care, sessions):
    person = care["referral"].beneficiary
    citizen = care["citizen"]
    Beneficiary.objects.filter(pk=person.pk).update(user=citizen)
    person.refresh_from_db()
    EmailAddress.objects.filter(user=citizen, email=ACCOUNT_EMAIL).update(verified=False)
    register(sessions[0], ACCOUNT_EMAIL)
    assert referrals.own_export(by=citizen, beneficiary=person)["training"] == []


def test_erasure_forgets_every_registration_under_the_persons_addresses(care, sessions):
    person = person_with_email(care)
    citizen = care["citizen"]
    Beneficiary.objects.filter(pk=person.pk).update(user=citizen)
    person.refresh_from_db()
    by_record = register(sessions[0], RECORD_EMAIL)
    by_account = register(sessions[1], ACCOUNT_EMAIL)
    by_login = register(sessions[2], "third.address@example.org", by=citizen)
    stranger = register(sessions[0], "stranger@example.org", first_name="Estranea")
    Registration.objects.filter(pk__in=[by_record.pk, by_account.pk]).update(attended=True)
    trained = people_trained(care["programme"], timezone.localdate() + timedelta(days=10))

    referrals.subject_erase(by=care["dpo"], beneficiary=person, reason="prot. 2026/44")

    for registration in (by_record, by_account, by_login):
        registration.refresh_from_db()
        assert registration.first_name == "—" and registration.last_name == "—"
        assert registration.email.endswith("@invalid") and registration.user is None
        assert registration.organisation_name == "" and registration.role == ""
    stranger.refresh_from_db()
    assert stranger.first_name == "Estranea" and stranger.email == "stranger@example.org"
    # Attendance counts stay right: the person still counts, only their identity is gone.
    assert people_trained(care["programme"], timezone.localdate() + timedelta(days=10)) == (trained)


def test_reading_a_sessions_registrations_names_each_registration(client, care, sessions):
    from legami.territory.models import Jurisdiction

    admin = care["territory_admin"]
    assert Jurisdiction.objects.filter(user=admin).exists()
    people = [register(sessions[0], f"persona{n}@example.org") for n in range(4)]
    client.force_login(admin)
    page = client.get(reverse("learning:session_manage", args=[sessions[0].pk]))
    assert page.status_code == 200 and "persona3@example.org" in page.content.decode()
    logged = AuditEvent.objects.filter(actor=admin, purpose="training registrations")
    assert set(logged.values_list("object_type", "object_id")) == {
        ("learning.registration", str(p.pk)) for p in people
    }
    assert all("Rossi" not in e.object_repr for e in logged)
