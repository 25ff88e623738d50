"""Every write service of the network checks, itself, who may do it: called directly with
each persona, it succeeds, refuses the role (PermissionDenied, a 403) or does not find the
object outside the persona's scope (Http404); `by=None`, the system, may do everything."""

from datetime import date

import pytest

from legami.core import roles
from legami.core.tests.service_permissions import as_every_persona, expected, outcome
from legami.network import services

TA, PRO, SU = roles.TERRITORY_ADMIN, roles.PROVIDER, roles.SUPERUSER


def _organisation(w, name="Nuova associazione"):
    return services.organisation_create(
        by=None, name=name, sector="third_sector", comune=w["arcidosso"]
    )


def _member(w, body):
    return services.body_member_add(by=None, body=body, organisation=_organisation(w))


# name: (call(world, governance, elsewhere, by), roles allowed, roles that get 404)
# Roles neither allowed nor 404 get PermissionDenied. The superuser is always allowed.
CASES = {
    "organisation_create": (
        lambda w, g, e, by: services.organisation_create(
            by=by, name="Coro", sector="informal_group", comune=w["arcidosso"]
        ),
        {TA},
        set(),
    ),
    "organisation_update": (
        lambda w, g, e, by: services.organisation_update(
            by=by, organisation=w["association"], phone="0564 000000"
        ),
        {TA, PRO},
        set(),
    ),
    "organisation_update elsewhere": (
        lambda w, g, e, by: services.organisation_update(
            by=by, organisation=w["outside_org"], phone="051 000000"
        ),
        set(),
        {TA, PRO},
    ),
    "relationship_create": (
        lambda w, g, e, by: services.relationship_create(
            by=by,
            source=w["association"],
            target=w["comune_org"],
            kind="agreement",
            start_date=date(2025, 1, 1),
        ),
        {TA, PRO},
        set(),
    ),
    "relationship_create from elsewhere": (
        lambda w, g, e, by: services.relationship_create(
            by=by,
            source=w["outside_org"],
            target=w["association"],
            kind="agreement",
            start_date=date(2025, 1, 1),
        ),
        set(),
        {TA, PRO},
    ),
    "person_create": (
        lambda w, g, e, by: services.person_create(
            by=by,
            organisation=w["association"],
            role_title="Socia",
            first_name="Ada",
            last_name="Bruni",
        ),
        {TA},
        set(),
    ),
    "person_create elsewhere": (
        lambda w, g, e, by: services.person_create(
            by=by,
            organisation=w["outside_org"],
            role_title="Socia",
            first_name="Ada",
            last_name="Bruni",
        ),
        set(),
        {TA},
    ),
    "person_update": (
        lambda w, g, e, by: services.person_update(
            by=by, person=w["person"], first_name="Demo", last_name="Persona"
        ),
        {TA},
        set(),
    ),
    "person_update elsewhere": (
        lambda w, g, e, by: services.person_update(
            by=by, person=w["outside_person"], first_name="Fuori", last_name="Ambito"
        ),
        set(),
        {TA},
    ),
    "membership_add": (
        lambda w, g, e, by: services.membership_add(
            by=by, person=w["person"], organisation=w["comune_org"], role_title="Volontaria"
        ),
        {TA},
        set(),
    ),
    "membership_add elsewhere": (
        lambda w, g, e, by: services.membership_add(
            by=by, person=w["person"], organisation=w["outside_org"], role_title="Volontaria"
        ),
        set(),
        {TA},
    ),
    "programme_create": (
        lambda w, g, e, by: services.programme_create(
            by=by, name="Nuovo programma", lead_partner=w["comune_org"], start_date=date.today()
        ),
        {TA},
        set(),
    ),
    "programme_create led from elsewhere": (
        lambda w, g, e, by: services.programme_create(
            by=by, name="Nuovo programma", lead_partner=w["outside_org"], start_date=date.today()
        ),
        set(),
        {TA},
    ),
    "programme_update": (
        lambda w, g, e, by: services.programme_update(
            by=by,
            programme=w["programme"],
            name="Comunità resilienti",
            start_date=date(2025, 9, 25),
            comuni=[w["arcidosso"]],
        ),
        {TA},
        set(),
    ),
    "programme_update led from elsewhere": (
        lambda w, g, e, by: services.programme_update(
            by=by, programme=e["programme"], name="Laboratori", start_date=date(2011, 1, 1)
        ),
        set(),
        {TA},
    ),
    "partner_add": (
        lambda w, g, e, by: services.partner_add(
            by=by, programme=w["programme"], organisation=w["association"]
        ),
        {TA},
        set(),
    ),
    "partner_add elsewhere": (
        lambda w, g, e, by: services.partner_add(
            by=by, programme=e["programme"], organisation=w["association"]
        ),
        set(),
        {TA},
    ),
    "funding_add": (
        lambda w, g, e, by: services.funding_add(
            by=by, programme=w["programme"], funder=w["association"], amount=1000
        ),
        {TA},
        set(),
    ),
    "funding_add elsewhere": (
        lambda w, g, e, by: services.funding_add(
            by=by, programme=e["programme"], funder=w["association"], amount=1000
        ),
        set(),
        {TA},
    ),
    "body_create": (
        lambda w, g, e, by: services.body_create(
            by=by, programme=w["programme"], name="Tavolo tecnico", kind="working_table"
        ),
        {TA},
        set(),
    ),
    "body_create elsewhere": (
        lambda w, g, e, by: services.body_create(
            by=by, programme=e["programme"], name="Tavolo tecnico", kind="working_table"
        ),
        set(),
        {TA},
    ),
    "body_update": (
        lambda w, g, e, by: services.body_update(
            by=by, body=g["body"], name="Cabina di regia", kind="steering_extended"
        ),
        {TA},
        set(),
    ),
    "body_update elsewhere": (
        lambda w, g, e, by: services.body_update(
            by=by, body=e["body"], name="Cabina", kind="steering_core"
        ),
        set(),
        {TA},
    ),
    "body_member_add": (
        lambda w, g, e, by: services.body_member_add(
            by=by, body=g["body"], organisation=w["outside_org"]
        ),
        {TA},
        set(),
    ),
    "body_member_add elsewhere": (
        lambda w, g, e, by: services.body_member_add(
            by=by, body=e["body"], organisation=w["association"]
        ),
        set(),
        {TA},
    ),
    "body_member_update": (
        lambda w, g, e, by: services.body_member_update(by=by, member=g["members"][1], seats=2),
        {TA},
        set(),
    ),
    "body_member_update elsewhere": (
        lambda w, g, e, by: services.body_member_update(by=by, member=e["member"], seats=2),
        set(),
        {TA},
    ),
    "body_member_remove": (
        lambda w, g, e, by: services.body_member_remove(by=by, member=_member(w, g["body"])),
        {TA},
        set(),
    ),
    "body_member_remove elsewhere": (
        lambda w, g, e, by: services.body_member_remove(by=by, member=_member(w, e["body"])),
        set(),
        {TA},
    ),
    "meeting_add": (
        lambda w, g, e, by: services.meeting_add(by=by, body=g["body"], date=date(2025, 12, 1)),
        {TA},
        set(),
    ),
    "meeting_add elsewhere": (
        lambda w, g, e, by: services.meeting_add(by=by, body=e["body"], date=date(2025, 12, 1)),
        set(),
        {TA},
    ),
    "meeting_update": (
        lambda w, g, e, by: services.meeting_update(
            by=by, meeting=g["meeting"], date=date(2025, 10, 1), minutes="Verbale approvato."
        ),
        {TA},
        set(),
    ),
    "meeting_update elsewhere": (
        lambda w, g, e, by: services.meeting_update(
            by=by, meeting=e["meeting"], date=date(2015, 12, 18)
        ),
        set(),
        {TA},
    ),
    "meeting_remove": (
        lambda w, g, e, by: services.meeting_remove(by=by, meeting=g["meeting"]),
        {TA},
        set(),
    ),
    "meeting_remove elsewhere": (
        lambda w, g, e, by: services.meeting_remove(by=by, meeting=e["meeting"]),
        set(),
        {TA},
    ),
    "decision_add": (
        lambda w, g, e, by: services.decision_add(
            by=by,
            meeting=g["meeting"],
            text="Aprire lo sportello",
            owner=w["association"],
            due_date=date(2026, 1, 31),
        ),
        {TA},
        set(),
    ),
    "decision_add elsewhere": (
        lambda w, g, e, by: services.decision_add(
            by=by,
            meeting=e["meeting"],
            text="Aprire lo sportello",
            owner=w["outside_org"],
            due_date=date(2016, 1, 31),
        ),
        set(),
        {TA},
    ),
    "decision_update": (
        lambda w, g, e, by: services.decision_update(
            by=by,
            decision=g["decision"],
            text="Convocare i partner",
            owner=w["association"],
            due_date=date(2025, 12, 15),
        ),
        {TA},
        set(),
    ),
    "decision_update elsewhere": (
        lambda w, g, e, by: services.decision_update(
            by=by,
            decision=e["decision"],
            text="Portare gli esiti",
            owner=w["outside_org"],
            due_date=date(2016, 3, 31),
        ),
        set(),
        {TA},
    ),
    "decision_remove": (
        lambda w, g, e, by: services.decision_remove(by=by, decision=g["decision"]),
        {TA},
        set(),
    ),
    "decision_remove elsewhere": (
        lambda w, g, e, by: services.decision_remove(by=by, decision=e["decision"]),
        set(),
        {TA},
    ),
}


def test_every_write_service_is_in_the_table():
    written = {name.split(" ")[0] for name in CASES}
    public = {name for name in services.__all__ if name.islower() and "normalise" not in name}
    assert written == public


@pytest.mark.parametrize("name", CASES)
def test_each_persona_calling_the_service_directly(name, world, governance, elsewhere, personas):
    call, allowed, hidden = CASES[name]
    assert as_every_persona(call, personas, world, governance, elsewhere) == expected(
        allowed, hidden
    )
    assert outcome(call, world, governance, elsewhere, None) == "allowed"  # the system
