"""Qualitative evidence: recorded encrypted, coded, themes counted by programme, bad input."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from legami.outcomes import queries_evidence, services_evidence
from legami.outcomes.models import Code, Evidence

pytestmark = pytest.mark.django_db

TEXT = "P1: da quando vengo al gruppo esco di casa due volte a settimana."


def _record(care, codes, programme=None, **changes):
    data = {
        "programme": programme or care["programme"],
        "kind": "interview",
        "collected_on": timezone.localdate(),
        "setting": "Biblioteca di Arcidosso, gruppo di lettura",
        "participants": "P1",
        "text": TEXT,
        **changes,
    }
    return services_evidence.evidence_record(by=care["evaluator"], data=data, codes=codes)


def test_themes_are_counted_by_programme_and_text_is_encrypted(care):
    out = services_evidence.code_create(by=care["evaluator"], name="Uscire di casa")
    friends = services_evidence.code_create(by=care["evaluator"], name="Nuove amicizie")
    _record(care, [out, friends])
    _record(care, [out])
    counts = {code.name: code.records for code in queries_evidence.theme_counts(None)}
    assert counts == {"Uscire di casa": 2, "Nuove amicizie": 1}
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM outcomes_evidence")
        stored = [row[0] for row in cursor.fetchall()]
    assert all("esco di casa" not in value for value in stored)  # only the Fernet token
    assert Evidence.objects.first().text == TEXT


def test_bad_input_is_named_and_nothing_saved(care):
    with pytest.raises(Exception, match="future"):
        _record(care, [], collected_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(Exception, match="transcript"):
        _record(care, [], text="   ")
    services_evidence.code_create(by=care["evaluator"], name="Solitudine")
    with pytest.raises(Exception, match="already has this code"):
        services_evidence.code_create(by=care["evaluator"], name="solitudine")
    assert not Evidence.objects.exists() and Code.objects.count() == 1


def test_page_records_filters_and_shows_quotes(client, care):
    client.force_login(care["territory_admin"])
    client.post(reverse("outcomes:code_add"), {"name": "Uscire di casa"})
    code = Code.objects.get()
    response = client.post(
        reverse("outcomes:evidence"),
        {
            "programme": care["programme"].pk,
            "kind": "observation",
            "collected_on": timezone.localdate().isoformat(),
            "setting": "Camminata nei castagneti",
            "participants": "gruppo di 8, P1–P8",
            "text": TEXT,
            "codes": [code.pk],
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("outcomes:evidence"), {"code": code.pk}).content.decode()
    assert "esco di casa due volte" in body and "Uscire di casa" in body
    client.force_login(care["link_worker"])
    assert client.get(reverse("outcomes:evidence")).status_code == 403
