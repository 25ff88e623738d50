"""Every social-prescribing URL written to as every role, with an empty body (see
core/tests/write_matrix for the rules), in the world of the read matrix."""

import pytest

from legami.core.tests.write_matrix import EVERY_CALLER, wrong_api_writes, wrong_posts

from .test_access_matrix import MATRIX, _kwargs

SU = "superuser"
PRESCRIBER = {"prescriber", SU}
WORKER = {"link_worker", SU}
PROVIDER = {"provider", SU}
CITIZEN = {"citizen", SU}
# Comparing and merging records is the territory's link worker's own act: not the superuser's.
MERGER = {"link_worker"}
# The referrer or the worker links an account to a record, after checking who the person is.
LINKERS = {"prescriber", "link_worker", SU}

FORMS = {
    "referrals:create",
    "referrals:my_record_link",
    "referrals:dpo",  # the DPO's search of a person, sent by POST
    "referrals:dpo_erase",
    "referrals:settings_edit",
    "referrals:register",  # a session's register, saved by whoever may open it
}

WRITES = {
    "referrals:assign": WORKER,
    "referrals:transition": WORKER,
    "referrals:note_add": WORKER,
    "referrals:consent": WORKER,
    "referrals:programme": WORKER,
    "referrals:enrol": WORKER,
    "referrals:enrolment_withdraw": WORKER,
    # the person's goals: added, rated again, set aside by whoever works on the case
    "referrals:goal_add": WORKER,
    "referrals:goals_rate": WORKER,
    "referrals:goal_remove": WORKER,
    "referrals:duplicate_merge": MERGER,
    "referrals:duplicate_dismiss": MERGER,
    "referrals:link_account": LINKERS,
    "referrals:my_record_code": CITIZEN,
    "referrals:my_consent": CITIZEN,
    # the public form: a visitor or a citizen refers themself; staff refer through their pages
    "referrals:self_refer": {"anonymous", "citizen"},
    "referrals:enrolment_respond": PROVIDER,
    "referrals:attendance": PROVIDER,
    "api:api-referral-list": PRESCRIBER,
    "api:api-referral-assign": WORKER,
    "api:api-referral-transition": WORKER,
    "api:api-referral-notes": WORKER,
    "api:api-referral-consents": WORKER,
    "api:api-referral-programme": WORKER,
    "api:api-referral-enrolments": WORKER,
    "api:api-referral-goals": WORKER,
    "api:api-referral-rate-goals": WORKER,
    "api:api-referral-merge": MERGER,
    "api:api-referral-dismiss-duplicate": MERGER,
    "api:api-referral-link-account": LINKERS,
    "api:api-enrolment-respond": PROVIDER,
    "api:api-enrolment-attendance": PROVIDER,
}

# A referral and an enrolment change only through their actions: no PUT, PATCH or DELETE.
API_WRITES: dict = {}


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_every_referral_write_answers_each_role_as_declared(role, matrix_world, client_for):
    client = client_for(None if role == "anonymous" else role)
    wrong = wrong_posts(
        client, role, MATRIX, WRITES, FORMS, lambda name: _kwargs(name, matrix_world)
    )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_no_referral_or_enrolment_is_put_patched_or_deleted(role, matrix_world, client_for):
    client = client_for(None if role == "anonymous" else role)
    details = [n for n in MATRIX if n.startswith("api:") and n.endswith("-detail")]
    wrong = wrong_api_writes(
        client, role, details, API_WRITES, lambda name: _kwargs(name, matrix_world)
    )
    assert not wrong, "\n".join(wrong)
