"""The provider's register of one session: everyone enrolled on one page, present, absent or
excused, saved together; a date the activity's timetable does not hold, or still to come, is
refused and nothing is saved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from legami.conftest import make_user
from legami.core.models import AuditEvent
from legami.directory import queries as directory
from legami.directory.models import Activity
from legami.network.models import Membership, Person
from legami.referrals import services
from legami.referrals.models import Attendance, Enrolment

from .conftest import engage, person_data


def last_tuesday() -> date:
    """The walking group meets on Tuesdays (the shared world's schedule)."""
    today = timezone.localdate()
    return today - timedelta(days=(today.weekday() - 1) % 7 or 7)


def enrol(care, n: int) -> list[Enrolment]:
    """`n` people accepted into the walking group, referred a month ago."""
    enrolments = []
    for i in range(n):
        referral = (
            care["referral"]
            if i == 0
            else services.referral_create(
                by=care["prescriber"],
                person=person_data(
                    care["arcidosso"], first_name=f"Nome{i}", tax_code="", phone=f"333{i}"
                ),
                consents=["care"],
            )
        )
        enrolment = services.enrolment_create(
            by=care["link_worker"], referral=engage(care, referral), activity=care["activity"]
        )
        services.enrolment_respond(by=care["provider"], enrolment=enrolment, accept=True)
        enrolments.append(enrolment)
    Enrolment.objects.update(sent_at=timezone.now() - timedelta(days=30))
    return enrolments


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(care) -> str:
    return reverse("referrals:register", args=[care["activity"].pk])


def post(care, day: date, marks: dict) -> dict:
    data = {"session_date": day.isoformat()}
    data.update({f"mark-{pk}": status for pk, status in marks.items()})
    return data


def test_the_walking_group_meets_on_tuesdays_and_not_on_its_days_off(care):
    tuesday = last_tuesday()
    assert directory.meets_on(care["activity"], tuesday)
    assert not directory.meets_on(care["activity"], tuesday - timedelta(days=1))
    care["schedule"].exceptions.create(date=tuesday, reason="Festa del patrono")
    assert not directory.meets_on(Activity.objects.get(pk=care["activity"].pk), tuesday)
    assert directory.meets_on(care["outside_activity"], tuesday - timedelta(days=1))  # no timetable


def test_the_register_marks_everyone_of_one_session_at_once(care):
    one, two, three = enrol(care, 3)
    tuesday = last_tuesday()
    client = signed_in(care["provider"])

    page = client.get(url(care))
    assert page.status_code == 200
    assert page.context["day"] == tuesday  # the latest session held
    html = page.content.decode()
    for name in ("Maria", "Nome1", "Nome2"):
        assert name in html
    assert f'value="{tuesday.isoformat()}"' in html

    response = client.post(
        url(care),
        post(care, tuesday, {one.pk: "present", two.pk: "absent", three.pk: "excused"}),
        follow=True,
    )

    assert "people marked" in response.content.decode()
    lines = {a.enrolment_id: a for a in Attendance.objects.filter(session_date=tuesday)}
    assert {pk: (a.status, a.present) for pk, a in lines.items()} == {
        one.pk: ("present", True),
        two.pk: ("absent", False),
        three.pk: ("excused", False),
    }
    written = AuditEvent.objects.filter(purpose="attendance", action="update")
    assert {int(e.object_id) for e in written} == {one.pk, two.pk, three.pk}
    assert all(e.person_id for e in written)

    # Opened again, the register shows what was marked; marked again, the line changes.
    again = client.get(f"{url(care)}?date={tuesday.isoformat()}").context["form"]
    assert again[f"mark-{three.pk}"].value() == "excused"
    assert "checked" in str(again[f"mark-{three.pk}"])
    client.post(url(care), post(care, tuesday, {three.pk: "present"}))
    assert Attendance.objects.get(enrolment=three, session_date=tuesday).status == "present"
    assert Attendance.objects.filter(session_date=tuesday).count() == 3


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (lambda: last_tuesday() - timedelta(days=1), "has no session on"),
        (lambda: last_tuesday() + timedelta(days=7), "has not happened yet"),
    ],
)
def test_a_date_off_the_timetable_or_to_come_is_refused_and_nothing_saved(care, day, message):
    one, two = enrol(care, 2)
    response = signed_in(care["provider"]).post(
        url(care), post(care, day(), {one.pk: "present", two.pk: "absent"})
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Session date" in html  # the message names the field
    assert not Attendance.objects.exists()


def test_opening_a_day_without_a_session_says_so(care):
    enrol(care, 1)
    monday = last_tuesday() - timedelta(days=1)
    page = signed_in(care["provider"]).get(f"{url(care)}?date={monday.isoformat()}")
    assert page.status_code == 200
    assert "has no session on" in page.content.decode()


def test_the_service_refuses_without_saving_a_line(care):
    one, two = enrol(care, 2)
    provider, activity = care["provider"], care["activity"]
    monday = last_tuesday() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.register_save(
            by=provider, activity=activity, session_date=monday, marks={one.pk: "present"}
        )
    assert "session_date" in refused.value.message_dict
    # One person not on this register spoils the whole save: nobody is marked.
    with pytest.raises(ValidationError) as refused:
        services.register_save(
            by=provider,
            activity=activity,
            session_date=last_tuesday(),
            marks={one.pk: "present", two.pk: "maybe"},
        )
    assert "marks" in refused.value.message_dict
    stranger = enrol_elsewhere(care)
    with pytest.raises(ValidationError):
        services.register_save(
            by=provider,
            activity=activity,
            session_date=last_tuesday(),
            marks={one.pk: "present", stranger.pk: "present"},
        )
    assert not Attendance.objects.exists()


def enrol_elsewhere(care) -> Enrolment:
    """An enrolment of someone in another activity (of the same organisation)."""
    from legami.directory import services as directory_services

    other = directory_services.activity_create(
        by=None,
        organisation=care["association"],
        place=care["place"],
        name="Coro",
        description="Si canta.",
    )
    directory_services.activity_set_status(by=None, activity=other, status="published")
    referral = services.referral_create(
        by=care["prescriber"],
        person=person_data(care["arcidosso"], first_name="Altra", tax_code="", phone="3339"),
        consents=["care"],
    )
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=engage(care, referral), activity=other
    )
    services.enrolment_respond(by=care["provider"], enrolment=enrolment, accept=True)
    return enrolment


