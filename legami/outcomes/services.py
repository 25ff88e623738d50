"""Every write of impact measurement. Pages, API, admin and commands all come through here."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legami.core.audit import audit
from legami.referrals.models import Beneficiary, ConsentPurpose, Referral
from legami.referrals.services import active_consents

from . import scoring
from .models import FOLLOW_UPS, Answer, Instrument, Mode, Response, Timepoint


def instrument_check(instrument: Instrument) -> None:
    """Raise ValidationError when the instrument's scoring rule cannot score its items: unknown
    method, items it does not have, an incomplete conversion table..."""
    errors = scoring.rule_errors(instrument.scoring, scoring._specs(instrument))
    if errors:
        raise ValidationError({"scoring": errors})


@transaction.atomic
def response_record(
    *,
    by,
    instrument: Instrument,
    beneficiary: Beneficiary,
    timepoint: str,
    administered_on: date,
    answers: dict[int, int | None],
    referral: Referral | None = None,
    mode: str = Mode.WORKER,
) -> Response:
    """Record one administration of `instrument` to `beneficiary` and score it. Unanswered items
    are allowed (value None): the response is then incomplete and, when the instrument's rule
    says so, has no score."""
    # Lock the person's row: two follow-ups recorded at once see the same baselines.
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if ConsentPurpose.OUTCOMES not in active_consents(beneficiary):
        raise ValidationError(
            _("This person has not given consent to outcome measurement (or has withdrawn it).")
        )
    if not instrument.is_active:
        raise ValidationError({"instrument": _("This instrument is no longer in use.")})
    if referral is not None and referral.beneficiary_id != beneficiary.pk:
        raise ValidationError({"referral": _("The referral is about another person.")})
    if administered_on > timezone.localdate():
        raise ValidationError({"administered_on": _("The date cannot be in the future.")})
    if timepoint not in Timepoint.values:
        raise ValidationError({"timepoint": _("Unknown timepoint.")})

    items = {item.number: item for item in instrument.items.all()}
    errors = []
    for number, value in answers.items():
        item = items.get(_as_int(number))
        if item is None:
            errors.append(
                _("Item %(number)s is not part of this questionnaire.") % {"number": number}
            )
        elif value is not None and not (
            isinstance(value, int)
            and not isinstance(value, bool)
            and item.scale_min <= value <= item.scale_max
        ):
            errors.append(
                _("Item %(number)s: the answer must be between %(min)s and %(max)s.")
                % {"number": item.number, "min": item.scale_min, "max": item.scale_max}
            )
    if errors:
        raise ValidationError({"answers": errors})
    values = {number: answers.get(number, answers.get(str(number))) for number in items}

    if timepoint in FOLLOW_UPS:
        has_baseline = Response.objects.filter(
            instrument=instrument,
            beneficiary=beneficiary,
            timepoint=Timepoint.BASELINE,
            administered_on__lte=administered_on,
        ).exists()
        if not has_baseline:
            raise ValidationError(
                {
                    "timepoint": _(
                        "A follow-up cannot come before its baseline: record the baseline "
                        "of this questionnaire first."
                    )
                }
            )

    result = scoring.score_answers(instrument, values)
    response = Response(
        instrument=instrument,
        beneficiary=beneficiary,
        referral=referral,
        timepoint=timepoint,
        administered_on=administered_on,
        mode=mode,
        entered_by=by if by is not None and by.is_authenticated else None,
        is_complete=result.is_complete,
        raw_score=result.raw_score,
        score=result.score,
        subscale_scores={
            name: (str(value) if value is not None else None)
            for name, value in result.subscale_scores.items()
        },
    )
    response.full_clean()
    response.save()
    Answer.objects.bulk_create(
        [Answer(response=response, item=items[n], value=values[n]) for n in sorted(items)]
    )
    audit(by=by, action="create", obj=response, purpose="outcome measurement")
    return response


def _as_int(number) -> int | None:
    try:
        return int(number)
    except (TypeError, ValueError):
        return None
