"""The module manifests: each role finds its own work in the header and in its area, the
public home page leads with what citizens come for, and core names no module's pages."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from legami.core import modules, roles

# The page each role comes for, reachable from its area by one click.
MAIN_WORK = {
    roles.CITIZEN: [
        "referrals:self_refer",
        "referrals:my_data",
        "directory:search",
        "learning:mine",
    ],
    roles.PRESCRIBER: ["referrals:create", "referrals:list"],
    roles.LINK_WORKER: ["referrals:caseload", "outcomes:due"],
    roles.PROVIDER: ["referrals:inbox", "directory:manage"],
    roles.TERRITORY_ADMIN: [
        "network:programme_list",
        "learning:manage",
        "directory:manage",
        "outcomes:dashboard",
        "referrals:settings",
    ],
    roles.EVALUATOR: ["outcomes:dashboard", "outcomes:research_csv", "referrals:research_csv"],
    roles.DPO: ["referrals:dpo", "core:audit_log"],
}


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


@pytest.mark.parametrize("role", sorted(MAIN_WORK))
def test_each_role_finds_its_work_in_its_area(client, personas, role):
    client.force_login(personas[role])
    html = client.get("/area-personale/").content.decode()
    links = _links(html)
    for name in MAIN_WORK[role]:
        assert reverse(name) in links, (role, name)


@pytest.mark.parametrize("role", sorted(MAIN_WORK))
def test_every_link_in_an_area_opens_for_its_role(client, personas, role):
    client.force_login(personas[role])
    for shown in [e for _t, entries in modules.work_for(personas[role]) for e in entries]:
        if shown.entry.url == "admin:index":
            continue  # the back office has its own sign-in (tested in accounts)
        response = client.get(shown.href)
        assert response.status_code in (200, 302), (role, shown.href, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"], (role, shown.href)


def test_a_role_sees_no_other_roles_work(client, personas):
    client.force_login(personas[roles.PRESCRIBER])
    links = _links(client.get("/area-personale/").content.decode())
    assert reverse("referrals:caseload") not in links
    assert reverse("referrals:dpo") not in links
    assert reverse("outcomes:dashboard") not in links


def test_header_menu_follows_the_role(client, personas):
    client.force_login(personas[roles.LINK_WORKER])
    header = client.get("/").content.decode().split('id="main-menu"')[1].split("</nav>")[0]
    assert reverse("referrals:caseload") in header
    assert reverse("referrals:inbox") not in header
    client.force_login(personas[roles.PROVIDER])
    header = client.get("/").content.decode().split('id="main-menu"')[1].split("</nav>")[0]
    assert reverse("referrals:inbox") in header
    assert reverse("referrals:caseload") not in header


def test_home_leads_with_what_citizens_come_for(client, db):
    html = client.get("/").content.decode()
    main = html.split('id="main-content"')[1]
    find, help_, training, network = (
        main.index(reverse("directory:search")),
        main.index(reverse("referrals:self_refer")),
        main.index(reverse("learning:index")),
        main.index(reverse("network:organisation_list")),
    )
    assert find < help_ < training < network


def test_core_names_no_module_page():
    """core's templates link to core's own pages only: the rest comes from the manifests."""
    root = Path(modules.__file__).parent / "templates"
    for template in root.rglob("*.html"):
        for name in re.findall(r"{% url '([a-z_]+):", template.read_text()):
            assert name in {"core", "admin"}, (template.name, name)
