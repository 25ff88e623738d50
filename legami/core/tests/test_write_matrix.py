"""Every URL of the territory, network and directory written to as every role, with an empty
body (see write_matrix for the rules); social prescribing, outcomes and learning declare theirs
beside their own tests."""

import pytest

from legami.core.roles import ALL_ROLES
from legami.core.tests.test_access_matrix import MATRIX, _kwargs
from legami.core.tests.write_matrix import EVERY_CALLER, wrong_api_writes, wrong_posts

SU = "superuser"
ADMIN = {"territory_admin", SU}
KEEPERS = {"provider", "territory_admin", SU}  # those who keep the directory's listings
EDIT = {"put": ADMIN, "patch": ADMIN}
EDIT_REMOVE = {**EDIT, "delete": ADMIN}

# Pages whose form is for whoever may open the page.
FORMS = {
    "territory:district_create",
    "territory:district_edit",
    "network:organisation_create",
    "network:organisation_edit",
    "network:relationship_create",
    "network:person_list",  # the administrator's search of people, sent by POST
    "network:person_create",
    "network:person_edit",
    "network:programme_create",
    "network:programme_edit",
    "network:partner_add",
    "network:funding_add",
    "network:body_create",
    "network:body_edit",
    "network:body_member_add",
    "network:body_member_edit",
    "network:body_member_remove",
    "network:meeting_add",
    "network:meeting_edit",
    "network:meeting_remove",
    "network:decision_add",
    "network:decision_edit",
    "network:decision_remove",
    "directory:activity_create",
    "directory:activity_edit",
    "directory:activity_status",
    "directory:activity_verify",
    "directory:schedule_add",
    "directory:cost_add",
    "directory:schedule_remove",
    "directory:exception_add",
    "directory:cost_remove",
    "directory:place_create",
    "directory:place_edit",
    "directory:term_create",
    "directory:term_edit",
    "directory:import_upload",
    "directory:import_confirm",
    "directory:hsds_import_upload",
    "directory:hsds_import_confirm",
}

# Writes with no page of their own, and every API creation.
WRITES = {
    "core:notifications_read_all": set(ALL_ROLES),
    "api:api-district-list": ADMIN,
    "api:api-organisation-list": ADMIN,
    "api:api-relationship-list": KEEPERS,
    "api:api-body-member-list": ADMIN,
    "api:api-meeting-list": ADMIN,
    "api:api-decision-list": ADMIN,
    "api:api-activity-list": KEEPERS,
    "api:api-place-list": KEEPERS,
}

# PUT, PATCH and DELETE on the API's detail routes; every other detail route is read-only.
API_WRITES = {
    "api:api-district-detail": EDIT,
    "api:api-organisation-detail": {"put": KEEPERS, "patch": KEEPERS},
    "api:api-body-member-detail": EDIT_REMOVE,
    "api:api-meeting-detail": EDIT_REMOVE,
    "api:api-decision-detail": EDIT_REMOVE,
    "api:api-activity-detail": {"put": KEEPERS, "patch": KEEPERS},
    "api:api-place-detail": {"put": KEEPERS, "patch": KEEPERS},
}


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_every_write_answers_each_role_as_declared(role, world, client_for):
    client = client_for(None if role == "anonymous" else role)
    wrong = wrong_posts(client, role, MATRIX, WRITES, FORMS, lambda n: _kwargs(n, world))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_every_api_detail_takes_put_patch_delete_only_as_declared(role, world, client_for):
    client = client_for(None if role == "anonymous" else role)
    details = [n for n in MATRIX if n.startswith(("api:", "hsds:")) and n.endswith("-detail")]
    wrong = wrong_api_writes(client, role, details, API_WRITES, lambda n: _kwargs(n, world))
    assert not wrong, "\n".join(wrong)
