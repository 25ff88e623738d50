"""Every training URL written to as every role, with an empty body (see core/tests/write_matrix
for the rules), in the world of the read matrix."""

import pytest

from legami.core.tests.write_matrix import EVERY_CALLER, wrong_api_writes, wrong_posts

from .test_access_matrix import MATRIX

# the session page carries the registration form, open to anyone; the session's calendar
# (.ics) is read only, so it takes no write from anyone (405)
FORMS = {"learning:session", "learning:manage", "learning:session_manage"}
WRITES = {
    "learning:session_cancel": {"territory_admin", "superuser"},
    "learning:registration_cancel": {"territory_admin", "superuser"},
    # registering for training is open to anyone, with or without an account
    "api:learning-session-register": {"anonymous", *EVERY_CALLER},
}
API_WRITES: dict = {}


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_every_training_write_answers_each_role_as_declared(role, training_kwargs, client_for):
    client = client_for(None if role == "anonymous" else role)
    wrong = wrong_posts(
        client, role, MATRIX, WRITES, FORMS, lambda name: training_kwargs.get(name, {})
    )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_no_training_session_is_put_patched_or_deleted(role, training_kwargs, client_for):
    client = client_for(None if role == "anonymous" else role)
    details = [n for n in MATRIX if n.startswith("api:") and n.endswith("-detail")]
    wrong = wrong_api_writes(
        client, role, details, API_WRITES, lambda name: training_kwargs.get(name, {})
    )
    assert not wrong, "\n".join(wrong)
