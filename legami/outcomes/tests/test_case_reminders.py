"""The follow-ups falling due reach the link worker where they work: the person's case page and
the caseload (through the manifest's `case_reminders`: referrals does not import outcomes)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from legami.core.modules import case_reminders
from legami.referrals import services as referral_services

from .test_responses import record

pytestmark = pytest.mark.django_db

WHO5_3M = "WHO-5 Well-Being Index, follow-up at 3 months"


def _held(care):
    worker = care["link_worker"]
    referral_services.referral_assign(by=worker, referrals=[care["referral"]], link_worker=worker)
    return worker


def test_a_follow_up_due_is_on_the_case_page_and_the_caseload(client, care):
    worker = _held(care)
    referral = care["referral"]
    record(care, administered_on=timezone.localdate() - timedelta(days=88))
    found = case_reminders([referral.pk])[referral.pk]
    assert [r.text for r in found] == [WHO5_3M]
    due_on = found[0].due_on
    assert not found[0].overdue
    client.force_login(worker)
    when = f"due by {due_on.day}/{due_on.month}/{due_on.year}"
    case = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Follow-ups due" in case and WHO5_3M in case and when in case
    assert reverse("outcomes:person", args=[referral.pk]) in case
    caseload = client.get(reverse("referrals:caseload")).content.decode()
    assert WHO5_3M in caseload and when in caseload
    # The prescriber following the referral is not given the link worker's to-do.
    client.force_login(care["prescriber"])
    case = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Follow-ups due" not in case


def test_a_follow_up_done_is_no_longer_due_and_a_late_one_says_overdue(care):
    _held(care)
    referral = care["referral"]
    assert case_reminders([referral.pk]) == {}  # no baseline, nothing to follow up
    record(care, administered_on=timezone.localdate() - timedelta(days=100))
    (late,) = case_reminders([referral.pk])[referral.pk]
    assert late.overdue
    record(care, timepoint="follow_up_3m", administered_on=timezone.localdate())
    assert case_reminders([referral.pk]) == {}  # 6 months not due yet


def test_the_caseload_asks_for_the_reminders_of_a_page_at_once(
    client, care, django_assert_max_num_queries
):
    from legami.referrals.tests.conftest import person_data

    worker = _held(care)
    record(care, administered_on=timezone.localdate() - timedelta(days=95))
    for i in range(8):
        other = referral_services.referral_create(
            by=care["prescriber"],
            person=person_data(care["arcidosso"], first_name=f"Persona{i}", tax_code=""),
            consents=["care", "outcomes"],
        )
        referral_services.referral_assign(by=worker, referrals=[other], link_worker=worker)
        record(
            {**care, "referral": other}, administered_on=timezone.localdate() - timedelta(days=95)
        )
    client.force_login(worker)
    with django_assert_max_num_queries(20):
        body = client.get(reverse("referrals:caseload")).content.decode()
    assert body.count(WHO5_3M) == 9
