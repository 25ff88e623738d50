"""Indicators of impact on organisations: defined with a target, read live or recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legami.core.audit import audit

from ..models.indicators import Indicator, IndicatorReading, Metric
from ..permissions import policy

INDICATOR_FIELDS = (
    "programme",
    "area",
    "name",
    "name_en",
    "name_fr",
    "metric",
    "unit",
    "baseline_value",
    "target_value",
    "target_date",
)


@transaction.atomic
def indicator_create(*, by, data: dict) -> Indicator:
    # Defined by the administration that runs the programme.
    policy.authorize(by, "indicators_edit", data.get("programme"))
    # What is not given keeps the model's default (manual, no unit, starting from 0).
    given = {k: data[k] for k in INDICATOR_FIELDS if data.get(k) not in (None, "")}
    indicator = Indicator(created_by=by, **given)
    errors = {}
    if indicator.target_value is not None and indicator.target_value == indicator.baseline_value:
        errors["target_value"] = _("The target must differ from the starting value.")
    programme = indicator.programme
    if (
        programme is not None
        and indicator.target_date
        and indicator.target_date < programme.start_date
    ):
        errors["target_date"] = _("The target date comes before the programme starts (%(d)s).") % {
            "d": programme.start_date.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    indicator.full_clean()
    indicator.save()
    audit(by=by, action="create", obj=indicator, purpose="organisation indicators")
    return indicator


@transaction.atomic
def reading_add(
    *, by, indicator: Indicator, measured_on, value, note: str = ""
) -> IndicatorReading:
    policy.authorize(by, "indicators_edit", indicator)
    if indicator.metric != Metric.MANUAL:
        raise ValidationError(
            _("This indicator is read from Legami's own data: it takes no values by hand.")
        )
    if measured_on and measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("The date cannot be in the future.")})
    reading = IndicatorReading(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        note=note or "",
        recorded_by=by,
    )
    reading.full_clean()
    reading.save()
    audit(by=by, action="create", obj=reading, purpose="organisation indicators")
    return reading
