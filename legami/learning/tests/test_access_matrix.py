"""Every training URL, as every role and as an anonymous visitor, against a declared matrix
(the project-wide test in core checks every URL has a line here or elsewhere)."""

import pytest
from django.urls import reverse

from legami.core.roles import ALL_ROLES
from legami.core.tests.test_access_matrix import ANON, EVERYONE, signed_in

EVERY_CALLER = [ANON, *ALL_ROLES]

MATRIX = {
    "learning:index": EVERYONE,
    "learning:archive": EVERYONE,
    "learning:session": EVERYONE,
    "learning:session_calendar": EVERYONE,
    # A person's own registrations: the superuser has none of their own to see.
    "learning:mine": {**signed_in({"citizen"}), "superuser": 403},
    "learning:manage": signed_in({"territory_admin"}),
    "learning:session_manage": signed_in({"territory_admin"}),
    "learning:session_cancel": dict.fromkeys(EVERY_CALLER, 405),
    "learning:registration_cancel": dict.fromkeys(EVERY_CALLER, 405),
    "api:learning-session-list": EVERYONE,
    "api:learning-session-detail": EVERYONE,
    # registering is a POST: a GET is no action of the policy
    "api:learning-session-register": dict.fromkeys(EVERY_CALLER, 403),
}


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_every_training_url_answers_each_role_as_declared(role, training_kwargs, client_for):
    client = client_for(None if role == ANON else role)
    wrong = []
    for name, expected in MATRIX.items():
        url = reverse(name, kwargs=training_kwargs.get(name, {}))
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{name} ({url}): {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)
