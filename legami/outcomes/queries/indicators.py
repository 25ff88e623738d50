"""Impact on organisations: each indicator's current value (live from the network, referrals
and surveys, or the latest reading), its progress towards the target and whether it is on
track for the target date."""

from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from legami.core import modules
from legami.core.privacy import SMALL_CELL
from legami.network.models import Programme, ProgrammePartner, Relationship
from legami.referrals.models import Beneficiary, Enrolment

from ..models import Purpose
from ..models.indicators import Indicator, IndicatorState, Metric
from ..models.surveys import SurveyResponse
from ..services import TAKING_PART


def new_ties(programme: Programme, today: date) -> int:
    """Ties started since the programme began with a partner at one end at least."""
    partners = ProgrammePartner.objects.filter(programme=programme).values("organisation")
    return (
        Relationship.objects.filter(start_date__gte=programme.start_date, start_date__lte=today)
        .filter(Q(source__in=partners) | Q(target__in=partners))
        .count()
    )


def first_time_participants(programme: Programme, today: date) -> int:
    """People referred within the programme who took part in an activity, and had never taken
    part in one before the programme began."""
    taking_part = Enrolment.objects.filter(status__in=TAKING_PART)
    within = taking_part.filter(referral__programme=programme, sent_at__date__lte=today)
    before = taking_part.filter(sent_at__date__lt=programme.start_date)
    return (
        Beneficiary.objects.filter(pk__in=within.values("referral__beneficiary"))
        .exclude(pk__in=before.values("referral__beneficiary"))
        .count()
    )


def partner_count(programme: Programme, today: date) -> int:
    return ProgrammePartner.objects.filter(programme=programme).count()


def surveyed_organisations(programme: Programme, today: date) -> int:
    return (
        SurveyResponse.objects.filter(
            survey__programme=programme,
            survey__instrument__purpose=Purpose.ORGANISATION,
            organisation__isnull=False,
        )
        .values("organisation")
        .distinct()
        .count()
    )


LIVE = {
    Metric.NEW_TIES: new_ties,
    Metric.FIRST_TIME: first_time_participants,
    Metric.PARTNERS: partner_count,
    Metric.SURVEY_ORGANISATIONS: surveyed_organisations,
}
COUNTS_PEOPLE = {Metric.FIRST_TIME, Metric.TRAINING}


def live_metric(metric: str):
    """count(programme, today) -> int for a metric counted live: this module's own, or one a
    module below it declares in its manifest (training's people trained)."""
    return LIVE.get(metric) or modules.metric(metric)


def indicator_status(indicator: Indicator, programme: Programme, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    count = live_metric(indicator.metric)
    if count is not None:
        current = Decimal(count(programme, today))
        as_of = today
    else:
        latest = indicator.readings.all()[:1]
        latest = latest[0] if latest else None
        current = latest.value if latest else None
        as_of = latest.measured_on if latest else None
    hidden = indicator.metric in COUNTS_PEOPLE and current is not None and 0 < current < SMALL_CELL
    progress = None
    if current is not None:
        span = indicator.target_value - indicator.baseline_value
        progress = float((current - indicator.baseline_value) / span)
    total_days = (indicator.target_date - programme.start_date).days
    elapsed = (min(today, indicator.target_date) - programme.start_date).days
    expected = max(0.0, min(1.0, elapsed / total_days)) if total_days > 0 else 1.0
    if hidden:
        state = IndicatorState.HIDDEN
    elif progress is None:
        state = IndicatorState.NO_DATA
    elif progress >= 1:
        state = IndicatorState.REACHED
    elif progress >= expected:
        state = IndicatorState.ON_TRACK
    else:
        state = IndicatorState.BEHIND
    return {
        "indicator": indicator,
        "current": None if hidden else current,
        "hidden": hidden,
        "as_of": as_of,
        "progress": None if hidden or progress is None else max(0.0, min(1.0, progress)),
        "expected": expected,
        "state": state.value,
        "state_label": state.label,
    }


def programme_indicators(programme: Programme, today: date | None = None) -> list[dict]:
    indicators = Indicator.objects.filter(programme=programme).prefetch_related("readings")
    return [indicator_status(i, programme, today) for i in indicators]
