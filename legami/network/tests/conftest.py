"""Governance fixtures: the world's body with members, a meeting and a decision, and the same
for a programme led from outside the territory administrator's region."""

from datetime import date

import pytest

from legami.network import services


@pytest.fixture
def governance(world):
    body = world["body"]
    members = [
        services.body_member_add(by=None, body=body, organisation=world["comune_org"]),
        services.body_member_add(by=None, body=body, organisation=world["association"]),
    ]
    meeting = services.meeting_add(
        by=None,
        body=body,
        date=date(2025, 10, 1),
        comune=world["arcidosso"],
        agenda="Avvio del cantiere di prescrizione sociale",
        minutes="Condiviso il calendario degli incontri.",
        attendees=[world["comune_org"]],
    )
    decision = services.decision_add(
        by=None,
        meeting=meeting,
        text="Convocare i partner del territorio",
        owner=world["comune_org"],
        due_date=date(2025, 11, 30),
    )
    return {"body": body, "members": members, "meeting": meeting, "decision": decision}


@pytest.fixture
def elsewhere(world):
    """A programme led by the comune of Casalecchio (outside Tuscany), with its body."""
    programme = services.programme_create(
        by=None,
        name="Laboratori comunitari",
        lead_partner=world["outside_org"],
        start_date=date(2011, 1, 1),
        comuni=[world["casalecchio"], world["arcidosso"]],
    )
    body = services.body_create(
        by=None, programme=programme, name="Cabina di regia ristretta", kind="steering_core"
    )
    member = services.body_member_add(by=None, body=body, organisation=world["outside_org"])
    meeting = services.meeting_add(by=None, body=body, date=date(2015, 12, 18))
    decision = services.decision_add(
        by=None,
        meeting=meeting,
        text="Portare gli esiti nei tavoli",
        owner=world["outside_org"],
        due_date=date(2016, 3, 31),
    )
    return {
        "programme": programme,
        "body": body,
        "member": member,
        "meeting": meeting,
        "decision": decision,
    }
