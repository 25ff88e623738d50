"""Asking for help from an activity's page, and the places an activity page says are left."""

import re

import pytest
from django.urls import reverse

from legami.directory.models import Activity, ActivityStatus
from legami.referrals import services
from legami.referrals.models import HOLDING_PLACE, Enrolment, EnrolmentStatus, Referral
from legami.referrals.services import places_left

from .test_places import crowd  # noqa: F401  (fixture)
from .test_views_public import SELF_REFER, self_referral_post


def _activity_page(client, activity) -> str:
    return client.get(reverse("directory:activity_detail", args=[activity.pk])).content.decode()


def test_an_activity_page_leads_to_asking_for_help_with_the_activity(care, client_for):
    activity = care["activity"]
    link = f'href="{SELF_REFER}?attivita={activity.pk}"'
    assert link in _activity_page(client_for(None), activity)
    assert link in _activity_page(client_for("citizen"), activity)
    # staff refer through their own forms
    assert SELF_REFER not in _activity_page(client_for("prescriber"), activity)


def test_a_prefilled_self_referral_records_the_activity_for_the_link_worker(care, client):
    activity = care["activity"]
    page = client.get(SELF_REFER, {"attivita": activity.pk}).content.decode()
    assert re.search(
        r"Activity you are interested in: <strong>\s*" + re.escape(activity.name), page
    )
    assert f'name="attivita" value="{activity.pk}"' in page
    response = client.post(
        f"{SELF_REFER}?attivita={activity.pk}",
        self_referral_post(care, attivita=str(activity.pk)),
    )
    assert response.status_code == 302
    referral = Referral.objects.get(beneficiary__first_name="Giulia")
    assert referral.activity_of_interest == activity
    worker = care["link_worker"]
    from django.test import Client

    as_worker = Client()
    as_worker.force_login(worker)
    case = as_worker.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Activity of interest" in case
    # and it is part of the person's data
    export = services.subject_export(by=care["dpo"], beneficiary=referral.beneficiary)
    assert export["referrals"][0]["activity_of_interest"] == activity.name
    assert (
        f'href="{reverse("directory:activity_detail", args=[activity.pk])}">{activity.name}' in case
    )


@pytest.mark.parametrize(
    "bad", ["abc", "0", "-3", "1.5", "99999999999999999999999", "", "unknown", "draft"]
)
def test_a_bad_or_unpublished_activity_id_is_ignored_without_a_word(care, client, bad):
    activity = care["activity"]
    if bad == "unknown":
        bad = str(Activity.objects.order_by("-pk").first().pk + 1000)
    elif bad == "draft":
        Activity.objects.filter(pk=activity.pk).update(status=ActivityStatus.DRAFT)
        bad = str(activity.pk)
    response = client.get(SELF_REFER, {"attivita": bad})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Activity you are interested in" not in page
    assert activity.name not in page  # nothing said of an unpublished listing
    assert 'name="attivita"' not in page
    response = client.post(f"{SELF_REFER}?attivita={bad}", self_referral_post(care, attivita=bad))
    assert response.status_code == 302
    assert Referral.objects.get(beneficiary__first_name="Giulia").activity_of_interest is None


def test_the_service_leaves_out_an_activity_unpublished_meanwhile(care):
    from django.contrib.auth.models import AnonymousUser

    from legami.referrals.services.public import self_referral_create

    from .conftest import person_data

    activity = care["activity"]
    Activity.objects.filter(pk=activity.pk).update(status=ActivityStatus.SUSPENDED)
    referral = self_referral_create(
        by=AnonymousUser(),
        person=person_data(care["arcidosso"], first_name="Ada", tax_code=""),
        consents=["care"],
        activity=activity,
    )
    assert referral.activity_of_interest is None


@pytest.mark.parametrize(
    "statuses",
    [
        [],
        [EnrolmentStatus.PENDING],
        [EnrolmentStatus.ACCEPTED, EnrolmentStatus.DECLINED, EnrolmentStatus.COMPLETED],
        list(EnrolmentStatus.values),
        [EnrolmentStatus.PENDING, EnrolmentStatus.ACCEPTED, EnrolmentStatus.ACCEPTED],
    ],
)
def test_the_activity_page_says_the_places_left(care, crowd, client, statuses):  # noqa: F811
    activity = care["activity"]
    Activity.objects.filter(pk=activity.pk).update(capacity=3, referral_slots=None)
    activity.refresh_from_db()
    for referral, status in zip(crowd, statuses, strict=False):
        Enrolment.objects.create(referral=referral, activity=activity, status=status)
    held = sum(1 for status in statuses if status in HOLDING_PLACE)
    expected = max(3 - held, 0)
    assert places_left(activity) == expected
    page = _activity_page(client, activity)
    shown = re.search(r'<dd class="col-sm-8" id="places-left">([^<]+)</dd>', page)[1]
    if expected:
        assert shown == f"Places left: {expected}"
    else:
        assert shown == "No places available at the moment"


def test_an_activity_without_a_limit_says_nothing_of_places(care, client):
    activity = care["activity"]
    Activity.objects.filter(pk=activity.pk).update(capacity=None, referral_slots=None)
    assert 'id="places-left"' not in _activity_page(client, activity)


def test_the_home_page_leads_with_what_citizens_come_for(client):
    html = client.get("/").content.decode()
    cards = html[html.index("legami-card-citizen") :]  # past the header's menu
    search, ask, training = (
        cards.index(f'href="{reverse(name)}"')
        for name in ("directory:search", "referrals:self_refer", "learning:index")
    )
    assert search < ask < training
    assert "legami-card-citizen" not in cards[training:]  # the citizen cards end there
    institutional = cards.find("The network of the territory")
    assert institutional == -1 or institutional > training
