"""What the link worker sees of their work on the caseload and the case page: open cases before
ended ones, the late first contact flagged on both, and the follow-ups falling due."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from legami.referrals import services
from legami.referrals.models import Referral

from .conftest import engage
from .test_views_cases import another_referral, page, signed_in

pytestmark = pytest.mark.django_db


def test_the_caseload_lists_open_cases_before_ended_ones(care):
    worker = care["link_worker"]
    ended = engage(care, another_referral(care, first_name="Ada", last_name="Chiusa"))
    services.referral_transition(by=worker, referral=ended, to="declined", reason="Non ora")
    late = another_referral(care, first_name="Bruno", last_name="Tardi")
    Referral.objects.filter(pk=late.pk).update(
        first_contact_due=timezone.localdate() - timedelta(days=2)
    )
    html = page(signed_in(worker).get(reverse("referrals:caseload"), {"view": "all"}))
    # The late first contact heads the list, the other open case follows, the ended one last.
    assert html.index("Bruno Tardi") < html.index("Maria Rossi") < html.index("Ada Chiusa")


def test_the_case_page_flags_a_late_first_contact(care):
    referral = care["referral"]
    client = signed_in(care["link_worker"])
    url = reverse("referrals:detail", args=[referral.pk])
    assert "overdue: first contact late" not in page(client.get(url))
    Referral.objects.filter(pk=referral.pk).update(
        first_contact_due=timezone.localdate() - timedelta(days=1)
    )
    assert "overdue: first contact late" in page(client.get(url))
    # The prescriber following the referral sees it is late too.
    assert "overdue: first contact late" in page(signed_in(care["prescriber"]).get(url))
