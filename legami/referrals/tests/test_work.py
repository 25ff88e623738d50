"""The counts beside a person's work in their area (referrals/module.py)."""

from datetime import timedelta

from django.utils import timezone

from legami.referrals.models import Referral


def test_link_worker_sees_overdue_and_waiting_counts(client, care):
    Referral.objects.filter(pk=care["referral"].pk).update(
        first_contact_due=timezone.localdate() - timedelta(days=2)
    )
    client.force_login(care["link_worker"])
    html = client.get("/area-personale/").content.decode()
    assert "1 overdue" in html
    assert "1 waiting" in html


def test_outside_link_worker_counts_nothing_of_another_territory(client, care):
    Referral.objects.filter(pk=care["referral"].pk).update(
        first_contact_due=timezone.localdate() - timedelta(days=2)
    )
    client.force_login(care["outside_worker"])
    html = client.get("/area-personale/").content.decode()
    assert "1 overdue" not in html
    assert "1 waiting" not in html


def test_area_costs_a_bounded_number_of_queries(client, care, django_assert_max_num_queries):
    client.force_login(care["link_worker"])
    with django_assert_max_num_queries(14):
        assert client.get("/area-personale/").status_code == 200