def test_another_organisations_provider_gets_404(care):
    (one,) = enrol(care, 1)
    stranger = make_user("provider", "altro.ente@test.legami.example")
    Membership.objects.create(
        person=Person.objects.create(first_name="Al", last_name="Tro", user=stranger),
        organisation=care["outside_org"],
        role_title="Referente",
    )
    client = signed_in(stranger)

    assert client.get(url(care)).status_code == 404
    assert (
        client.post(url(care), post(care, last_tuesday(), {one.pk: "present"})).status_code == 404
    )
    with pytest.raises(Http404):
        services.register_save(
            by=stranger,
            activity=care["activity"],
            session_date=last_tuesday(),
            marks={one.pk: "present"},
        )
    assert not Attendance.objects.exists()


def test_the_register_is_linked_from_the_inbox_and_the_enrolment(care):
    (one,) = enrol(care, 1)
    client = signed_in(care["provider"])
    for page in (reverse("referrals:inbox"), reverse("referrals:enrolment", args=[one.pk])):
        assert url(care) in client.get(page).content.decode(), page


def test_first_presence_on_the_register_engages_a_plan_agreed_referral(care):
    (one,) = enrol(care, 1)
    services.referral_transition(
        by=care["link_worker"], referral=care["referral"], to="plan_agreed", goals="Uscire."
    )
    services.register_save(
        by=care["provider"],
        activity=care["activity"],
        session_date=last_tuesday(),
        marks={one.pk: "present"},
    )
    care["referral"].refresh_from_db()
    assert care["referral"].status == "engaged"


@pytest.mark.parametrize("people", [1, 6])
def test_the_register_page_costs_the_same_queries_for_one_or_many(
    care, people, django_assert_max_num_queries
):
    enrolments = enrol(care, people)
    for e in enrolments[:2]:
        services.register_save(
            by=care["provider"],
            activity=care["activity"],
            session_date=last_tuesday(),
            marks={e.pk: "present"},
        )
    client = signed_in(care["provider"])

    # session, user, 2FA, activity, schedules, exceptions, people, their marks, the walk-ins
    # counted, the log, notifications
    with django_assert_max_num_queries(11):
        response = client.get(url(care))

    assert response.status_code == 200
    assert len(response.context["form"].rows) == people


# --- walk-ins: people who came without a referral, counted, never named ----------------------
def test_walk_ins_are_counted_with_the_register_and_shown_again(care):
    (one,) = enrol(care, 1)
    tuesday = last_tuesday()
    client = signed_in(care["provider"])
    data = {**post(care, tuesday, {one.pk: "present"}), "walk_ins": "4"}
    response = client.post(url(care), data, follow=True)
    assert "4 people without a referral" in response.content.decode()
    assert services.session_walk_ins(care["activity"], tuesday) == 4
    # Corrected later: the same session keeps one count.
    client.post(url(care), {**data, "walk_ins": "3"})
    assert services.session_walk_ins(care["activity"], tuesday) == 3
    page = client.get(url(care), {"date": tuesday.isoformat()})
    assert 'name="walk_ins" value="3"' in page.content.decode()
    assert AuditEvent.objects.filter(purpose="walk-ins counted").count() == 2


def test_a_session_with_only_walk_ins_is_recorded(care):
    tuesday = last_tuesday()
    services.register_save(
        by=care["provider"], activity=care["activity"], session_date=tuesday, marks={}, walk_ins=2
    )
    assert services.session_walk_ins(care["activity"], tuesday) == 2
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("bad", ["-1", "501", "tre", "2.5"])
def test_a_wrong_number_of_walk_ins_is_refused_and_nothing_is_saved(care, bad):
    (one,) = enrol(care, 1)
    tuesday = last_tuesday()
    response = signed_in(care["provider"]).post(
        url(care), {**post(care, tuesday, {one.pk: "present"}), "walk_ins": bad}
    )
    assert response.status_code == 200
    assert "People who came without a referral" in response.content.decode()
    assert response.context["form"].errors["walk_ins"]
    assert not Attendance.objects.exists()
    assert services.session_walk_ins(care["activity"], tuesday) is None


def test_walk_ins_follow_the_register_rules(care):
    tuesday = last_tuesday()
    with pytest.raises(ValidationError):  # not a session of the walking group
        services.register_save(
            by=care["provider"],
            activity=care["activity"],
            session_date=tuesday - timedelta(days=1),
            marks={},
            walk_ins=2,
        )
    with pytest.raises(ValidationError, match="0 to 500"):
        services.register_save(
            by=care["provider"], activity=care["activity"], session_date=tuesday, marks={},
            walk_ins=True,
        )
    with pytest.raises(Http404):  # another organisation's activity
        services.register_save(
            by=care["provider"],
            activity=care["outside_activity"],
            session_date=tuesday,
            marks={},
            walk_ins=2,
        )
