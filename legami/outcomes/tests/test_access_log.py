"""The link worker's questionnaire pages name, in the access log, the people they show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from legami.core.models import AuditEvent
from legami.outcomes import services
from legami.outcomes.models import Instrument
from legami.referrals import services as referral_services
from legami.referrals.models import Beneficiary
from legami.referrals.tests.conftest import person_data

pytestmark = pytest.mark.django_db


def test_opening_the_questionnaire_form_is_a_logged_read_of_the_person(client, care):
    referral = care["referral"]
    worker = care["link_worker"]
    referral_services.referral_assign(by=worker, referrals=[referral], link_worker=worker)
    Beneficiary.objects.filter(pk=referral.beneficiary_id).update(user=care["citizen"])
    who5 = Instrument.objects.get(code="who5")
    client.force_login(worker)
    url = reverse("outcomes:record", args=[referral.pk])
    assert client.get(url, {"instrument": who5.pk, "timepoint": "baseline"}).status_code == 200
    (event,) = AuditEvent.objects.filter(actor=worker, purpose="questionnaire entry")
    assert (event.action, event.person_id) == ("view", referral.beneficiary_id)
    assert "Rossi" not in event.object_repr and "Maria" not in event.object_repr

    client.force_login(care["citizen"])
    page = client.get(reverse("referrals:my_data"))
    assert "Questionnaire answers" in page.content.decode()  # the purpose in words


def test_the_questionnaires_due_name_each_person_listed(client, care):
    worker = care["link_worker"]
    who5 = Instrument.objects.get(code="who5")
    referrals = [care["referral"]] + [
        referral_services.referral_create(
            by=care["prescriber"],
            person=person_data(
                care["arcidosso"], first_name=f"Nome{n}", tax_code="", phone=f"333 {n}"
            ),
            consents=["care", "outcomes"],
        )
        for n in range(3)
    ]
    referral_services.referral_assign(by=worker, referrals=referrals, link_worker=worker)
    baselines = [
        services.response_record(
            by=worker,
            instrument=who5,
            beneficiary=referral.beneficiary,
            referral=referral,
            timepoint="baseline",
            administered_on=timezone.localdate() - timedelta(days=100),
            answers=dict.fromkeys(range(1, 6), 3),
        )
        for referral in referrals
    ]
    client.force_login(worker)
    body = client.get(reverse("outcomes:due")).content.decode()
    assert all(f"Nome{n}" in body for n in range(3))
    logged = AuditEvent.objects.filter(actor=worker, purpose="questionnaires due")
    assert set(logged.values_list("object_type", "object_id", "person_id")) == {
        ("outcomes.response", str(b.pk), b.beneficiary_id) for b in baselines
    }
