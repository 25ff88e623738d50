"""Every URL pattern, as every role and as an anonymous visitor, against a declared matrix.

A new page without a line here fails the suite: access rules are decided, never defaulted.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from legami.core.roles import ALL_ROLES

ANON = "anonymous"
EVERYONE = dict.fromkeys([ANON, *ALL_ROLES], 200)


def signed_in(allowed: set[str]) -> dict[str, int]:
    """200 for `allowed` (and the superuser), 403 for other roles, sign-in for anonymous."""
    result = {ANON: 302}
    for role in ALL_ROLES:
        result[role] = 200 if role in allowed | {"superuser"} else 403
    return result


def api_only(allowed: set[str]) -> dict[str, int]:
    result = {ANON: 403}
    for role in ALL_ROLES:
        result[role] = 200 if role in allowed | {"superuser"} else 403
    return result


ADMIN = {"territory_admin"}
KEEPERS = {"provider", "territory_admin"}  # those who keep the directory's listings

MATRIX = {
    "core:home": EVERYONE,
    "core:accessibility": EVERYONE,
    "core:privacy": EVERYONE,
    "core:healthz": EVERYONE,
    "core:dashboard": signed_in(set(ALL_ROLES)),
    "core:audit_log": signed_in({"dpo"}),
    "core:notifications": signed_in(set(ALL_ROLES)),
    "core:notifications_read_all": dict.fromkeys([ANON, *ALL_ROLES], 405),
    "territory:region_list": EVERYONE,
    "territory:region_detail": EVERYONE,
    "territory:province_detail": EVERYONE,
    "territory:comune_list": EVERYONE,
    "territory:comune_detail": EVERYONE,
    "territory:district_list": EVERYONE,
    "territory:district_detail": EVERYONE,
    "territory:district_create": signed_in(ADMIN),
    "territory:district_edit": signed_in(ADMIN),
    "network:organisation_list": EVERYONE,
    "network:organisation_detail": EVERYONE,
    "network:organisation_create": signed_in(ADMIN),
    "network:organisation_edit": signed_in(ADMIN | {"provider"}),
    "network:relationship_create": signed_in(ADMIN | {"provider"}),
    "network:person_list": signed_in(ADMIN),
    "network:person_create": signed_in(ADMIN),
    "network:person_detail": signed_in(ADMIN),
    "network:person_edit": signed_in(ADMIN),
    "network:programme_list": EVERYONE,
    "network:programme_detail": EVERYONE,
    "network:programme_create": signed_in(ADMIN),
    "network:programme_edit": signed_in(ADMIN),
    "network:partner_add": signed_in(ADMIN),
    "network:funding_add": signed_in(ADMIN),
    "network:body_create": signed_in(ADMIN),
    "network:body_detail": EVERYONE,
    "network:body_edit": signed_in(ADMIN),
    "network:body_member_add": signed_in(ADMIN),
    "network:body_member_edit": signed_in(ADMIN),
    "network:body_member_remove": signed_in(ADMIN),
    "network:meeting_add": signed_in(ADMIN),
    "network:meeting_detail": EVERYONE,
    "network:meeting_edit": signed_in(ADMIN),
    "network:meeting_remove": signed_in(ADMIN),
    "network:decision_add": signed_in(ADMIN),
    "network:decision_edit": signed_in(ADMIN),
    "network:decision_remove": signed_in(ADMIN),
    "api:api-region-list": EVERYONE,
    "api:api-region-detail": EVERYONE,
    "api:api-province-list": EVERYONE,
    "api:api-province-detail": EVERYONE,
    "api:api-comune-list": EVERYONE,
    "api:api-comune-detail": EVERYONE,
    "api:api-district-list": EVERYONE,
    "api:api-district-detail": EVERYONE,
    "api:api-organisation-list": EVERYONE,
    "api:api-organisation-detail": EVERYONE,
    "api:api-relationship-list": EVERYONE,
    "api:api-relationship-detail": EVERYONE,
    "api:api-programme-list": EVERYONE,
    "api:api-programme-detail": EVERYONE,
    "api:api-person-list": api_only(ADMIN),
    "api:api-person-detail": api_only(ADMIN),
    "api:api-body-list": EVERYONE,
    "api:api-body-detail": EVERYONE,
    "api:api-body-member-list": EVERYONE,
    "api:api-body-member-detail": EVERYONE,
    "api:api-meeting-list": EVERYONE,
    "api:api-meeting-detail": EVERYONE,
    "api:api-decision-list": EVERYONE,
    "api:api-decision-detail": EVERYONE,
    "directory:search": EVERYONE,
    "directory:map_points": EVERYONE,
    "directory:comuni_options": EVERYONE,
    "directory:activity_detail": EVERYONE,
    "directory:activity_calendar": EVERYONE,
    "directory:manage": signed_in(KEEPERS),
    "directory:activity_create": signed_in(KEEPERS),
    "directory:activity_edit": signed_in(KEEPERS),
    "directory:activity_status": signed_in(KEEPERS),
    "directory:activity_verify": signed_in(KEEPERS),
    "directory:schedule_add": signed_in(KEEPERS),
    "directory:cost_add": signed_in(KEEPERS),
    "directory:schedule_remove": signed_in(KEEPERS),
    "directory:exception_add": signed_in(KEEPERS),
    "directory:cost_remove": signed_in(KEEPERS),
    "directory:place_list": signed_in(KEEPERS),
    "directory:place_create": signed_in(KEEPERS),
    "directory:place_edit": signed_in(KEEPERS),
    "directory:taxonomy": signed_in(ADMIN),
    "directory:term_create": signed_in(ADMIN),
    "directory:term_edit": signed_in(ADMIN),
    "directory:coverage": signed_in(ADMIN),
    "directory:import_upload": signed_in({"provider", "territory_admin"}),
    "directory:import_template": signed_in({"provider", "territory_admin"}),
    "directory:import_confirm": signed_in({"provider", "territory_admin"}),
    # A whole-network HSDS bundle, in or out: the system administrator's alone.
    "directory:hsds_import_upload": signed_in(set()),
    "directory:hsds_import_confirm": signed_in(set()),
    "directory:hsds_export": signed_in(set()),
    "api:api-activity-list": EVERYONE,
    "api:api-activity-detail": EVERYONE,
    "api:api-place-list": EVERYONE,
    "api:api-place-detail": EVERYONE,
    "api:api-term-list": EVERYONE,
    "api:api-term-detail": EVERYONE,
    "hsds:root": EVERYONE,
    "hsds:service-list": EVERYONE,
    "hsds:service-detail": EVERYONE,
    "hsds:organization-list": EVERYONE,
    "hsds:organization-detail": EVERYONE,
    "hsds:service_at_location-list": EVERYONE,
    "hsds:service_at_location-detail": EVERYONE,
    "hsds:taxonomy-list": EVERYONE,
    "hsds:taxonomy-detail": EVERYONE,
    "hsds:taxonomy_term-list": EVERYONE,
    "hsds:taxonomy_term-detail": EVERYONE,
    "api-schema": EVERYONE,
    "api-docs": EVERYONE,
}

# Third-party URL trees with their own access rules, tested by their projects.
EXTERNAL_PREFIXES = ("admin/", "accounts/", "i18n/")


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), namespace + entry.name


def project_url_names():
    names = set()
    for route, name in _walk(get_resolver()):
        if route.startswith(EXTERNAL_PREFIXES) or "<drf_format_suffix" in route:
            continue
        if route.startswith("^") or "(?P<format>" in route:
            continue
        names.add(name)
    return names


def test_every_url_has_a_declared_access_rule():
    # Modules whose pages need their own world declare their lines beside their tests.
    from legami.learning.tests.test_access_matrix import MATRIX as LEARNING
    from legami.outcomes.tests.test_access_matrix import MATRIX as OUTCOMES
    from legami.referrals.tests.test_access_matrix import MATRIX as REFERRALS

    undeclared = project_url_names() - set(MATRIX) - set(REFERRALS) - set(OUTCOMES) - set(LEARNING)
    assert not undeclared, f"add these URL names to the access matrix: {sorted(undeclared)}"


def _kwargs(name, world):
    w = world
    by_name = {
        "territory:region_detail": {"code": "09"},
        "territory:province_detail": {"code": "053"},
        "territory:comune_detail": {"istat_code": "053001"},
        "territory:district_detail": {"pk": w["district"].pk},
        "territory:district_edit": {"pk": w["district"].pk},
        "network:organisation_detail": {"pk": w["association"].pk},
        "network:organisation_edit": {"pk": w["association"].pk},
        "network:relationship_create": {"pk": w["association"].pk},
        "network:person_detail": {"pk": w["person"].pk},
        "network:person_edit": {"pk": w["person"].pk},
        "network:programme_detail": {"pk": w["programme"].pk},
        "network:programme_edit": {"pk": w["programme"].pk},
        "network:partner_add": {"pk": w["programme"].pk},
        "network:funding_add": {"pk": w["programme"].pk},
        "network:body_create": {"pk": w["programme"].pk},
        "network:body_detail": {"pk": w["body"].pk},
        "network:body_edit": {"pk": w["body"].pk},
        "network:body_member_add": {"pk": w["body"].pk},
        "network:body_member_edit": {"pk": _governance(w)["member"].pk},
        "network:body_member_remove": {"pk": _governance(w)["member"].pk},
        "network:meeting_add": {"pk": w["body"].pk},
        "network:meeting_detail": {"pk": _governance(w)["meeting"].pk},
        "network:meeting_edit": {"pk": _governance(w)["meeting"].pk},
        "network:meeting_remove": {"pk": _governance(w)["meeting"].pk},
        "network:decision_add": {"pk": _governance(w)["meeting"].pk},
        "network:decision_edit": {"pk": _governance(w)["decision"].pk},
        "network:decision_remove": {"pk": _governance(w)["decision"].pk},
        "directory:activity_detail": {"pk": w["activity"].pk},
        "directory:activity_calendar": {"pk": w["activity"].pk},
        "directory:activity_edit": {"pk": w["activity"].pk},
        "directory:activity_status": {"pk": w["activity"].pk},
        "directory:activity_verify": {"pk": w["activity"].pk},
        "directory:schedule_add": {"pk": w["activity"].pk},
        "directory:cost_add": {"pk": w["activity"].pk},
        "directory:schedule_remove": {"pk": w["schedule"].pk},
        "directory:exception_add": {"pk": w["schedule"].pk},
        "directory:cost_remove": {"pk": w["cost_option"].pk},
        "directory:place_edit": {"pk": w["place"].pk},
        "directory:term_edit": {"pk": w["term"].pk},
        "api:api-activity-detail": {"pk": w["activity"].pk},
        "api:api-place-detail": {"pk": w["place"].pk},
        "api:api-term-detail": {"pk": w["term"].pk},
        "api:api-region-detail": {"code": "09"},
        "api:api-province-detail": {"code": "053"},
        "api:api-comune-detail": {"istat_code": "053001"},
        "api:api-district-detail": {"pk": w["district"].pk},
        "api:api-organisation-detail": {"pk": w["association"].pk},
        "api:api-relationship-detail": {"pk": _relationship(w).pk},
        "api:api-programme-detail": {"pk": w["programme"].pk},
        "api:api-person-detail": {"pk": w["person"].pk},
        "api:api-body-detail": {"pk": w["body"].pk},
        "api:api-body-member-detail": {"pk": _governance(w)["member"].pk},
        "api:api-meeting-detail": {"pk": _governance(w)["meeting"].pk},
        "api:api-decision-detail": {"pk": _governance(w)["decision"].pk},
        **_hsds_kwargs(w),
    }
    return by_name.get(name, {})


def _hsds_kwargs(world):
    """HSDS ids of the world's published activity, its organisation, place link and term."""
    from legami.directory.hsds.mapping import organisation_hsds_id, synth_sal

    activity, term = world["activity"], world["term"]
    link = synth_sal(str(activity.hsds_id), str(activity.place.hsds_id))
    return {
        "hsds:service-detail": {"id": activity.hsds_id},
        "hsds:organization-detail": {"id": organisation_hsds_id(activity.organisation)},
        "hsds:service_at_location-detail": {"id": link["id"]},
        "hsds:taxonomy-detail": {"id": term.taxonomy.hsds_id},
        "hsds:taxonomy_term-detail": {"id": term.hsds_id},
    }


