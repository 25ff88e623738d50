"""The benchmark data generator: deterministic, marked, findable, inside Italy."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from legami.core.models import AuditEvent
from legami.demo import generator
from legami.demo.generator import geo
from legami.directory import text
from legami.directory.models import Activity, ActivityStatus, CostOption, Place, Schedule
from legami.network.models import Organisation
from legami.territory.models import Comune, Province, Region

TINY = generator.SCALES["tiny"]


@pytest.fixture
def cremona(db):
    """Five comuni of the province of Cremona; only the capital has coordinates."""
    lombardia = Region.objects.create(code="03", name="Lombardia")
    province = Province.objects.create(
        code="019", name="Cremona", abbreviation="CR", region=lombardia
    )
    Comune.objects.create(
        istat_code="019036",
        name="Cremona",
        province=province,
        is_capital=True,
        latitude="45.13330",
        longitude="10.02270",
    )
    for code, name in [
        ("019035", "Crema"),
        ("019001", "Acquanegra Cremonese"),
        ("019002", "Agnadello"),
        ("019003", "Annicco"),
    ]:
        Comune.objects.create(istat_code=code, name=name, province=province)
    return province


def snapshot():
    activities = Activity.objects.filter(extra__generated=True).order_by("hsds_id")
    return {
        "organisations": list(
            Organisation.objects.filter(extra__generated=True)
            .order_by("name")
            .values_list("name", "sector", "comune__istat_code")
        ),
        "places": sorted(
            Place.objects.filter(extra__generated=True).values_list(
                "hsds_id", "name", "latitude", "longitude", "comune__istat_code"
            )
        ),
        "activities": [
            (a.hsds_id, a.name, a.status, sorted(t.code for t in a.terms.all()))
            for a in activities.prefetch_related("terms")
        ],
        "schedules": sorted(
            Schedule.objects.filter(activity__in=activities).values_list(
                "hsds_id", "freq", "byday", "bymonthday", "opens_at", "valid_from"
            )
        ),
    }


def run(*args):
    out = io.StringIO()
    call_command("generate_data", "--scale", "tiny", *args, stdout=out)
    return out.getvalue()


def test_counts_marks_and_audit(cremona):
    output = run("--seed", "7")
    assert "Generated tiny data with seed 7" in output
    assert Organisation.objects.filter(extra__generated=True).count() == TINY.organisations
    assert Place.objects.filter(extra__generated=True).count() == TINY.places
    assert Activity.objects.filter(extra__generated=True).count() == TINY.activities
    assert Activity.objects.count() == TINY.activities
    for activity in Activity.objects.prefetch_related("terms", "schedules"):
        assert 1 <= activity.terms.count() <= 4
        assert 1 <= activity.schedules.count() <= 2
        assert activity.extra["generated"] is True
    event = AuditEvent.objects.get(object_type="demo.generated_data", action="create")
    assert event.actor is None
    assert event.changes["activities"] == TINY.activities
    # Synthetic positions stay out of the territory register.
    assert Comune.objects.filter(latitude__isnull=False).count() == 1


def test_same_seed_same_data_other_seed_other_data(cremona):
    run("--seed", "3")
    first = snapshot()
    run("--seed", "3", "--replace")
    assert snapshot() == first
    run("--seed", "4", "--replace")
    other = snapshot()
    assert other["organisations"] != first["organisations"]
    assert other["places"] != first["places"]
    assert other["activities"] != first["activities"]
    assert Activity.objects.count() == TINY.activities


def test_refuses_to_generate_twice_without_replace(cremona):
    run("--seed", "1")
    with pytest.raises(CommandError, match="--replace"):
        run("--seed", "1")
    assert "nothing to do" in run("--seed", "1", "--if-missing")
    assert Activity.objects.count() == TINY.activities


def test_activities_are_findable_with_derived_fields(cremona):
    run("--seed", "11")
    published = Activity.objects.filter(status=ActivityStatus.PUBLISHED)
    assert published.count() > TINY.activities // 2
    today = timezone.localdate()
    for activity in published.select_related("organisation").prefetch_related("schedules"):
        if any(s.valid_to is None or s.valid_to >= today for s in activity.schedules.all()):
            assert activity.next_session_at is not None
            assert activity.next_session_at > timezone.now()
        assert activity.search_stems.strip()
        assert activity.search_text == text.fold(activity.search_text)
        assert text.fold(activity.organisation.name) in activity.search_text
        paid = CostOption.objects.filter(activity=activity, amount__gt=0).exists()
        assert activity.is_free is not paid


def test_places_lie_in_italy_near_their_comune(cremona):
    run("--seed", "5")
    for place in Place.objects.filter(extra__generated=True).select_related("comune"):
        assert geo.ITALY_LATITUDE[0] <= place.latitude <= geo.ITALY_LATITUDE[1]
        assert geo.ITALY_LONGITUDE[0] <= place.longitude <= geo.ITALY_LONGITUDE[1]
        south, north, west, east = geo.PROVINCE_BOXES["019"]
        assert south - 0.1 <= place.latitude <= north + 0.1
        assert west - 0.1 <= place.longitude <= east + 0.1


def test_synthetic_position_depends_on_the_code_only():
    box = geo.PROVINCE_BOXES["019"]
    assert geo.synthetic_position("019001", box) == geo.synthetic_position("019001", box)
    assert geo.synthetic_position("019001", box) != geo.synthetic_position("019002", box)
    latitude, longitude = geo.synthetic_position("019001", box)
    assert box[0] < latitude < box[1] and box[2] < longitude < box[3]


# --- referrals --------------------------------------------------------------------------------
def referral_snapshot():
    from legami.referrals.models import Referral

    return sorted(
        Referral.objects.values_list(
            "beneficiary__pseudonym",
            "status",
            "urgency",
            "source",
            "comune__istat_code",
            "link_worker__email",
            "first_contact_due",
        )
    )


def test_tiny_generates_referrals_that_follow_the_rules(cremona):
    from legami.accounts.models import User
    from legami.demo.generator import referrals as made
    from legami.referrals import scopes
    from legami.referrals.models import (
        ENDED_STATUSES,
        HOLDING_PLACE,
        OPEN_STATUSES,
        Beneficiary,
        Enrolment,
        Referral,
        ReferralEvent,
    )
    from legami.referrals.services.enrolment import referral_capacity
    from legami.referrals.services.timeline import TRANSITIONS

    output = run("--seed", "2")
    sizes = made.REFERRAL_SCALES["tiny"]
    assert f"{sizes.referrals} referrals" in output
    assert Beneficiary.objects.filter(email__endswith=made.DOMAIN, is_demo=True).count() == (
        sizes.people
    )
    referrals = Referral.objects.all()
    assert referrals.count() == sizes.referrals
    assert referrals.values("status").distinct().count() >= 6
    # Encrypted at rest through the model field, readable through it.
    assert all(r.reason_text for r in referrals)
    # At most one open referral per person; ended ones have their closing time.
    for person in Beneficiary.objects.all():
        assert person.referrals.filter(status__in=OPEN_STATUSES).count() <= 1
    assert not referrals.filter(status__in=ENDED_STATUSES, closed_at__isnull=True).exists()
    # Every timeline follows the lifecycle's transitions.
    for referral in referrals.prefetch_related("events"):
        steps = [e for e in referral.events.all() if e.from_status != e.to_status]
        assert steps[0].to_status == "received" and not steps[0].from_status
        for step in steps[1:]:
            assert step.to_status in TRANSITIONS[step.from_status]
        assert steps[-1].to_status == referral.status
    assert ReferralEvent.objects.count() > sizes.referrals
    # Places held never exceed what an activity takes.
    for enrolment in Enrolment.objects.filter(status__in=HOLDING_PLACE).select_related("activity"):
        capacity = referral_capacity(enrolment.activity)
        if capacity is not None:
            held = Enrolment.objects.filter(activity=enrolment.activity, status__in=HOLDING_PLACE)
            assert held.count() <= capacity
    # The benchmark's accounts: a caseload of the promised size, an inbox, a prescriber.
    bench = User.objects.get(email=made.BENCH_LINK_WORKER)
    assert referrals.filter(link_worker=bench).count() == sizes.caseload
    assert scopes.referrals_visible(bench, referrals).count() >= sizes.caseload
    provider = User.objects.get(email=made.BENCH_PROVIDER)
    assert scopes.enrolments_for_provider(provider, Enrolment.objects.all()).exists()
    prescriber = User.objects.get(email=made.BENCH_PRESCRIBER)
    assert scopes.referrals_visible(prescriber, referrals).exists()


def test_referrals_same_seed_same_data_and_if_missing_adds_nothing(cremona):
    from legami.referrals.models import Beneficiary, Enrolment, Referral, ReferralEvent

    run("--seed", "9")
    first = referral_snapshot()
    counts = (
        Beneficiary.objects.count(),
        Referral.objects.count(),
        ReferralEvent.objects.count(),
        Enrolment.objects.count(),
    )
    assert "nothing to do" in run("--seed", "9", "--if-missing")
    assert (
        Beneficiary.objects.count(),
        Referral.objects.count(),
        ReferralEvent.objects.count(),
        Enrolment.objects.count(),
    ) == counts
    run("--seed", "9", "--replace")
    assert referral_snapshot() == first
    assert Referral.objects.count() == counts[1]


def test_if_missing_adds_referrals_to_an_existing_directory(cremona):
    from legami.demo.generator import referrals as made
    from legami.referrals.models import Referral

    run("--seed", "4")
    made.delete_generated_referrals()
    activities = sorted(Activity.objects.values_list("hsds_id", flat=True))
    assert not Referral.objects.exists()
    output = run("--seed", "4", "--if-missing")
    assert "Generated tiny referrals" in output
    assert "Generated tiny data" not in output
    assert Referral.objects.count() == made.REFERRAL_SCALES["tiny"].referrals
    assert sorted(Activity.objects.values_list("hsds_id", flat=True)) == activities


def test_tiny_generates_responses_as_the_service_would_store_them(cremona):
    from legami.outcomes.models import Response
    from legami.referrals.models import Consent

    output = run("--seed", "4")
    responses = Response.objects.select_related("baseline", "instrument")
    assert f"Generated {responses.count()} questionnaire responses" in output
    assert responses.count() > 0
    # only people who consented to outcome measurement
    consenting = set(
        Consent.objects.filter(purpose="outcomes", withdrawn_at__isnull=True).values_list(
            "beneficiary_id", flat=True
        )
    )
    assert set(responses.values_list("beneficiary_id", flat=True)) <= consenting
    for response in responses.prefetch_related("answers"):
        values = [a.value for a in response.answers.all()]
        assert len(values) == response.instrument.items.count()
        if response.instrument.code == "who5":  # raw x 4, recomputed here from the answers
            assert response.score == sum(values) * 4
        if response.timepoint != "baseline":
            baseline = response.baseline
            assert baseline.timepoint == "baseline"
            assert baseline.beneficiary_id == response.beneficiary_id
            assert baseline.instrument_id == response.instrument_id
            assert baseline.administered_on < response.administered_on
            if response.score is not None:
                assert response.change == response.score - baseline.score
    assert set(responses.values_list("timepoint", flat=True)) == {
        "baseline",
        "follow_up_3m",
        "follow_up_6m",
    }
