"""Reading an SROI analysis: live quantities counted in the database, then valued."""

from dataclasses import dataclass

from django.db.models import Q

from legami.referrals.models import Referral, ReferralEvent, Status

from .. import sroi
from ..models import Instrument, Response, Timepoint
from ..models.sroi import QuantitySource, SroiAnalysis, SroiOutcome

TOOK_PART = (Status.ENGAGED, Status.COMPLETED)


def live_quantity(source: str, programme_id: int) -> int:
    """How many people of the programme the source counts (one query)."""
    if source in (QuantitySource.WHO5_IMPROVED, QuantitySource.UCLA3_IMPROVED):
        code = "who5" if source == QuantitySource.WHO5_IMPROVED else "ucla3"
        instrument = Instrument.objects.filter(code=code).first()
        if instrument is None:
            return 0
        mic = instrument.minimal_important_change or 1
        better = Q(change__gte=mic) if instrument.higher_is_better else Q(change__lte=-mic)
        return (
            Response.objects.filter(
                better,
                instrument=instrument,
                referral__programme_id=programme_id,
                timepoint__in=(Timepoint.FOLLOW_UP_3M, Timepoint.FOLLOW_UP_6M),
            )
            .values("beneficiary")
            .distinct()
            .count()
        )
    if source == QuantitySource.PEOPLE_ENGAGED:
        reached = ReferralEvent.objects.filter(to_status__in=TOOK_PART).values("referral")
        return (
            Referral.objects.filter(programme_id=programme_id, pk__in=reached)
            .values("beneficiary")
            .distinct()
            .count()
        )
    return 0


@dataclass
class OutcomeRow:
    outcome: SroiOutcome
    quantity: float
    present_value: float


@dataclass
class Valuation:
    rows: list[OutcomeRow]
    present_value: float
    ratio: float | None
    sensitivity: list[sroi.Sensitivity]


def _fraction(percent) -> float:
    return float(percent) / 100


def valuation(analysis: SroiAnalysis) -> Valuation:
    outcomes = list(analysis.outcomes.all())
    counted = {
        source: live_quantity(source, analysis.programme_id)
        for source in {o.quantity_source for o in outcomes}
        if source != QuantitySource.MANUAL
    }
    rate = _fraction(analysis.discount_rate)
    values, rows = [], []
    for outcome in outcomes:
        quantity = (
            float(outcome.quantity or 0)
            if outcome.quantity_source == QuantitySource.MANUAL
            else float(counted[outcome.quantity_source])
        )
        value = sroi.OutcomeValue(
            quantity=quantity,
            proxy=float(outcome.proxy),
            duration=outcome.duration,
            deadweight=_fraction(outcome.deadweight),
            attribution=_fraction(outcome.attribution),
            displacement=_fraction(outcome.displacement),
            drop_off=_fraction(outcome.drop_off),
        )
        values.append(value)
        rows.append(OutcomeRow(outcome, quantity, sum(sroi.yearly_values(value, rate))))
    investment = float(analysis.investment)
    return Valuation(
        rows=rows,
        present_value=sroi.present_value(values, rate),
        ratio=sroi.ratio(values, rate, investment),
        sensitivity=sroi.sensitivity(values, rate, investment) if values else [],
    )
