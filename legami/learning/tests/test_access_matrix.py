"""Every training URL, as every role and as an anonymous visitor, against a declared matrix
(the project-wide test in core checks every URL has a line here or elsewhere)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from legami.core.roles import ALL_ROLES
from legami.core.tests.test_access_matrix import ANON, EVERYONE, signed_in
from legami.learning import services

EVERY_CALLER = [ANON, *ALL_ROLES]

MATRIX = {
    "learning:index": EVERYONE,
    "learning:session": EVERYONE,
    "learning:manage": signed_in({"territory_admin"}),
    "learning:session_manage": signed_in({"territory_admin"}),
    "learning:registration_cancel": dict.fromkeys(EVERY_CALLER, 405),
    "api:learning-session-list": EVERYONE,
    "api:learning-session-detail": EVERYONE,
    # registering is a POST: a GET is no action of the policy
    "api:learning-session-register": dict.fromkeys(EVERY_CALLER, 403),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", EVERY_CALLER)
def test_every_training_url_answers_each_role_as_declared(role, world, geography, client_for):
    course = services.course_create(by=None, data={"title": "Corso"})
    starts = timezone.now() + timedelta(days=3)
    session = services.session_create(
        by=None,
        course=course,
        data={
            "title": "Incontro",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "comune": geography["arcidosso"],
            "capacity": 10,
        },
    )
    registration = services.registration_create(
        by=None,
        session=session,
        data={"first_name": "A", "last_name": "B", "email": "a@b.it"},
    )
    kwargs = {
        "learning:session": {"pk": session.pk},
        "learning:session_manage": {"pk": session.pk},
        "learning:registration_cancel": {"pk": registration.pk},
        "api:learning-session-detail": {"pk": session.pk},
        "api:learning-session-register": {"pk": session.pk},
    }
    client = client_for(None if role == ANON else role)
    wrong = []
    for name, expected in MATRIX.items():
        url = reverse(name, kwargs=kwargs.get(name, {}))
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{name} ({url}): {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)
