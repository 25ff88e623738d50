"""The instrument library in the back office: names and the licensed wording are loaded
through the service (the superuser's alone, logged); the scoring is not written there,
nothing is added or deleted, and questionnaires built in Legami are read-only."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from legami.conftest import make_user
from legami.core import roles
from legami.core.models import AuditEvent
from legami.core.tests.read_only_admin import assert_read_only_in_admin
from legami.outcomes.models import Instrument


def _url(instrument) -> str:
    return f"/admin/outcomes/instrument/{instrument.pk}/change/"


def _form(instrument, item_texts=None, **changes) -> dict:
    """The change page as posted, with `item_texts` {number: Italian text} loaded."""
    item_texts = item_texts or {}
    data = {
        "name": instrument.name,
        "name_en": instrument.name_en,
        "name_fr": instrument.name_fr,
        "licence": instrument.licence,
        "source": instrument.source,
        **({"is_active": "on"} if instrument.is_active else {}),
        **changes,
    }
    for prefix, rows, fields in (
        ("items", list(instrument.items.order_by("pk")), ("text", "text_en", "text_fr")),
        ("bands", list(instrument.bands.order_by("pk")), ("label", "label_en", "label_fr")),
    ):
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-instrument"] = instrument.pk
            for field in fields:
                data[f"{prefix}-{i}-{field}"] = getattr(row, field)
            if prefix == "items" and row.number in item_texts:
                data[f"{prefix}-{i}-text"] = item_texts[row.number]
    return data


@pytest.fixture
def swemwbs(db):
    return Instrument.objects.get(code="swemwbs")


def test_licensed_wording_loaded_in_the_admin_is_logged(personas, client_for, swemwbs):
    first = swemwbs.items.order_by("number").first()
    response = client_for(roles.SUPERUSER).post(
        _url(swemwbs), _form(swemwbs, {first.number: "Mi sono sentito ottimista"}, name_en="S")
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    first.refresh_from_db()
    assert first.text == "Mi sono sentito ottimista"
    assert Instrument.objects.get(pk=swemwbs.pk).name_en == "S"
    event = AuditEvent.objects.get(object_type="outcomes.instrument", action="update")
    assert event.object_id == str(swemwbs.pk)
    assert event.actor_label == "superuser@test.legami.example"
    assert event.changes == {"fields": ["name_en"], "items": [first.pk], "bands": []}


def test_a_staff_member_who_is_not_a_superuser_loads_no_wording(personas, swemwbs):
    user = make_user(roles.EVALUATOR, "staff@test.legami.example")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="outcomes"))
    client = Client()
    client.force_login(user)
    first = swemwbs.items.order_by("number").first()
    response = client.post(_url(swemwbs), _form(swemwbs, {first.number: "Testo"}))
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.text == ""
    assert not AuditEvent.objects.filter(object_type="outcomes.instrument").exists()


def test_the_library_is_never_added_to_nor_deleted_from_in_the_admin(client_for, personas):
    client = client_for(roles.SUPERUSER)
    who5 = Instrument.objects.get(code="who5")
    assert client.get("/admin/outcomes/instrument/add/").status_code == 403
    response = client.post(f"/admin/outcomes/instrument/{who5.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Instrument.objects.filter(pk=who5.pk).exists()


def test_a_questionnaire_built_in_legami_is_read_only_in_the_admin(client_for, personas):
    built = Instrument.objects.create(code="built", name="Costruito", scoring={}, is_custom=True)
    assert_read_only_in_admin(client_for(roles.SUPERUSER), built)
