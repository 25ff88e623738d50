"""The territory back office writes only through the services: a jurisdiction granted or
revoked in the admin is audited, and a staff member who is not a superuser cannot grant one,
whatever Django permissions they were given."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from legami.conftest import make_user
from legami.core import roles
from legami.core.models import AuditEvent
from legami.territory.models import District, Jurisdiction

ADD = "/admin/territory/jurisdiction/add/"


@pytest.fixture
def staff(world):
    """A territory administrator with back-office access and every Django permission on
    jurisdictions and districts: Django would let them in, the policy does not."""
    user = make_user(roles.TERRITORY_ADMIN, "staff@test.legami.example")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="territory"))
    client = Client()
    client.force_login(user)
    return client


def test_a_jurisdiction_granted_in_the_admin_is_audited(world, personas, client_for):
    worker = personas[roles.LINK_WORKER]
    response = client_for(roles.SUPERUSER).post(
        ADD, {"user": worker.pk, "province": world["grosseto"].pk}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    granted = Jurisdiction.objects.get(user=worker)
    assert granted.province == world["grosseto"]
    event = AuditEvent.objects.get(object_type="territory.jurisdiction", action="create")
    assert (event.object_id, event.actor_label) == (
        str(granted.pk),
        "superuser@test.legami.example",
    )


def test_revoking_in_the_admin_goes_through_the_service(world, personas, client_for):
    granted = Jurisdiction.objects.get(user=personas[roles.TERRITORY_ADMIN])
    response = client_for(roles.SUPERUSER).post(
        f"/admin/territory/jurisdiction/{granted.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Jurisdiction.objects.filter(pk=granted.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="territory.jurisdiction", object_id=str(granted.pk), action="delete"
    ).exists()


def test_the_admin_shows_the_services_refusal_on_the_form(world, personas, client_for):
    response = client_for(roles.SUPERUSER).post(
        ADD,
        {
            "user": personas[roles.LINK_WORKER].pk,
            "region": world["toscana"].pk,
            "comune": world["arcidosso"].pk,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Choose exactly one area" in response.content.decode()
    assert not Jurisdiction.objects.filter(user=personas[roles.LINK_WORKER]).exists()
    assert not AuditEvent.objects.filter(object_type="territory.jurisdiction").exists()


def test_a_staff_member_who_is_not_a_superuser_cannot_grant_nor_revoke(world, personas, staff):
    response = staff.post(ADD, {"user": personas[roles.LINK_WORKER].pk, "comune": world["zola"].pk})
    assert response.status_code == 403
    granted = Jurisdiction.objects.get(user=personas[roles.TERRITORY_ADMIN])
    response = staff.post(f"/admin/territory/jurisdiction/{granted.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Jurisdiction.objects.filter(user=personas[roles.LINK_WORKER]).count() == 0
    assert Jurisdiction.objects.filter(pk=granted.pk).exists()
    assert not AuditEvent.objects.filter(object_type="territory.jurisdiction").exists()


def test_a_district_changed_in_the_admin_is_audited_and_scoped(world, client_for, staff):
    district = world["district"]
    data = {
        "name": "Amiata",
        "kind": "health",
        "description": "",
        "comuni": [world["arcidosso"].pk],
    }
    url = f"/admin/territory/district/{district.pk}/change/"
    assert client_for(roles.SUPERUSER).post(url, data).status_code == 302
    district.refresh_from_db()
    assert district.kind == "health"
    event = AuditEvent.objects.get(object_type="territory.district", action="update")
    assert event.changes["fields"] == ["kind"]
    outside = world["outside_district"]
    response = staff.post(
        f"/admin/territory/district/{outside.pk}/change/",
        {"name": "Preso", "kind": "other", "description": "", "comuni": [world["zola"].pk]},
    )
    assert response.status_code == 404  # outside the administrator's territory
    assert District.objects.get(pk=outside.pk).name == "Casalecchio"


def test_the_official_geography_is_read_only_in_the_admin(world, client_for):
    client = client_for(roles.SUPERUSER)
    assert client.get("/admin/territory/comune/add/").status_code == 403
    page = client.get(f"/admin/territory/comune/{world['arcidosso'].pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/territory/").status_code == 200
