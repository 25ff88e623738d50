"""Every social-prescribing URL, as every role and as an anonymous visitor, against a declared
matrix (the project-wide test in core checks every URL has a line here or there).

The world: the `care` referral taken to "assessed" and sent to the provider's activity, and a
second referral already closed (its summary can be printed)."""

import pytest
from django.urls import reverse

from legami.core.roles import ALL_ROLES
from legami.core.tests.test_access_matrix import ANON, EVERYONE, api_only, signed_in

EVERY_CALLER = [ANON, *ALL_ROLES]
POST_ONLY = dict.fromkeys(EVERY_CALLER, 405)
# DRF checks the role before the method: a GET on a POST-only action is refused as such.
API_POST_ONLY = dict.fromkeys(EVERY_CALLER, 403)


def with_(base: dict, **codes) -> dict:
    return {**base, **codes}


MATRIX = {
    # a link worker's and a citizen's list is elsewhere: they are sent to it
    "referrals:list": with_(signed_in({"prescriber"}), link_worker=302, citizen=302),
    "referrals:create": signed_in({"prescriber"}),
    "referrals:caseload": signed_in({"link_worker"}),
    "referrals:assign": POST_ONLY,
    # the citizen persona is not this person: sent to their own data
    "referrals:detail": with_(signed_in({"prescriber", "link_worker"}), citizen=302),
    "referrals:transition": POST_ONLY,
    "referrals:note_add": POST_ONLY,
    "referrals:consent": POST_ONLY,
    "referrals:programme": POST_ONLY,
    "referrals:match": signed_in({"link_worker"}),
    "referrals:enrol": POST_ONLY,
    "referrals:enrolment_withdraw": POST_ONLY,
    "referrals:goal_add": POST_ONLY,
    "referrals:goals_rate": POST_ONLY,
    "referrals:goal_remove": POST_ONLY,
    "referrals:summary_pdf": signed_in({"prescriber", "link_worker"}),
    # only a link worker of the territory compares and merges: not the superuser
    "referrals:duplicate": with_(signed_in({"link_worker"}), superuser=403),
    "referrals:duplicate_merge": POST_ONLY,
    "referrals:duplicate_dismiss": POST_ONLY,
    "referrals:link_account": POST_ONLY,
    "referrals:my_record_link": signed_in({"citizen"}),
    "referrals:my_record_code": POST_ONLY,
    "referrals:dpo": signed_in({"dpo"}),
    "referrals:dpo_person": signed_in({"dpo"}),
    "referrals:dpo_export_json": signed_in({"dpo"}),
    "referrals:dpo_export_pdf": signed_in({"dpo"}),
    "referrals:dpo_erase": signed_in({"dpo"}),
    "referrals:research_csv": signed_in({"evaluator"}),
    "referrals:self_refer": EVERYONE,
    "referrals:self_refer_done": EVERYONE,
    "referrals:my_data": signed_in({"citizen"}),
    "referrals:my_consent": POST_ONLY,
    # the citizen persona has no record yet: sent to "my data", which says so
    "referrals:my_export": with_(signed_in({"citizen"}), citizen=302),
    "referrals:inbox": signed_in({"provider"}),
    "referrals:enrolment": signed_in({"provider"}),
    "referrals:enrolment_respond": POST_ONLY,
    "referrals:attendance": POST_ONLY,
    "referrals:register": signed_in({"provider"}),
    "referrals:settings": signed_in({"territory_admin"}),
    "referrals:settings_edit": signed_in({"territory_admin"}),
    "api:api-referral-list": api_only({"prescriber", "link_worker", "citizen"}),
    "api:api-referral-detail": with_(api_only({"prescriber", "link_worker"}), citizen=404),
    "api:api-referral-assign": API_POST_ONLY,
    "api:api-referral-transition": API_POST_ONLY,
    "api:api-referral-notes": API_POST_ONLY,
    "api:api-referral-consents": API_POST_ONLY,
    "api:api-referral-programme": API_POST_ONLY,
    "api:api-referral-enrolments": API_POST_ONLY,
    "api:api-referral-suggestions": api_only({"link_worker"}),
    "api:api-referral-goals": api_only({"link_worker"}),
    "api:api-referral-rate-goals": API_POST_ONLY,
    "api:api-referral-duplicate": with_(api_only({"link_worker"}), superuser=403),
    "api:api-referral-merge": API_POST_ONLY,
    "api:api-referral-dismiss-duplicate": API_POST_ONLY,
    "api:api-referral-link-account": API_POST_ONLY,
    "api:api-enrolment-list": api_only({"provider"}),
    "api:api-enrolment-detail": api_only({"provider"}),
    "api:api-enrolment-respond": API_POST_ONLY,
    "api:api-enrolment-attendance": API_POST_ONLY,
}


