"""The territory's write services check, themselves, who may do them (each persona called
directly), and jurisdictions, which grant everything else's scope, are granted and revoked
by a superuser only, validated and audited."""

import pytest
from django.core.exceptions import ValidationError

from legami.core import roles
from legami.core.models import AuditEvent
from legami.core.tests.service_permissions import as_every_persona, expected, outcome
from legami.territory import services
from legami.territory.models import Jurisdiction
from legami.territory.queries import comuni_in_scope

TA, SU = roles.TERRITORY_ADMIN, roles.SUPERUSER

# name: (call(world, personas, by), roles allowed, roles that get 404); the superuser and
# the system are always allowed.
CASES = {
    "district_create": (
        lambda w, p, by: services.district_create(
            by=by, name="Amiata grossetana", kind="social", comuni=[w["arcidosso"]]
        ),
        {TA},
        set(),
    ),
    "district_update": (
        lambda w, p, by: services.district_update(
            by=by, district=w["district"], name="Amiata", kind="health", comuni=[w["arcidosso"]]
        ),
        {TA},
        set(),
    ),
    "district_update elsewhere": (
        lambda w, p, by: services.district_update(
            by=by,
            district=w["outside_district"],
            name="Casalecchio",
            kind="health",
            comuni=[w["casalecchio"]],
        ),
        set(),
        {TA},
    ),
    "jurisdiction_grant": (
        lambda w, p, by: services.jurisdiction_grant(
            by=by, user=p[roles.LINK_WORKER], comune=w["arcidosso"]
        ),
        set(),
        set(),
    ),
    "jurisdiction_revoke": (
        lambda w, p, by: services.jurisdiction_revoke(
            by=by, jurisdiction=Jurisdiction.objects.get(user=p[TA])
        ),
        set(),
        set(),
    ),
    # A list that is not ISTAT's: whoever gets past the check is told the file is wrong.
    "comuni_load": (
        lambda w, p, by: services.comuni_load(by=by, istat_text="nome;codice\n"),
        set(),
        set(),
    ),
}


def test_every_write_service_is_in_the_table():
    writes = {
        "comuni_load",
        "district_create",
        "district_update",
        "jurisdiction_grant",
        "jurisdiction_revoke",
    }
    assert {name.split(" ")[0] for name in CASES} == writes


@pytest.mark.parametrize("name", CASES)
def test_each_persona_calling_the_service_directly(name, world, personas):
    call, allowed, hidden = CASES[name]
    # Some calls send input only some worlds accept: past the check counts as allowed.
    found = as_every_persona(call, personas, world, personas, input_refusal_passes=True)
    assert found == expected(allowed, hidden)
    assert outcome(call, world, personas, None, input_refusal_passes=True) == "allowed"


def test_a_jurisdiction_grants_scope_and_is_audited(world, personas):
    worker = personas[roles.LINK_WORKER]
    assert not comuni_in_scope(worker).exists()
    granted = services.jurisdiction_grant(by=personas[SU], user=worker, province=world["grosseto"])
    assert set(comuni_in_scope(worker)) == {world["arcidosso"], world["massa"]}
    event = AuditEvent.objects.get(object_type="territory.jurisdiction", action="create")
    assert (event.object_id, event.actor_role) == (str(granted.pk), SU)
    services.jurisdiction_revoke(by=personas[SU], jurisdiction=granted)
    assert not comuni_in_scope(worker).exists()
    assert AuditEvent.objects.filter(
        object_type="territory.jurisdiction", object_id=str(granted.pk), action="delete"
    ).exists()


@pytest.mark.parametrize(
    "areas",
    [{}, {"region": "toscana", "comune": "arcidosso"}, {"province": "grosseto", "comune": "zola"}],
)
def test_a_jurisdiction_is_exactly_one_area(areas, world, personas):
    with pytest.raises(ValidationError, match="Scegli una sola area"):
        services.jurisdiction_grant(
            by=personas[SU],
            user=personas[roles.LINK_WORKER],
            **{kind: world[key] for kind, key in areas.items()},
        )
    assert not Jurisdiction.objects.filter(user=personas[roles.LINK_WORKER]).exists()


def test_a_citizen_gets_no_territory_and_an_area_is_granted_once(world, personas):
    with pytest.raises(ValidationError) as error:
        services.jurisdiction_grant(
            by=personas[SU], user=personas[roles.CITIZEN], comune=world["arcidosso"]
        )
    assert "user" in error.value.message_dict
    with pytest.raises(ValidationError, match="lavora già su Toscana"):
        services.jurisdiction_grant(by=personas[SU], user=personas[TA], region=world["toscana"])
    assert Jurisdiction.objects.filter(user=personas[TA]).count() == 1
