"""A referral world on top of the shared `world`: a prescriber of the Comune di Arcidosso's
social services, a link worker covering the Amiata district, the provider of the association
that runs the walking group, a citizen, and one referral made through the service."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from legami.conftest import make_user
from legami.core import roles
from legami.directory.models import TaxonomyTerm
from legami.network.models import Membership, Person
from legami.referrals import services
from legami.territory.models import Jurisdiction

# A syntactically valid codice fiscale (made-up person, born 1950-01-01).
TAX_CODE = "RSSMRA50A41A326W"


def person_data(comune, **overrides):
    data = {
        "first_name": "Maria",
        "last_name": "Rossi",
        "birth_date": date(1950, 1, 1),
        "tax_code": TAX_CODE,
        "comune": comune,
        "phone": "0564 000000",
        "preferred_contact": "phone",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, the source language: pages answer in the default
    language when a request names none, so the default is English here. Italian pages are
    checked in test_italian.py, with the catalogue."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def care(world, personas):
    prescriber = personas[roles.PRESCRIBER]
    Membership.objects.create(
        person=Person.objects.create(first_name="Medi", last_name="Co", user=prescriber),
        organisation=world["comune_org"],
        role_title="Assistente sociale",
    )
    link_worker = personas[roles.LINK_WORKER]
    Jurisdiction.objects.create(user=link_worker, district=world["district"])
    outside_worker = make_user(roles.LINK_WORKER, "facilitatore.fuori@test.legami.example")
    Jurisdiction.objects.create(user=outside_worker, district=world["outside_district"])
    outside_prescriber = make_user(roles.PRESCRIBER, "medico.fuori@test.legami.example")
    Membership.objects.create(
        person=Person.objects.create(
            first_name="Altro", last_name="Medico", user=outside_prescriber
        ),
        organisation=world["outside_org"],
        role_title="Medico",
    )
    loneliness = TaxonomyTerm.objects.get(code="solitudine")
    referral = services.referral_create(
        by=prescriber,
        person=person_data(world["arcidosso"]),
        consents=["care", "contact", "outcomes"],
        reasons=[loneliness],
        reason_text="Vive sola dopo la morte del marito.",
        risks="Caduta recente.",
    )
    return {
        **world,
        "prescriber": prescriber,
        "link_worker": link_worker,
        "outside_worker": outside_worker,
        "outside_prescriber": outside_prescriber,
        "provider": personas[roles.PROVIDER],
        "citizen": personas[roles.CITIZEN],
        "dpo": personas[roles.DPO],
        "evaluator": personas[roles.EVALUATOR],
        "territory_admin": personas[roles.TERRITORY_ADMIN],
        "loneliness": loneliness,
        "referral": referral,
    }


def engage(care, referral=None):
    """Take the referral to "assessed" through the lifecycle, as the link worker."""
    referral = referral or care["referral"]
    worker = care["link_worker"]
    services.referral_assign(by=worker, referrals=[referral], link_worker=worker)
    services.referral_transition(by=worker, referral=referral, to="contacted")
    services.referral_transition(
        by=worker, referral=referral, to="assessed", what_matters="Stare con altre persone."
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def matrix_world(care):
    referral = engage(care)
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=care["activity"]
    )
    ended = services.referral_create(
        by=care["prescriber"],
        person=person_data(care["arcidosso"], tax_code="", first_name="Gino"),
        consents=["care"],
    )
    engage(care, ended)
    services.referral_transition(
        by=care["link_worker"], referral=ended, to="declined", reason="Non interessato"
    )
    # Someone typed Maria's name and birth date on the public form: a possible duplicate.
    flagged = services.referral_create(
        by=AnonymousUser(),
        person=person_data(care["arcidosso"], tax_code="", phone="333 0000000"),
        consents=["care"],
    )
    goal = services.goal_add(
        by=care["link_worker"], referral=referral, text="Uscire di casa ogni giorno", rating=3
    )
    return {
        **care,
        "referral": referral,
        "enrolment": enrolment,
        "goal": goal,
        "ended": ended,
        "flagged": flagged,
    }
