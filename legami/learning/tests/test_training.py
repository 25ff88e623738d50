"""Training: a person registers for a session from the public page (places counted, one
registration per e-mail, closed when full or started, nothing saved on bad input, a
confirmation sent), the territory runs its sessions and records attendance, the API agrees."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from legami.core.tests.outbox import run_worker
from legami.learning import services
from legami.learning.models import Registration

pytestmark = pytest.mark.django_db

PERSON = {
    "first_name": "Giulia",
    "last_name": "Rossi",
    "email": "giulia.rossi@example.org",
    "organisation_name": "Comune di Arcidosso",
    "role": "Assistente sociale",
}


@pytest.fixture
def course(world, personas):
    return services.course_create(
        by=None,
        data={
            "title": "Welfare culturale e prescrizione sociale nelle aree interne",
            "programme": world["programme"],
            "audience": "Comuni, associazioni, operatori sociali e sanitari",
        },
    )


def _session(course, geography, *, capacity=2, days=10, **changes):
    starts = timezone.now() + timedelta(days=days)
    data = {
        "title": "Welfare culturale: strumenti, processi e metodi",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2, minutes=30),
        "comune": geography["arcidosso"],
        "address": "Castello Aldobrandesco",
        "capacity": capacity,
        **changes,
    }
    return services.session_create(by=None, course=course, data=data)


def test_a_person_registers_from_the_public_page(
    client, course, geography, django_capture_on_commit_callbacks
):
    session = _session(course, geography)
    listing = client.get(reverse("learning:index")).content.decode()
    assert course.title in listing and "2 places left" in listing
    url = reverse("learning:session", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves on commit
        response = client.post(url, {**PERSON, "privacy": "on"})
    assert response.status_code == 200 and "You are registered" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.email == PERSON["email"] and registration.user is None
    assert len(mail.outbox) == 1 and course.title in mail.outbox[0].subject
    assert "1 place left" in client.get(reverse("learning:index")).content.decode()

    no_privacy = client.post(url, {**PERSON, "email": "altro@example.org"})
    assert no_privacy.status_code == 400 and "Tick the box" in no_privacy.content.decode()
    bad_email = client.post(url, {**PERSON, "email": "non-una-mail", "privacy": "on"})
    assert bad_email.status_code == 400
    assert Registration.objects.count() == 1


def _page(response) -> str:
    # Each response carries its own masked CSRF token; everything else must be equal.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_repeated_registration_is_answered_as_a_new_one_and_told_by_email(
    client, course, geography, django_capture_on_commit_callbacks
):
    """Enumeration: the public form must not tell whoever types an address that its owner is
    registered. The answer is the one a new registration gets; the truth goes to the address."""
    session = _session(course, geography, capacity=5)
    url = reverse("learning:session", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(url, {**PERSON, "email": "nuova@example.org", "privacy": "on"})
        client.post(url, {**PERSON, "privacy": "on"})
    mail.outbox.clear()
    stranger = {**PERSON, "first_name": "Qualcuno", "email": " GIULIA.Rossi@example.org "}
    with django_capture_on_commit_callbacks(execute=True):
        repeated = client.post(url, {**stranger, "privacy": "on"})
    assert repeated.status_code == new.status_code == 200
    assert _page(repeated) == _page(new)
    assert "already registered" not in repeated.content.decode()
    # Nothing new is saved, nothing of the stranger's input reaches the record.
    assert Registration.objects.filter(email=PERSON["email"]).count() == 1
    assert Registration.objects.get(email=PERSON["email"]).first_name == "Giulia"
    assert Registration.objects.count() == 2
    [told] = mail.outbox
    assert told.to == [PERSON["email"]] and "Already registered" in told.subject
    assert "already registered for this session" in told.body and "Hello Giulia" in told.body

    api = reverse("api:learning-session-register", args=[session.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(api, {**PERSON, "email": email, "privacy": True}, "application/json")
            for email in ("altra@example.org", PERSON["email"])
        ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert Registration.objects.count() == 3
    assert ["Registration confirmed" in m.subject for m in mail.outbox] == [True, False]
    assert "already registered for this session" in mail.outbox[1].body


def test_full_or_started_sessions_refuse_and_cancelling_frees_a_place(client, course, geography):
    session = _session(course, geography, capacity=1)
    first = services.registration_create(by=None, session=session, data=PERSON)
    with pytest.raises(ValidationError, match="full"):
        services.registration_create(by=None, session=session, data={**PERSON, "email": "b@x.it"})
    page = client.get(reverse("learning:session", args=[session.pk])).content.decode()
    assert "The session is full" in page and "Register for this session" not in page
    services.registration_cancel(by=None, registration=first)
    services.registration_create(by=None, session=session, data={**PERSON, "email": "b@x.it"})
    past = _session(course, geography, days=-1)
    with pytest.raises(ValidationError, match="already started"):
        services.registration_create(by=None, session=past, data=PERSON)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"capacity": 0}, "capacity", "at least one place"),
        ({"comune": None, "online_url": "https://meet.example.org/x"}, "comune", "organises it"),
    ],
)
def test_bad_sessions_are_named_and_not_saved(course, geography, changes, field, words):
    with pytest.raises(ValidationError) as raised:
        _session(course, geography, **changes)
    assert any(words in m for m in raised.value.message_dict[field])
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError, match="end after it starts"):
        _session(course, geography, starts_at=starts, ends_at=starts - timedelta(hours=1))
    assert not course.sessions.exists()


def test_territory_admin_runs_sessions_and_records_attendance(client, course, geography, personas):
    admin = personas["territory_admin"]
    client.force_login(admin)
    starts = timezone.localtime() + timedelta(days=5)
    response = client.post(
        reverse("learning:manage"),
        {
            "course": course.pk,
            "title": "La prescrizione sociale",
            "starts_at": starts.strftime("%Y-%m-%dT10:00"),
            "ends_at": starts.strftime("%Y-%m-%dT13:00"),
            "comune": "053001",
            "address": "Castello",
            "capacity": "20",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = course.sessions.get()
    wrong = client.post(
        reverse("learning:manage"),
        {
            "course": course.pk,
            "title": "X",
            "starts_at": starts.strftime("%Y-%m-%dT10:00"),
            "ends_at": starts.strftime("%Y-%m-%dT13:00"),
            "comune": "999999",
            "capacity": "5",
        },
    )
    assert wrong.status_code == 400 and "No comune is called or has the ISTAT code" in wrong.text
    people = [
        services.registration_create(by=None, session=session, data={**PERSON, "email": e})
        for e in ("a@x.it", "b@x.it", "c@x.it")
    ]
    manage = reverse("learning:session_manage", args=[session.pk])
    page = client.get(manage).content.decode()
    assert "a@x.it" in page and "17 places left" in page
    refused = client.post(manage, {"present": [people[0].pk]}, follow=True)
    assert "once the session has started" in refused.content.decode()
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    client.post(manage, {"present": [people[0].pk, people[2].pk]})
    assert [r.attended for r in Registration.objects.order_by("email")] == [True, False, True]
    client.force_login(personas["link_worker"])
    assert client.get(manage).status_code == 403


def test_api_lists_coming_sessions_and_registers(client, course, geography):
    session = _session(course, geography, capacity=1)
    rows = client.get(reverse("api:learning-session-list")).json()["results"]
    assert rows[0]["places_left"] == 1 and rows[0]["comune"] == "Arcidosso"
    url = reverse("api:learning-session-register", args=[session.pk])
    unread = client.post(url, {**PERSON, "privacy": False}, content_type="application/json")
    assert unread.status_code == 400 and "Tick the box" in unread.content.decode()
    body = {**PERSON, "privacy": True}
    assert client.post(url, body, content_type="application/json").status_code == 201
    full = client.post(url, {**body, "email": "z@x.it"}, content_type="application/json")
    assert full.status_code == 400 and "full" in full.content.decode()
    assert client.get(reverse("api:learning-session-list")).json()["results"][0]["places_left"] == 0


race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@race
def test_the_last_places_go_to_exactly_as_many_people(course, geography, _audit_log_flushable):
    session = _session(course, geography, capacity=2)
    barrier = threading.Barrier(5)
    outcomes = [None] * 5

    def attempt(number):
        try:
            barrier.wait(timeout=10)
            outcomes[number] = services.registration_create(
                by=None, session=session, data={**PERSON, "email": f"p{number}@x.it"}
            )
        except Exception as error:  # noqa: BLE001 - reported below, never swallowed
            outcomes[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    won = [o for o in outcomes if isinstance(o, Registration)]
    lost = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(won) == 2 and len(lost) == 3, outcomes
    assert all("full" in " ".join(e.messages) for e in lost)
    assert Registration.objects.filter(session=session).count() == 2


def test_erasure_and_retention_keep_counts_but_not_identities(course, geography):
    from django.core.management import call_command

    old = _session(course, geography, days=1)
    recent = _session(course, geography, days=2)
    for session in (old, recent):
        services.registration_create(by=None, session=session, data=PERSON)
    services.registration_create(by=None, session=recent, data={**PERSON, "email": "b@x.it"})
    assert services.registrations_forget(by=None, email=" Giulia.Rossi@example.org ") == 2
    assert not Registration.objects.filter(email=PERSON["email"]).exists()
    assert recent.registrations.count() == 2  # the session's count is unchanged
    type(old).objects.filter(pk=recent.pk).update(
        starts_at=timezone.now() - timedelta(days=800), ends_at=timezone.now() - timedelta(days=799)
    )
    call_command("learning_retention")
    assert not Registration.objects.filter(email="b@x.it").exists()
    # Giulia's two registrations were erased together: still one person, under one stand-in
    assert Registration.objects.filter(first_name="—").values("email").distinct().count() == 2


def test_a_mail_server_down_does_not_undo_the_registration(
    client, course, geography, database_tasks, mail_server
):
    mail_server.down = True
    session = _session(course, geography)
    response = client.post(
        reverse("learning:session", args=[session.pk]), {**PERSON, "privacy": "on"}
    )
    assert response.status_code == 200 and "You are registered" in response.content.decode()
    registration = Registration.objects.get()
    run_worker()  # the server refuses: the confirmation waits for a retry
    assert mail_server.refused == 1 and mail.outbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert PERSON["email"] not in str(retry.args_kwargs)  # the queue holds ids only

    mail_server.down = False
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute later
    run_worker()
    assert [m.to for m in mail.outbox] == [[registration.email]]
    assert course.title in mail.outbox[0].subject and "Giulia" in mail.outbox[0].body


def test_people_trained_feed_the_competences_indicator(course, geography, world):
    from legami.outcomes.queries import indicators as queries_indicators
    from legami.outcomes.services import indicators as services_indicators

    first, second = _session(course, geography, capacity=5), _session(course, geography, days=12)
    for session, emails in ((first, ["a@x.it", "b@x.it", "c@x.it"]), (second, ["a@x.it"])):
        for email in emails:
            services.registration_create(by=None, session=session, data={**PERSON, "email": email})
    for session in (first, second):
        type(session).objects.filter(pk=session.pk).update(
            starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2)
        )
        session.refresh_from_db()
    attended = {r.email: r.pk for r in first.registrations.all()}
    services.attendance_record(
        by=None, session=first, present_ids={attended["a@x.it"], attended["b@x.it"]}
    )
    services.attendance_record(
        by=None, session=second, present_ids=set(second.registrations.values_list("pk", flat=True))
    )
    # a@x.it twice, b@x.it once, c@x.it absent: two people trained
    programme = world["programme"]
    assert queries_indicators.live_metric("training")(programme, timezone.localdate()) == 2
    indicator = services_indicators.indicator_create(
        by=None,
        data={
            "programme": programme,
            "area": "competences",
            "name": "Operatori formati",
            "metric": "training",
            "target_value": 30,
            "target_date": programme.start_date + timedelta(days=400),
        },
    )
    status = queries_indicators.indicator_status(indicator, programme)
    assert status["hidden"]  # 2 people: fewer than 5 are not shown


def test_the_management_page_opens_without_errors_shown(client, personas):
    client.force_login(personas["territory_admin"])
    page = client.get(reverse("learning:manage")).content.decode()
    assert "This field is required" not in page and "Add the course" in page


def test_a_territory_runs_only_its_own_sessions(client, course, geography, personas, world):
    from legami.conftest import make_user
    from legami.territory.models import Jurisdiction

    admin = personas["territory_admin"]  # Tuscany
    starts = timezone.now() + timedelta(days=4)
    data = {
        "title": "X",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "capacity": 5,
        "online_url": "https://meet.example.org/x",
    }
    with pytest.raises(Http404):
        services.session_create(
            by=admin, course=course, data={**data, "comune": geography["casalecchio"]}
        )
    elsewhere = services.session_create(
        by=None, course=course, data={**data, "comune": geography["casalecchio"]}
    )
    services.registration_create(by=None, session=elsewhere, data=PERSON)
    client.force_login(admin)
    assert client.get(reverse("learning:session_manage", args=[elsewhere.pk])).status_code == 404
    form = {**data, "course": course.pk, "comune": "037011"}  # Casalecchio, in Emilia
    form["starts_at"] = form["ends_at"] = starts.strftime("%Y-%m-%dT10:00")
    refused = client.post(reverse("learning:manage"), form)
    assert refused.status_code == 400 and "is not a comune of your territory" in refused.text
    assert "giulia.rossi" not in client.get(reverse("learning:manage")).content.decode()
    emilia = make_user("territory_admin", "territorio.emilia@test.legami.example")
    Jurisdiction.objects.create(user=emilia, comune=geography["casalecchio"])
    client.force_login(emilia)
    page = client.get(reverse("learning:session_manage", args=[elsewhere.pk])).content.decode()
    assert PERSON["email"] in page


@pytest.mark.shared_cache
def test_one_connection_cannot_fill_a_course(client, course, geography, monkeypatch):
    monkeypatch.setitem(services.RATE_LIMITS, "training:sent", 2)
    session = _session(course, geography, capacity=10)
    url = reverse("learning:session", args=[session.pk])
    for n in range(2):
        client.post(url, {**PERSON, "email": f"p{n}@x.it", "privacy": "on"})
    refused = client.post(url, {**PERSON, "email": "p9@x.it", "privacy": "on"})
    assert refused.status_code == 429 and "many registrations" in refused.content.decode()
    api = reverse("api:learning-session-register", args=[session.pk])
    body = {**PERSON, "email": "p8@x.it", "privacy": True}
    assert client.post(api, body, content_type="application/json").status_code == 429
    assert Registration.objects.count() == 2


def test_past_courses_stay_in_the_archive_with_their_sessions(client, course, geography):
    other = services.course_create(by=None, data={"title": "Cantiere di prescrizione sociale"})
    held = [_session(course, geography, days=-d, title=f"Incontro {d}") for d in (40, 20)]
    _session(other, geography, days=-60, title="Incontro del cantiere")
    _session(other, geography, days=5, title="Incontro a venire")
    index = client.get(reverse("learning:index")).text
    # The course held only in the past is not among the coming sessions, but is a click away.
    assert course.title not in index and "Incontro a venire" in index
    assert reverse("learning:archive") in index
    page = client.get(reverse("learning:archive")).text
    # Newest first: the course held 20 days ago, then the one held 60 days ago; its own
    # sessions newest first too; a session to come is not archived.
    assert page.index(course.title) < page.index(other.title)
    assert page.index("Incontro 20") < page.index("Incontro 40") < page.index("Incontro del")
    assert "Incontro a venire" not in page
    assert reverse("learning:session", args=[held[0].pk]) in page
    assert "already started" in client.get(reverse("learning:session", args=[held[0].pk])).text


def test_a_long_archive_is_paged_by_course(client, geography, monkeypatch):
    from legami.learning import views

    monkeypatch.setattr(views, "ARCHIVE_PAGE", 2)
    for n in range(3):
        course = services.course_create(by=None, data={"title": f"Corso {n}"})
        for days in (10 * n + 1, 10 * n + 2):
            _session(course, geography, days=-days, title=f"Incontro {n}-{days}")
    first = client.get(reverse("learning:archive")).text
    assert "Corso 0" in first and "Corso 1" in first and "Corso 2" not in first
    assert "Incontro 1-11" in first and "Incontro 1-12" in first  # a course is never split
    second = client.get(reverse("learning:archive"), {"page": 2}).text
    assert "Corso 2" in second and "Corso 0" not in second


def test_a_cancelled_session_tells_each_person_registered_and_takes_no_more(
    client, course, geography, personas, database_tasks
):
    from legami.core.models import AuditEvent

    session = _session(course, geography, capacity=5)
    emails = ["a@x.it", "b@x.it", "c@x.it"]
    people = [
        services.registration_create(by=None, session=session, data={**PERSON, "email": e})
        for e in emails
    ]
    services.registration_cancel(by=None, registration=people[2])  # no longer registered
    DBTaskResult.objects.all().delete()  # the confirmations
    client.force_login(personas["territory_admin"])
    manage = reverse("learning:session_manage", args=[session.pk])
    cancel = reverse("learning:session_cancel", args=[session.pk])
    assert cancel in client.get(manage).text
    no_reason = client.post(cancel, {"reason": " "}, follow=True)
    assert "Say why the session is cancelled" in no_reason.text
    assert not DBTaskResult.objects.exists()
    client.post(cancel, {"reason": "Il relatore è malato: l'incontro sarà rifissato."})
    session.refresh_from_db()
    assert session.is_cancelled and session.cancel_reason.startswith("Il relatore")
    assert AuditEvent.objects.filter(
        object_id=str(session.pk), purpose="training session cancelled"
    ).exists()
    # One e-mail queued per person still registered, in the transaction of the cancel.
    queued = list(DBTaskResult.objects.all())
    assert len(queued) == 2
    assert all("learning/emails/session_cancelled" in str(t.args_kwargs) for t in queued)
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.it", "b@x.it"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "Session cancelled" in mail.outbox[0].subject
    assert "Il relatore è malato" in mail.outbox[0].body

    client.logout()
    page = client.get(reverse("learning:session", args=[session.pk])).text
    assert "Session cancelled" in page and "Il relatore è malato" in page
    assert "Register for this session" not in page
    assert "cancelled" in client.get(reverse("learning:index")).text
    refused = client.post(
        reverse("learning:session", args=[session.pk]),
        {**PERSON, "email": "nuova@example.org", "privacy": "on"},
    )
    assert refused.status_code == 400 and "has been cancelled" in refused.text
    with pytest.raises(ValidationError, match="has been cancelled"):
        services.registration_create(by=None, session=session, data={**PERSON, "email": "z@x.it"})
    api = reverse("api:learning-session-register", args=[session.pk])
    body = {**PERSON, "email": "y@x.it", "privacy": True}
    assert client.post(api, body, content_type="application/json").status_code == 400
    assert not Registration.objects.filter(email__in=["nuova@example.org", "y@x.it"]).exists()
    with pytest.raises(ValidationError, match="already cancelled"):
        services.session_cancel(by=None, session=session, reason="Di nuovo")


def test_a_session_cancelled_then_rolled_back_tells_nobody(course, geography, database_tasks):
    from django.db import transaction

    session = _session(course, geography)
    services.registration_create(by=None, session=session, data=PERSON)
    DBTaskResult.objects.all().delete()
    with transaction.atomic():
        services.session_cancel(by=None, session=session, reason="Maltempo")
        assert DBTaskResult.objects.count() == 1
        transaction.set_rollback(True)
    assert not DBTaskResult.objects.exists()
    past = _session(course, geography, days=-1)
    with pytest.raises(ValidationError, match="already started"):
        services.session_cancel(by=None, session=past, reason="Troppo tardi")


def test_only_the_territory_of_the_comune_cancels_a_session(client, course, geography, personas):
    from legami.conftest import make_user
    from legami.territory.models import Jurisdiction

    session = _session(course, geography)
    cancel = reverse("learning:session_cancel", args=[session.pk])
    emilia = make_user("territory_admin", "territorio.emilia@test.legami.example")
    Jurisdiction.objects.create(user=emilia, comune=geography["casalecchio"])
    for user, status in ((personas["link_worker"], 403), (emilia, 404)):
        client.force_login(user)
        assert client.post(cancel, {"reason": "No"}).status_code == status
    session.refresh_from_db()
    assert not session.is_cancelled
    for user in (personas["territory_admin"], personas["superuser"]):
        other = _session(course, geography)
        client.force_login(user)
        url = reverse("learning:session_cancel", args=[other.pk])
        assert client.post(url, {"reason": "Maltempo"}).status_code == 302
        other.refresh_from_db()
        assert other.is_cancelled


@pytest.mark.parametrize("typed", ["Arcidosso", "arcidosso (gr)", "053001"])
def test_the_session_comune_is_typed_by_name(client, course, geography, personas, typed):
    client.force_login(personas["territory_admin"])
    starts = timezone.localtime() + timedelta(days=5)
    form = {
        "course": course.pk,
        "title": "La prescrizione sociale",
        "starts_at": starts.strftime("%Y-%m-%dT10:00"),
        "ends_at": starts.strftime("%Y-%m-%dT13:00"),
        "comune": typed,
        "capacity": "20",
    }
    assert client.post(reverse("learning:manage"), form).status_code == 302
    assert course.sessions.get().comune == geography["arcidosso"]


def test_seats_are_posti_and_the_comune_a_name_in_italian(client, personas):
    from django.utils import translation

    from legami.directory.models import Place
    from legami.learning.forms import SessionForm

    with translation.override("it"):
        assert str(SessionForm().fields["capacity"].label) == "Posti"
        assert str(Place._meta.verbose_name_plural) == "luoghi"  # the directory's, unchanged
    client.force_login(personas["territory_admin"])
    page = client.get(reverse("learning:manage")).text
    assert "Comune (ISTAT code)" not in page and "Arcidosso (GR)" in page


def test_the_confirmation_gives_the_address_and_a_calendar_event(client, course, geography):
    from datetime import UTC, datetime

    from icalendar import Calendar

    from legami.learning.models import TrainingSession

    session = _session(course, geography)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=datetime(2031, 3, 12, 9, 30, tzinfo=UTC),  # 10:30 in Rome
        ends_at=datetime(2031, 3, 12, 12, 0, tzinfo=UTC),
    )
    page = client.post(reverse("learning:session", args=[session.pk]), {**PERSON, "privacy": "on"})
    assert page.status_code == 200
    assert "Castello Aldobrandesco, Arcidosso" in page.text and "10:30" in page.text
    ics_url = reverse("learning:session_calendar", args=[session.pk])
    assert ics_url in page.text

    response = client.get(ics_url)
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20310312T093000Z" in text and "DTEND:20310312T120000Z" in text
    assert re.search(r"^DTSTAMP:\d{8}T\d{6}Z\r$", text, re.M)
    assert "VTIMEZONE" not in text and "TZID" not in text
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == f"{course.title}: {session.title}"
    assert str(event["location"]) == "Castello Aldobrandesco, Arcidosso"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["uid"]) == f"training-session-{session.pk}@legami"
    assert str(event["url"]).endswith(reverse("learning:session", args=[session.pk]))

    services.session_cancel(by=None, session=session, reason="Maltempo")
    [cancelled] = Calendar.from_ical(client.get(ics_url).content).walk("VEVENT")
    assert str(cancelled["status"]) == "CANCELLED"


def test_an_online_session_keeps_its_link_out_of_the_public_calendar(client, course, geography):
    session = _session(course, geography, address="", online_url="https://meet.example.org/x")
    text = client.get(reverse("learning:session_calendar", args=[session.pk])).text
    assert "LOCATION:online" in text and "meet.example.org" not in text
