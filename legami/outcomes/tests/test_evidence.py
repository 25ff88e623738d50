"""Qualitative evidence: recorded encrypted, coded, themes counted by programme, bad input."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from legami.conftest import make_user
from legami.core import roles
from legami.core.models import AuditEvent
from legami.network import services as network
from legami.network.models import Membership, Person
from legami.outcomes.models import Code, Evidence
from legami.outcomes.queries import evidence as queries_evidence
from legami.outcomes.services import evidence as services_evidence

pytestmark = pytest.mark.django_db


def works_for(user, organisation, title="Ricercatrice"):
    Membership.objects.create(
        person=Person.objects.create(first_name="Val", last_name="Utatrice", user=user),
        organisation=organisation,
        role_title=title,
    )


@pytest.fixture(autouse=True)
def _evaluator_of_the_programme(care, personas):
    """The evaluator belongs to a university that is a partner of the programme evaluated."""
    su = personas[roles.SUPERUSER]
    care["superuser"] = su
    university = network.organisation_create(
        by=su, name="Università di Siena", sector="university", comune=care["arcidosso"]
    )
    network.partner_add(by=su, programme=care["programme"], organisation=university)
    works_for(care["evaluator"], university)


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
    counts = {
        code.name: code.records
        for code in queries_evidence.theme_counts(Evidence.objects.all(), None)
    }
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


def _other_programme(care):
    """A programme of Emilia-Romagna, with an interview the evaluator does not work on."""
    other = network.programme_create(
        by=care["superuser"],
        name="Laboratori comunitari",
        lead_partner=care["outside_org"],
        start_date="2025-01-01",
        comuni=[care["casalecchio"]],
    )
    services_evidence.evidence_record(
        by=care["superuser"],
        data={
            "programme": other,
            "kind": "interview",
            "collected_on": timezone.localdate(),
            "setting": "Casa della Salute",
            "participants": "P9",
            "text": "P9: parlo di cose che restano in Emilia.",
        },
        codes=[],
    )
    return other


@pytest.mark.parametrize("who", ["evaluator", "territory_admin"])
def test_transcripts_are_read_only_within_ones_programmes(client, care, who):
    other = _other_programme(care)
    _record(care, [])
    client.force_login(care[who])
    page = client.get(reverse("outcomes:evidence"))
    body = page.content.decode()
    assert "esco di casa due volte" in body
    assert "restano in Emilia" not in body
    assert list(page.context["filters"].fields["programme"].queryset) == [care["programme"]]
    # Asking for the other programme by its id shows nothing of it either.
    body = client.get(reverse("outcomes:evidence"), {"programme": other.pk}).content.decode()
    assert "restano in Emilia" not in body
    # Nor can one record evidence for it: the choice is refused, nothing is saved.
    before = Evidence.objects.count()
    response = client.post(
        reverse("outcomes:evidence"),
        {
            "programme": other.pk,
            "kind": "interview",
            "collected_on": timezone.localdate().isoformat(),
            "setting": "Altrove",
            "participants": "P2",
            "text": "P2: un testo.",
        },
    )
    assert response.status_code == 200 and Evidence.objects.count() == before
    with pytest.raises(Http404):  # as if the programme did not exist
        services_evidence.evidence_record(
            by=care[who],
            data={
                "programme": other,
                "kind": "interview",
                "collected_on": timezone.localdate(),
                "setting": "Altrove",
                "participants": "P2",
                "text": "P2: un testo.",
            },
            codes=[],
        )


def test_an_evaluator_of_no_programme_reads_no_transcript(client, care):
    _record(care, [])
    stranger = make_user(roles.EVALUATOR, "valutatore.altrove@test.legami.example")
    client.force_login(stranger)
    body = client.get(reverse("outcomes:evidence")).content.decode()
    assert "esco di casa" not in body


def test_every_transcript_read_is_logged(client, care):
    records = [_record(care, []) for _ in range(3)]
    client.force_login(care["evaluator"])
    assert client.get(reverse("outcomes:evidence")).status_code == 200
    logged = AuditEvent.objects.filter(
        actor=care["evaluator"], action="list", object_type="outcomes.evidence"
    )
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in records)
    assert all(e.object_repr.endswith(f"#{e.object_id}") for e in logged)
