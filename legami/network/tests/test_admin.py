"""The network back office writes only through network.services: what it changes is
checked and audited like a change made on the pages; people are read-only, every record
opened logged."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from legami.conftest import make_user
from legami.core import roles
from legami.core.models import AuditEvent
from legami.network.models import Organisation


@pytest.fixture
def staff(world):
    user = make_user(roles.PROVIDER, "staff-provider@test.legami.example")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="network"))
    client = Client()
    client.force_login(user)
    return client


class _Inputs(HTMLParser):
    """The hidden inputs of an admin page: the inline formsets' management forms, which a
    browser posts back with the change."""

    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value", "")


def _management_forms(client, url) -> dict:
    parser = _Inputs()
    parser.feed(client.get(url).content.decode())
    return {k: v for k, v in parser.values.items() if k.endswith("_FORMS")}


def _organisation_form(organisation, **changes):
    data = {
        "name": organisation.name,
        "sector": organisation.sector,
        "tax_code": organisation.tax_code,
        "vat_number": organisation.vat_number,
        "runts_number": organisation.runts_number,
        "comune": organisation.comune_id,
        "address": "",
        "postcode": "",
        "email": "",
        "phone": "",
        "website": "",
        "description": "",
    }
    return {**data, **changes}


def test_an_organisation_changed_in_the_admin_is_validated_and_audited(world, client_for):
    client = client_for(roles.SUPERUSER)
    org = world["association"]
    url = f"/admin/network/organisation/{org.pk}/change/"
    response = client.post(url, _organisation_form(org, vat_number="IT00297960197"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.vat_number == "00297960197"  # normalised by the service
    event = AuditEvent.objects.get(
        object_type="network.organisation", object_id=str(org.pk), action="update"
    )
    assert event.changes == {"fields": ["vat_number"]}
    response = client.post(
        url, _organisation_form(org, tax_code="00297960198"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "check digit does not match" in response.content.decode()
    assert Organisation.objects.get(pk=org.pk).tax_code == ""


def test_a_staff_member_changes_only_what_the_policy_lets_them(world, staff):
    outside = world["outside_org"]
    response = staff.post(
        f"/admin/network/organisation/{outside.pk}/change/",
        _organisation_form(outside, name="Preso"),
    )
    assert response.status_code == 404  # the provider is not a member of it
    response = staff.post(
        "/admin/network/organisation/add/",
        {**_organisation_form(outside, name="Nuova"), "comune": world["arcidosso"].pk},
    )
    assert response.status_code == 403  # providers do not add organisations
    assert not Organisation.objects.filter(name__in=["Preso", "Nuova"]).exists()
    assert not AuditEvent.objects.filter(actor_label="staff-provider@test.legami.example").exists()


def test_people_are_read_only_in_the_admin_and_every_record_opened_is_logged(world, client_for):
    client = client_for(roles.SUPERUSER)
    person = world["person"]
    assert client.get("/admin/network/person/add/").status_code == 403
    page = client.get(f"/admin/network/person/{person.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert AuditEvent.objects.filter(
        object_type="network.person", object_id=str(person.pk), action="view"
    ).exists()


def test_a_body_and_its_meetings_are_changed_in_the_admin_through_the_services(
    world, governance, client_for
):
    client = client_for(roles.SUPERUSER)
    body, meeting = governance["body"], governance["meeting"]
    url = f"/admin/network/governancebody/{body.pk}/change/"
    response = client.post(
        url,
        {
            **_management_forms(client, url),
            "name": "Cabina di regia allargata",
            "kind": "steering_extended",
            "description": "",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        object_type="network.governancebody", object_id=str(body.pk), action="update"
    ).exists()
    url = f"/admin/network/meeting/{meeting.pk}/change/"
    response = client.post(
        url,
        {
            **_management_forms(client, url),
            "date": "2025-10-01",
            "comune": world["arcidosso"].pk,
            "agenda": "",
            "minutes": "",
            "attendees": [world["outside_org"].pk],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200  # not a member of the body: said on the form
    assert "Not a member of this body" in response.content.decode()
    response = client.post(f"/admin/network/meeting/{meeting.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        object_type="network.meeting", object_id=str(meeting.pk), action="delete"
    ).exists()


@pytest.mark.parametrize(
    "model", ["organisation", "person", "relationship", "programme", "governancebody", "meeting"]
)
def test_every_network_admin_page_opens(model, world, governance, client_for):
    client = client_for(roles.SUPERUSER)
    assert client.get(f"/admin/network/{model}/").status_code == 200
    add = client.get(f"/admin/network/{model}/add/").status_code
    assert add == (403 if model in {"person", "meeting"} else 200)
