"""Places for referred people: one count, whatever the person's needs, and freed when a path
ends. Property-based: for any capacity, mix of enrolment statuses and set of needs, the places
left are capacity minus the enrolments that hold one, in matching, in the rule that refuses an
enrolment, on the activity's public page and in the API's suggestions."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legami.directory.models import TaxonomyTerm
from legami.referrals import matching, services
from legami.referrals.models import HOLDING_PLACE, Enrolment, EnrolmentStatus

from .conftest import engage, person_data

NEEDS = ["solitudine", "umore-ansia", "patologia-cronica", "inattivita", "anziani"]


@pytest.fixture
def crowd(care):
    """Six other people of Arcidosso, referred, whose enrolments will hold (or not) places."""
    return [
        services.referral_create(
            by=care["prescriber"],
            person=person_data(care["arcidosso"], tax_code="", first_name=f"Persona{i}"),
            consents=["care"],
        )
        for i in range(6)
    ]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    capacity=st.integers(min_value=1, max_value=6),
    statuses=st.lists(st.sampled_from(EnrolmentStatus.values), max_size=6),
    wanted=st.sets(st.sampled_from(NEEDS), min_size=1),
)
def test_places_left_are_capacity_minus_the_places_held(
    care, crowd, client_for, capacity, statuses, wanted
):
    savepoint = transaction.savepoint()
    try:
        activity = care["activity"]
        activity.referral_slots = capacity
        activity.save(update_fields=["referral_slots"])
        activity.terms.add(*TaxonomyTerm.objects.filter(taxonomy__code="need", code__in=NEEDS))
        for referral, status in zip(crowd, statuses, strict=False):
            Enrolment.objects.create(referral=referral, activity=activity, status=status)
        held = sum(1 for status in statuses if status in HOLDING_PLACE)
        expected = max(capacity - held, 0)
        person = care["referral"]
        person.reasons.set(TaxonomyTerm.objects.filter(taxonomy__code="need", code__in=wanted))

        offered = {s.activity.pk: s.places_left for s in matching.suggest(person)}
        # a full activity is not offered; an open one says exactly how many places are left
        assert offered.get(activity.pk, 0) == expected
        assert services.places_left(activity) == expected
        page = Client().get(reverse("directory:activity_detail", args=[activity.pk]))
        assert page.context["places_left"] == expected
        engage(care, person)
        api = client_for("link_worker").get(f"/api/v1/referrals/referrals/{person.pk}/suggestions/")
        by_activity = {row["activity"]: row["places_left"] for row in api.json()}
        assert by_activity.get(activity.pk, 0) == expected
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.parametrize(
    ("ending", "reason", "enrolment_after"),
    [
        ("completed", "", EnrolmentStatus.COMPLETED),
        ("closed", "Trasferita", EnrolmentStatus.WITHDRAWN),
    ],
)
def test_a_path_that_ends_frees_its_place(care, ending, reason, enrolment_after):
    activity = care["activity"]
    activity.referral_slots = 1
    activity.save(update_fields=["referral_slots"])
    referral = engage(care)
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=activity
    )
    services.enrolment_respond(by=care["provider"], enrolment=enrolment, accept=True)
    assert services.places_left(activity) == 0
    if ending == "completed":
        services.referral_transition(
            by=care["link_worker"], referral=referral, to="plan_agreed", goals="Uscire di casa"
        )
    services.referral_transition(
        by=care["link_worker"], referral=referral, to=ending, reason=reason
    )
    enrolment.refresh_from_db()
    assert enrolment.status == enrolment_after
    assert services.places_left(activity) == 1


def test_a_pending_answer_is_withdrawn_when_the_person_is_unreachable(care):
    referral = engage(care)
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=care["activity"]
    )
    services.referral_transition(
        by=care["link_worker"], referral=referral, to="closed", reason="Non più interessata"
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
