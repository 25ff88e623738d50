"""Every write service of training checks, itself, who may do it: called directly with each
persona, it succeeds, refuses the role (PermissionDenied, a 403) or does not find the session
outside the persona's territory (Http404); `by=None`, the system, may do everything."""

from datetime import timedelta

import pytest
from django.utils import timezone

from legami.core import roles
from legami.core.tests.service_permissions import as_every_persona, expected, outcome
from legami.learning import services

TA, DPO, SU = roles.TERRITORY_ADMIN, roles.DPO, roles.SUPERUSER
EVERYONE = {roles.ANONYMOUS, *roles.ALL_ROLES}
PERSON = {"first_name": "Giulia", "last_name": "Rossi", "email": "giulia@example.org"}


def _session_data(comune, days=3):
    starts = timezone.now() + timedelta(days=days)
    return {
        "title": "Incontro",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "comune": comune,
        "capacity": 10,
    }


def _started(t, key):
    session = t[key]
    session.starts_at = timezone.now() - timedelta(hours=1)
    session.save(update_fields=["starts_at"])
    return session


# name: (call(training, by), roles allowed, roles that get 404)
# Roles neither allowed nor 404 get PermissionDenied. The superuser is always allowed.
CASES = {
    "course_create": (
        lambda t, by: services.course_create(by=by, data={"title": "Welfare culturale"}),
        {TA},
        set(),
    ),
    "session_create": (
        lambda t, by: services.session_create(
            by=by, course=t["course"], data=_session_data(t["arcidosso"])
        ),
        {TA},
        set(),
    ),
    "session_create elsewhere": (
        lambda t, by: services.session_create(
            by=by, course=t["course"], data=_session_data(t["casalecchio"])
        ),
        set(),
        {TA},
    ),
    # the public form: anyone, with or without an account
    "registration_create": (
        lambda t, by: services.registration_create(
            by=by, session=t["session"], data={**PERSON, "email": "nuova@example.org"}
        ),
        EVERYONE,
        set(),
    ),
    "registration_cancel": (
        lambda t, by: services.registration_cancel(by=by, registration=t["registration"]),
        {TA},
        set(),
    ),
    "registration_cancel elsewhere": (
        lambda t, by: services.registration_cancel(by=by, registration=t["outside_registration"]),
        set(),
        {TA},
    ),
    "session_cancel": (
        lambda t, by: services.session_cancel(by=by, session=t["session"], reason="Maltempo"),
        {TA},
        set(),
    ),
    "session_cancel elsewhere": (
        lambda t, by: services.session_cancel(
            by=by, session=t["outside_session"], reason="Maltempo"
        ),
        set(),
        {TA},
    ),
    "attendance_record": (
        lambda t, by: services.attendance_record(
            by=by, session=_started(t, "session"), present_ids={t["registration"].pk}
        ),
        {TA},
        set(),
    ),
    "attendance_record elsewhere": (
        lambda t, by: services.attendance_record(
            by=by, session=_started(t, "outside_session"), present_ids=set()
        ),
        set(),
        {TA},
    ),
    "registrations_forget": (
        lambda t, by: services.registrations_forget(by=by, email=PERSON["email"]),
        {DPO},
        set(),
    ),
}
# The system's own jobs: no `by`, no one else calls them.
SYSTEM_ONLY = {"registrations_expire"}


@pytest.fixture
def training(world, geography):
    course = services.course_create(by=None, data={"title": "Corso"})
    session = services.session_create(
        by=None, course=course, data=_session_data(geography["arcidosso"])
    )
    outside = services.session_create(
        by=None, course=course, data=_session_data(geography["casalecchio"])
    )
    return {
        **geography,
        "course": course,
        "session": session,
        "outside_session": outside,
        "registration": services.registration_create(by=None, session=session, data=PERSON),
        "outside_registration": services.registration_create(by=None, session=outside, data=PERSON),
    }


def test_every_write_service_is_in_the_table():
    written = {name.split(" ")[0] for name in CASES}
    public = {
        name
        for name, value in vars(services).items()
        if callable(value)
        and getattr(value, "__module__", None) == services.__name__
        and not name.startswith("_")
        and name != "places_left"  # a count, not a write
    }
    assert written | SYSTEM_ONLY == public


@pytest.mark.django_db
@pytest.mark.parametrize("name", CASES)
def test_each_persona_calling_the_service_directly(name, training, personas):
    call, allowed, hidden = CASES[name]
    assert as_every_persona(call, personas, training) == expected(allowed, hidden)
    assert outcome(call, training, None) == "allowed"  # the system
