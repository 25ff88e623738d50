"""Every write of SROI analyses: checked, atomic, written to the access log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legami.core.audit import audit

from ..models.sroi import QuantitySource, SroiAnalysis, SroiOutcome
from ..permissions import policy

ANALYSIS_FIELDS = ("programme", "title", "investment", "investment_note", "discount_rate")
OUTCOME_FIELDS = (
    "stakeholder",
    "outcome",
    "indicator",
    "quantity_source",
    "quantity",
    "proxy",
    "proxy_source",
    "duration",
    "deadweight",
    "attribution",
    "displacement",
    "drop_off",
)


@transaction.atomic
def sroi_analysis_save(*, by, data: dict, analysis: SroiAnalysis | None = None) -> SroiAnalysis:
    policy.authorize(by, "sroi_edit")
    analysis = analysis or SroiAnalysis(created_by=by)
    for field in ANALYSIS_FIELDS:
        if field in data:
            setattr(analysis, field, data[field])
    analysis.full_clean()
    creating = analysis.pk is None
    analysis.save()
    audit(by=by, action="create" if creating else "update", obj=analysis, purpose="SROI")
    return analysis


@transaction.atomic
def sroi_outcome_add(*, by, analysis: SroiAnalysis, data: dict) -> SroiOutcome:
    policy.authorize(by, "sroi_edit")
    outcome = SroiOutcome(
        analysis=analysis, **{k: data.get(k) for k in OUTCOME_FIELDS if k in data}
    )
    if not outcome.quantity_source:
        outcome.quantity_source = QuantitySource.MANUAL
    if outcome.quantity_source == QuantitySource.MANUAL and outcome.quantity is None:
        raise ValidationError(
            {"quantity": _("Type the quantity, or choose where Legami should count it from.")}
        )
    if outcome.quantity_source != QuantitySource.MANUAL:
        outcome.quantity = None  # counted from live data each time the analysis is read
    outcome.full_clean()
    outcome.save()
    audit(by=by, action="update", obj=analysis, purpose="SROI outcome added")
    return outcome


@transaction.atomic
def sroi_outcome_remove(*, by, outcome: SroiOutcome) -> None:
    policy.authorize(by, "sroi_edit")
    analysis = outcome.analysis
    outcome.delete()
    audit(by=by, action="update", obj=analysis, purpose="SROI outcome removed")