def _kwargs(name: str, w) -> dict:
    referral = {"pk": w["referral"].pk}
    enrolment = {"pk": w["enrolment"].pk}
    person = {"pk": w["referral"].beneficiary_id}
    by_name = {
        "referrals:detail": referral,
        "referrals:transition": referral,
        "referrals:note_add": referral,
        "referrals:consent": referral,
        "referrals:programme": referral,
        "referrals:match": referral,
        "referrals:enrol": referral,
        "referrals:enrolment_withdraw": enrolment,
        "referrals:goal_add": referral,
        "referrals:goals_rate": referral,
        "referrals:goal_remove": {"pk": w["goal"].pk},
        "api:api-referral-goals": referral,
        "api:api-referral-rate-goals": referral,
        "referrals:summary_pdf": {"pk": w["ended"].pk},
        "referrals:duplicate": {"pk": w["flagged"].pk},
        "referrals:duplicate_merge": {"pk": w["flagged"].pk},
        "referrals:duplicate_dismiss": {"pk": w["flagged"].pk},
        "referrals:link_account": referral,
        "api:api-referral-duplicate": {"pk": w["flagged"].pk},
        "api:api-referral-merge": {"pk": w["flagged"].pk},
        "api:api-referral-dismiss-duplicate": {"pk": w["flagged"].pk},
        "api:api-referral-link-account": referral,
        "referrals:dpo_person": person,
        "referrals:dpo_export_json": person,
        "referrals:dpo_export_pdf": person,
        "referrals:dpo_erase": person,
        "referrals:enrolment": enrolment,
        "referrals:enrolment_respond": enrolment,
        "referrals:attendance": enrolment,
        "referrals:register": {"pk": w["activity"].pk},
        "referrals:settings_edit": {"district_pk": w["district"].pk},
        "api:api-referral-detail": referral,
        "api:api-referral-transition": referral,
        "api:api-referral-notes": referral,
        "api:api-referral-consents": referral,
        "api:api-referral-programme": referral,
        "api:api-referral-enrolments": referral,
        "api:api-referral-suggestions": referral,
        "api:api-enrolment-detail": enrolment,
        "api:api-enrolment-respond": enrolment,
        "api:api-enrolment-attendance": enrolment,
    }
    return by_name.get(name, {})


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_every_referral_url_answers_each_role_as_declared(role, matrix_world, client_for):
    client = client_for(None if role == ANON else role)
    wrong = []
    for name, expected in MATRIX.items():
        url = reverse(name, kwargs=_kwargs(name, matrix_world))
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{name} ({url}): {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("referrals:detail", "outside_prescriber"),
        ("referrals:detail", "outside_worker"),
        ("referrals:match", "outside_worker"),
        ("api:api-referral-detail", "outside_prescriber"),
        ("api:api-referral-detail", "outside_worker"),
    ],
)
def test_referrals_outside_ones_organisation_or_territory_are_404(name, who, matrix_world, client):
    client.force_login(matrix_world[who])
    url = reverse(name, kwargs=_kwargs(name, matrix_world))
    assert client.get(url).status_code == 404


def test_another_providers_enrolment_is_404(matrix_world, client):
    from legami.conftest import make_user

    stranger = make_user("provider", "altro.ente@test.legami.example")
    client.force_login(stranger)
    for name in ("referrals:enrolment", "referrals:register", "api:api-enrolment-detail"):
        url = reverse(name, kwargs=_kwargs(name, matrix_world))
        assert client.get(url).status_code == 404, name
