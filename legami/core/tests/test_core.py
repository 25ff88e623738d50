from unittest import mock

import pytest
from django.db import DatabaseError, connection

from legami.core.audit import audit
from legami.core.models import AuditEvent


def test_audit_log_is_append_only_in_the_orm_and_in_the_database(personas):
    event = audit(by=personas["dpo"], action="view", object_type="network.person", object_id="1")
    event.purpose = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(purpose="x")
    for sql in (
        "UPDATE core_auditevent SET purpose = 'x'",
        "DELETE FROM core_auditevent",
    ):
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            from django.db import transaction

            with transaction.atomic():
                cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).purpose == ""


def test_healthz_answers_200_with_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch.object(connection, "cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_home_is_italian_by_default_and_switches_language(client, db):
    response = client.get("/")
    assert '<html lang="it">' in response.content.decode()
    assert 'href="#main-content"' in response.content.decode()
    for code in ("en", "fr"):
        response = client.post("/i18n/setlang/", {"language": code, "next": "/"})
        assert response.status_code == 302
        assert f'<html lang="{code}">' in client.get("/").content.decode()


def test_security_headers_on_every_page(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_of_a_signed_in_user_are_not_stored(client_for, world):
    response = client_for("territory_admin").get("/rete/persone/")
    assert "no-store" in response["Cache-Control"]


def test_dpo_filters_the_access_log(world, client_for):
    client_for("territory_admin").get(f"/rete/persone/{world['person'].pk}/")
    response = client_for("dpo").get(
        "/registro-accessi/", {"action": "view", "object_type": "network.person"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "territory_admin@test.legami.example" in body
    bad = client_for("dpo").get("/registro-accessi/", {"since": "not-a-date", "page": "x"})
    assert bad.status_code == 200


def test_no_template_uses_inline_script_or_style():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        text = template.read_text()
        if "<script>" in text or "style=" in text or "<style" in text:
            offenders.append(str(template))
    assert not offenders
