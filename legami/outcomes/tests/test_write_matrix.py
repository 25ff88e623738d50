"""Every impact-measurement URL written to as every role, with an empty body (see
core/tests/write_matrix for the rules), in the world of the read matrix."""

import pytest

from legami.core.tests.write_matrix import EVERY_CALLER, wrong_api_writes, wrong_posts
from legami.referrals.tests.conftest import engage

from .test_access_matrix import MATRIX, _kwargs

SU = "superuser"
MEASURERS = {"territory_admin", "evaluator", SU}
# The programme's own administration defines indicators, records readings and keeps the SROI
# analyses; the evaluator reads them.
ADMIN = {"territory_admin", SU}
WORKER = {"link_worker", SU}

FORMS = {
    "outcomes:evidence",
    "outcomes:questionnaires",
    "outcomes:questionnaire",
    "outcomes:surveys",
    # an open event-feedback form: anyone who took part answers, without an account
    "outcomes_public:feedback",
}

WRITES = {
    "outcomes:code_add": MEASURERS,
    "outcomes:section_add": MEASURERS,
    "outcomes:item_add": MEASURERS,
    "outcomes:publish": MEASURERS,
    "outcomes:copy": MEASURERS,
    "outcomes:item_remove": MEASURERS,
    "outcomes:item_move": MEASURERS,
    "outcomes:sroi_list": ADMIN,
    "outcomes:sroi_detail": ADMIN,
    "outcomes:sroi_outcome_remove": ADMIN,
    "outcomes:organisations": ADMIN,
    "outcomes:reading_add": ADMIN,
    # the superuser belongs to no organisation: no survey asks them
    "outcomes:survey_answer": {"provider"},
    "outcomes:record": WORKER,
    "outcomes:link_create": WORKER,
    "api:outcomes-response-list": WORKER,
    "api:outcomes-survey-answer": {"provider", SU},
}

API_WRITES: dict = {}


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_every_outcomes_write_answers_each_role_as_declared(role, care, client_for):
    referral = engage(care)
    client = client_for(None if role == "anonymous" else role)
    wrong = wrong_posts(client, role, MATRIX, WRITES, FORMS, lambda name: _kwargs(name, referral))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_no_survey_or_questionnaire_is_put_patched_or_deleted(role, care, client_for):
    referral = engage(care)
    client = client_for(None if role == "anonymous" else role)
    details = [n for n in MATRIX if n.startswith("api:") and n.endswith("-detail")]
    wrong = wrong_api_writes(
        client, role, details, API_WRITES, lambda name: _kwargs(name, referral)
    )
    assert not wrong, "\n".join(wrong)
