"""Governance bodies: a meeting shows its minutes, attendance and decisions (owner and due
date); members, meetings and decisions are edited and removed from pages reached by clicking
from the body page, and through the API, each change checked and audited by the services."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from legami.conftest import make_user
from legami.core import roles
from legami.core.errors import Refusal
from legami.core.models import AuditEvent
from legami.network import services
from legami.network.models import BodyMember, Decision, Meeting
from legami.network.permissions import policy
from legami.territory.models import Jurisdiction

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def links(response) -> list[str]:
    return re.findall(r'href="([^"]+)"', response.content.decode())


def test_a_meeting_shows_its_minutes_attendance_and_decisions(world, governance, client_for):
    body, meeting = governance["body"], governance["meeting"]
    page = client_for(None).get(reverse("network:body_detail", args=[body.pk]), **EN)
    meeting_url = reverse("network:meeting_detail", args=[meeting.pk])
    assert meeting_url in links(page)  # reached by clicking from the body page
    text = page.content.decode()
    assert "Convocare i partner del territorio" in text and "Nov. 30, 2025" in text
    response = client_for(None).get(meeting_url, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Condiviso il calendario degli incontri." in html  # the minutes
    assert re.search(r"Comune di Arcidosso</a>: present", html)
    assert re.search(r"Associazione Amiata Cammina</a>: absent", html)
    assert "Convocare i partner del territorio" in html and "Nov. 30, 2025" in html
    assert reverse("network:decision_edit", args=[governance["decision"].pk]) not in html


def test_an_administrator_clicks_from_the_body_to_edit_and_remove_everything(
    world, governance, client_for
):
    client = client_for(roles.TERRITORY_ADMIN)
    body, meeting, decision = governance["body"], governance["meeting"], governance["decision"]
    member = governance["members"][1]
    body_page = links(client.get(reverse("network:body_detail", args=[body.pk])))
    for name, pk in [
        ("network:body_edit", body.pk),
        ("network:body_member_edit", member.pk),
        ("network:body_member_remove", member.pk),
        ("network:meeting_add", body.pk),
        ("network:meeting_detail", meeting.pk),
    ]:
        assert reverse(name, args=[pk]) in body_page, name
    meeting_page = links(client.get(reverse("network:meeting_detail", args=[meeting.pk])))
    for name, pk in [
        ("network:meeting_edit", meeting.pk),
        ("network:meeting_remove", meeting.pk),
        ("network:decision_add", meeting.pk),
        ("network:decision_edit", decision.pk),
        ("network:decision_remove", decision.pk),
    ]:
        assert reverse(name, args=[pk]) in meeting_page, name

    response = client.post(
        reverse("network:meeting_edit", args=[meeting.pk]),
        {
            "date": "2025-10-01",
            "comune": "Arcidosso",
            "agenda": "Avvio",
            "minutes": "Verbale approvato all'unanimità.",
            "attendees": [world["comune_org"].pk, world["association"].pk],
        },
    )
    assert response.status_code == 302
    assert set(meeting.attendees.all()) == {world["comune_org"], world["association"]}
    response = client.post(
        reverse("network:decision_edit", args=[decision.pk]),
        {"text": "Convocare i partner", "owner": world["association"].pk, "due_date": "2025-12-15"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.owner, decision.due_date) == (world["association"], date(2025, 12, 15))
    response = client.post(
        reverse("network:decision_add", args=[meeting.pk]),
        {"text": "Aprire lo sportello", "owner": world["comune_org"].pk, "due_date": "2026-01-31"},
    )
    assert response.status_code == 302 and meeting.decisions.count() == 2
    response = client.post(reverse("network:decision_remove", args=[decision.pk]))
    assert response.status_code == 302 and not Decision.objects.filter(pk=decision.pk).exists()
    response = client.post(
        reverse("network:body_member_edit", args=[member.pk]),
        {"person": world["person"].pk, "seats": 2},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.person, member.seats) == (world["person"], 2)
    response = client.post(reverse("network:body_member_remove", args=[member.pk]))
    assert response.status_code == 302 and not BodyMember.objects.filter(pk=member.pk).exists()
    # The organisation left the body; the meeting keeps it among those present.
    assert world["association"] in meeting.attendees.all()
    response = client.post(reverse("network:meeting_remove", args=[meeting.pk]))
    assert response.status_code == 302 and not Meeting.objects.filter(pk=meeting.pk).exists()
    actions = set(
        AuditEvent.objects.filter(actor_role=roles.TERRITORY_ADMIN).values_list(
            "object_type", "action"
        )
    )
    assert actions >= {
        ("network.meeting", "update"),
        ("network.meeting", "delete"),
        ("network.decision", "create"),
        ("network.decision", "update"),
        ("network.decision", "delete"),
        ("network.governancebody", "update"),
    }


def test_a_meeting_is_recorded_with_its_attendance_then_its_decision(world, governance, client_for):
    client = client_for(roles.TERRITORY_ADMIN)
    body = governance["body"]
    response = client.post(
        reverse("network:meeting_add", args=[body.pk]),
        {
            "date": "2025-11-05",
            "comune": "Arcidosso (GR)",
            "agenda": "Programmazione 2026",
            "minutes": "Discussa la programmazione.",
            "attendees": [world["association"].pk],
        },
    )
    meeting = Meeting.objects.get(date=date(2025, 11, 5))
    assert response["Location"] == reverse("network:meeting_detail", args=[meeting.pk])
    assert list(meeting.attendees.all()) == [world["association"]]
    response = client.post(
        reverse("network:decision_add", args=[meeting.pk]),
        {"text": "Scrivere il piano", "owner": world["association"].pk, "due_date": "2025-11-01"},
        **EN,
    )
    assert response.status_code == 200
    assert "The due date comes before the meeting." in response.content.decode()
    assert not meeting.decisions.exists()


def test_bad_governance_input_is_refused_naming_the_field(world, governance, personas):
    admin, body, meeting = (
        personas[roles.TERRITORY_ADMIN],
        governance["body"],
        governance["meeting"],
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_add(
            by=admin, body=body, date=date(2026, 1, 1), attendees=[world["outside_org"]]
        )
    assert "attendees" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.decision_add(
            by=admin,
            meeting=meeting,
            text="X",
            owner=world["outside_org"],
            due_date=date(2026, 1, 1),
        )
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.decision_add(
            by=admin,
            meeting=meeting,
            text="  ",
            owner=world["comune_org"],
            due_date=date(2026, 1, 1),
        )
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_update(by=admin, meeting=meeting, date=date(2025, 12, 31))
    assert "date" in error.value.message_dict  # its decision is due on 30 November
    with pytest.raises(ValidationError) as error:
        # The outside person works for another organisation, and outside the admin's scope.
        services.body_member_update(
            by=admin, member=governance["members"][0], person=world["outside_person"]
        )
    assert "person" in error.value.message_dict
    assert Meeting.objects.filter(body=body).count() == 1 and meeting.decisions.count() == 1


def test_a_member_that_still_owes_a_decision_stays_until_it_is_given_to_another(
    world, governance, personas, client_for
):
    member = governance["members"][0]
    services.decision_add(
        by=None,
        meeting=governance["meeting"],
        text="Rendicontare",
        owner=world["comune_org"],
        due_date=date.today() + timedelta(days=30),
    )
    with pytest.raises(Refusal):
        services.body_member_remove(by=personas[roles.TERRITORY_ADMIN], member=member)
    url = reverse("network:body_member_remove", args=[member.pk])
    response = client_for(roles.TERRITORY_ADMIN).post(url, **EN)
    assert response.status_code == 200
    assert "still owes 1 decision of this body" in response.content.decode()
    response = client_for(roles.TERRITORY_ADMIN).delete(
        f"/api/v1/network/body-members/{member.pk}/", **EN
    )
    assert response.status_code == 409 and "still owes" in response.json()["detail"]
    assert BodyMember.objects.filter(pk=member.pk).exists()


def test_the_api_exposes_bodies_and_writes_through_the_same_services(
    world, governance, elsewhere, client_for
):
    body, meeting = governance["body"], governance["meeting"]
    public = client_for(None).get(f"/api/v1/network/bodies/{body.pk}/").json()
    assert public["meetings"][0]["minutes"] == "Condiviso il calendario degli incontri."
    assert public["meetings"][0]["attendees"] == [world["comune_org"].pk]
    decision = public["meetings"][0]["decisions"][0]
    assert (decision["owner_name"], decision["due_date"]) == ("Comune di Arcidosso", "2025-11-30")
    assert "person" not in public["members"][0]  # representatives are for administrators
    admin = client_for(roles.TERRITORY_ADMIN)
    assert "person" in admin.get(f"/api/v1/network/bodies/{body.pk}/").json()["members"][0]

    created = admin.post(
        "/api/v1/network/decisions/",
        {
            "meeting": meeting.pk,
            "text": "Aprire lo sportello",
            "owner": world["association"].pk,
            "due_date": "2026-02-28",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    changed = admin.patch(
        f"/api/v1/network/decisions/{pk}/",
        {"due_date": "2026-03-31"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["due_date"] == "2026-03-31"
    bad = admin.post(
        "/api/v1/network/meetings/",
        {"body": body.pk, "date": "2026-01-10", "attendees": [world["outside_org"].pk]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "attendees" in bad.json()
    assert admin.delete(f"/api/v1/network/decisions/{pk}/").status_code == 204
    assert AuditEvent.objects.filter(
        object_type="network.decision", object_id=str(pk), action="delete"
    ).exists()
    # Outside the administrator's programmes: 404; a provider: 403.
    outside = admin.post(
        "/api/v1/network/meetings/",
        {"body": elsewhere["body"].pk, "date": "2026-01-10"},
        content_type="application/json",
    )
    assert outside.status_code == 404
    assert admin.delete(f"/api/v1/network/meetings/{elsewhere['meeting'].pk}/").status_code == 404
    provider = client_for(roles.PROVIDER).post(
        "/api/v1/network/meetings/", {"body": body.pk, "date": "2026-01-10"}
    )
    assert provider.status_code == 403
    assert not Meeting.objects.filter(date=date(2026, 1, 10)).exists()


def test_a_programme_with_no_lead_is_edited_by_the_administrators_of_its_comuni(
    world, personas, client_for
):
    """The rule of `programmes_editable`, the same for the page, the API and the services."""
    programme = services.programme_create(
        by=None,
        name="Cantiere comune",
        start_date=date(2025, 9, 25),
        comuni=[world["arcidosso"], world["casalecchio"]],
    )
    body = services.body_create(by=None, programme=programme, name="Tavolo", kind="working_table")
    tuscany = personas[roles.TERRITORY_ADMIN]
    emilia = make_user(roles.TERRITORY_ADMIN, "emilia@test.legami.example")
    Jurisdiction.objects.create(user=emilia, region=world["emilia"])
    massa = make_user(roles.TERRITORY_ADMIN, "massa@test.legami.example")
    Jurisdiction.objects.create(user=massa, comune=world["massa"])
    for admin in (tuscany, emilia):
        assert policy.can(admin, "change_programme", programme)
        assert policy.can(admin, "change_body", body)
    assert not policy.can(massa, "change_programme", programme)  # a comune it does not cover
    client = client_for(roles.TERRITORY_ADMIN)
    assert client.get(reverse("network:programme_edit", args=[programme.pk])).status_code == 200
    programme_page = client.get(reverse("network:programme_detail", args=[programme.pk]))
    assert reverse("network:programme_edit", args=[programme.pk]) in links(programme_page)
    response = client.post(
        "/api/v1/network/meetings/",
        {"body": body.pk, "date": "2025-10-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    from django.test import Client

    outsider = Client()
    outsider.force_login(massa)
    assert outsider.get(reverse("network:programme_edit", args=[programme.pk])).status_code == 404
    assert outsider.get(reverse("network:meeting_add", args=[body.pk])).status_code == 404
    # Once a lead partner is named, the lead's territory decides alone.
    services.partner_add(
        by=None, programme=programme, organisation=world["outside_org"], role="lead"
    )
    assert not policy.can(tuscany, "change_programme", programme)
    assert policy.can(emilia, "change_programme", programme)


def test_the_body_page_query_count_does_not_grow(
    world, governance, client_for, django_assert_max_num_queries
):
    body = governance["body"]
    for n in range(15):
        meeting = services.meeting_add(
            by=None,
            body=body,
            date=date(2025, 1, 1) + timedelta(days=n),
            attendees=[world["comune_org"], world["association"]],
        )
        services.decision_add(
            by=None,
            meeting=meeting,
            text=f"Decisione {n}",
            owner=world["association"],
            due_date=date(2026, 1, 1),
        )
    client = client_for(roles.TERRITORY_ADMIN)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("network:body_detail", args=[body.pk])).status_code == 200
    meeting_url = reverse("network:meeting_detail", args=[governance["meeting"].pk])
    with django_assert_max_num_queries(10):
        assert client.get(meeting_url).status_code == 200
    for url, most in [
        ("/api/v1/network/bodies/", 6),
        ("/api/v1/network/meetings/", 5),
        ("/api/v1/network/decisions/", 2),
    ]:
        with django_assert_max_num_queries(most):
            assert client_for(None).get(url).status_code == 200
