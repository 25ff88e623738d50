"""The network's people are personal data: every list of them (page, API, an organisation's
members) names, in the access log, each person it showed, in one insert."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from legami.core.models import AuditEvent
from legami.network import services
from legami.network.models import Person


def _people(world, personas, count):
    return [
        services.person_create(
            by=personas["superuser"],
            organisation=world["association"],
            role_title="Volontaria",
            first_name=f"Nome{n}",
            last_name=f"Cognome{n}",
        )
        for n in range(count)
    ]


def _logged(user, purpose):
    return set(
        AuditEvent.objects.filter(actor=user, purpose=purpose).values_list(
            "object_type", "object_id"
        )
    )


def _one_insert(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert sum("core_auditevent" in q["sql"] for q in queries.captured_queries) == 1
    return response


def test_the_people_page_api_and_members_name_each_person(world, personas, client_for):
    _people(world, personas, 4)
    admin = personas["territory_admin"]
    client = client_for("territory_admin")
    in_scope = Person.objects.filter(
        memberships__organisation__in=[world["comune_org"], world["association"]]
    ).distinct()
    expected = {("network.person", str(p.pk)) for p in in_scope}

    _one_insert(client, "/rete/persone/")
    assert _logged(admin, "network contacts") == expected
    assert ("network.person", str(world["outside_person"].pk)) not in _logged(
        admin, "network contacts"
    )

    _one_insert(client, "/api/v1/network/people/")
    assert _logged(admin, "API") == expected

    association = world["association"]
    _one_insert(client, f"/rete/organizzazioni/{association.pk}/")
    members = {("network.person", str(m.person_id)) for m in association.memberships.all()}
    assert _logged(admin, f"members of organisation {association.pk}") == members
    names = {p.first_name for p in in_scope} | {p.last_name for p in in_scope}
    assert not any(
        name in e.object_repr for e in AuditEvent.objects.filter(actor=admin) for name in names
    )
