"""Each persona's area lists exactly the links its work needs, and none it may not use, in a
bounded number of queries (the browser journeys in e2e/test_first_hour.py click them)."""

import re

import pytest
from django.urls import reverse

from legami.core import roles

ACCOUNT = {"mfa_index", "account_change_password"}
# Every link of each persona's area (query strings aside), by URL name.
AREA = {
    roles.CITIZEN: {
        "directory:search",
        "referrals:self_refer",
        "referrals:my_data",
        "learning:index",
        "learning:mine",
    },
    roles.PRESCRIBER: {"referrals:create", "referrals:list"},
    roles.LINK_WORKER: {"referrals:caseload", "outcomes:due"},
    roles.PROVIDER: {
        "referrals:inbox",
        "directory:manage",
        "directory:place_list",
        "directory:import_upload",
        "outcomes:surveys_to_answer",
    },
    roles.DPO: {"referrals:dpo", "core:audit_log"},
}
# Pages that are other roles' work: never in the area of a persona not allowed them.
NOT_FOR = {
    roles.CITIZEN: {"referrals:caseload", "referrals:inbox", "referrals:dpo", "core:audit_log"},
    roles.PRESCRIBER: {"referrals:caseload", "referrals:dpo", "outcomes:dashboard"},
    roles.LINK_WORKER: {"referrals:inbox", "referrals:dpo", "learning:mine"},
    roles.PROVIDER: {"referrals:caseload", "referrals:dpo", "core:audit_log", "learning:mine"},
    roles.TERRITORY_ADMIN: {"referrals:caseload", "referrals:inbox", "referrals:dpo"},
    roles.EVALUATOR: {"referrals:caseload", "referrals:inbox", "referrals:dpo", "learning:mine"},
    roles.DPO: {"referrals:caseload", "referrals:inbox", "outcomes:dashboard"},
}
MAIN = {
    roles.TERRITORY_ADMIN: {
        "network:programme_list",
        "learning:manage",
        "directory:manage",
        "outcomes:dashboard",
    },
    roles.EVALUATOR: {"outcomes:dashboard", "outcomes:research_csv", "referrals:research_csv"},
}


def _area_links(html: str) -> set[str]:
    main = html.split('id="main-content"')[1].split("</main>")[0]
    return {href.split("?")[0] for href in re.findall(r'href="([^"]+)"', main)}


def _expected(names):
    return {reverse(n) for n in names | ACCOUNT}


@pytest.mark.parametrize("role", sorted(AREA))
def test_the_area_lists_exactly_the_work_of_the_persona(client, personas, role):
    client.force_login(personas[role])
    assert _area_links(client.get(reverse("core:dashboard")).content.decode()) == _expected(
        AREA[role]
    )


@pytest.mark.parametrize("role", sorted(NOT_FOR))
def test_the_area_shows_no_work_the_persona_may_not_do(client, personas, role):
    client.force_login(personas[role])
    links = _area_links(client.get(reverse("core:dashboard")).content.decode())
    assert not links & {reverse(n) for n in NOT_FOR[role]}
    assert {reverse(n) for n in MAIN.get(role, set())} <= links


@pytest.mark.parametrize("role", sorted(NOT_FOR))
def test_the_area_costs_a_bounded_number_of_queries(
    client, personas, role, django_assert_max_num_queries
):
    client.force_login(personas[role])
    client.get("/")
    # The session and user, the notifications' badge, and the counts beside the links.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("core:dashboard")).status_code == 200