def _governance(world):
    """A member of the world's body, a meeting it attended and a decision it owns."""
    from legami.network.models import BodyMember, Decision, Meeting

    body, organisation = world["body"], world["comune_org"]
    member = BodyMember.objects.get_or_create(body=body, organisation=organisation)[0]
    meeting = Meeting.objects.get_or_create(body=body, date="2025-10-01")[0]
    meeting.attendees.add(organisation)
    decision = Decision.objects.get_or_create(
        meeting=meeting, text="Convocare i partner", owner=organisation, due_date="2025-11-30"
    )[0]
    return {"member": member, "meeting": meeting, "decision": decision}


def _relationship(world):
    from legami.network.models import Relationship

    return Relationship.objects.get_or_create(
        source=world["association"],
        target=world["comune_org"],
        kind="agreement",
        start_date="2025-01-01",
    )[0]


@pytest.mark.parametrize("role", [ANON, *ALL_ROLES])
def test_every_url_answers_each_role_as_declared(role, world, client_for):
    from django.urls import reverse

    client = client_for(None if role == ANON else role)
    wrong = []
    for name, expected in MATRIX.items():
        url = reverse(name, kwargs=_kwargs(name, world))
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{name} ({url}): {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


OUT_OF_SCOPE = [
    ("territory:district_edit", "outside_district"),
    ("network:organisation_edit", "outside_org"),
    ("network:relationship_create", "outside_org"),
    ("network:person_detail", "outside_person"),
    ("network:person_edit", "outside_person"),
    ("directory:activity_edit", "outside_activity"),
    ("directory:activity_status", "outside_activity"),
    ("directory:schedule_add", "outside_activity"),
    ("directory:place_edit", "outside_place"),
]


@pytest.mark.parametrize(("name", "key"), OUT_OF_SCOPE)
def test_objects_outside_the_administrators_territory_are_404(name, key, world, client_for):
    from django.urls import reverse

    response = client_for("territory_admin").get(reverse(name, kwargs={"pk": world[key].pk}))
    assert response.status_code == 404


def test_tampered_ids_are_404_never_500(world, client_for):
    client = client_for("superuser")
    for url in [
        "/rete/organizzazioni/999999/",
        "/rete/persone/999999/",
        "/rete/programmi/999999/",
        "/rete/organi/999999/",
        "/territorio/comuni/ABCDEF/",
        "/territorio/regioni/99/",
        "/territorio/distretti/999999/modifica/",
        "/api/v1/network/people/999999/",
    ]:
        assert client.get(url).status_code == 404, url
