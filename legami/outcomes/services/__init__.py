"""Every write of impact measurement. Pages, API, admin and commands all come through here."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from legami.core.audit import audit
from legami.core.models import Notification
from legami.directory.models import Taxonomy
from legami.referrals.models import (
    OPEN_STATUSES,
    Beneficiary,
    ConsentPurpose,
    Enrolment,
    EnrolmentStatus,
    Referral,
)
from legami.referrals.services import active_consents

from .. import questions, scoring
from ..models import FOLLOW_UPS, Answer, Instrument, Mode, Purpose, Response, Timepoint
from ..permissions import policy


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
    answers: dict,
    referral: Referral | None = None,
    mode: str = Mode.WORKER,
) -> Response:
    """Record one administration of `instrument` to `beneficiary` and score it. Unanswered items
    are allowed (value None): the response is then incomplete and, when the instrument's rule
    says so, has no score. By a link worker of the person's territory (`by=None`: the person
    themselves through a self-completion link, or the system)."""
    policy.authorize(by, "administer", referral if referral is not None else beneficiary)
    # Lock the person's row: two follow-ups recorded at once see the same baselines.
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    check_can_measure(instrument, beneficiary)
    if referral is not None and referral.beneficiary_id != beneficiary.pk:
        raise ValidationError({"referral": _("The referral is about another person.")})
    if administered_on > timezone.localdate():
        raise ValidationError({"administered_on": _("The date cannot be in the future.")})
    if timepoint not in Timepoint.values:
        raise ValidationError({"timepoint": _("Unknown timepoint.")})

    items = {item.number: item for item in instrument.items.all()}
    errors = questions.answers_errors(items, answers)
    if errors:
        raise ValidationError({"answers": errors})
    values = questions.normalised(items, answers)

    if timepoint != Timepoint.OTHER and (
        Response.objects.filter(
            instrument=instrument,
            beneficiary=beneficiary,
            timepoint=timepoint,
            is_complete=True,
        ).exists()
    ):
        raise ValidationError(
            {
                "timepoint": _(
                    "This questionnaire has already been completed at this timepoint for this "
                    "person: choose another timepoint."
                )
            }
        )
    baseline = None
    if timepoint in FOLLOW_UPS:
        baselines = Response.objects.filter(
            instrument=instrument,
            beneficiary=beneficiary,
            timepoint=Timepoint.BASELINE,
            administered_on__lte=administered_on,
        ).order_by("administered_on", "pk")
        baseline = baselines.filter(score__isnull=False).first() or baselines.first()
        if baseline is None:
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
        comune_id=beneficiary.comune_id,
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
        baseline=baseline,
        **_context(referral if referral is not None else baseline and baseline.referral),
        change=(
            result.score - baseline.score
            if baseline is not None and baseline.score is not None and result.score is not None
            else None
        ),
    )
    response.full_clean()
    response.save()
    Answer.objects.bulk_create(
        [
            Answer(
                response=response, item=items[n], **questions.answer_columns(items[n], values[n])
            )
            for n in sorted(items)
        ]
    )
    audit(by=by, action="create", obj=response, purpose="outcome measurement")
    return response


def check_can_measure(instrument: Instrument, beneficiary: Beneficiary) -> None:
    """The person agreed to outcome measurement and the instrument is in use."""
    if ConsentPurpose.OUTCOMES not in active_consents(beneficiary):
        raise ValidationError(
            _("This person has not given consent to outcome measurement (or has withdrawn it).")
        )
    if not instrument.is_active:
        raise ValidationError({"instrument": _("This instrument is no longer in use.")})
    if instrument.purpose != Purpose.PERSON:
        raise ValidationError(
            {"instrument": _("This questionnaire is for organisations or events, not people.")}
        )


# Enrolments in which the person is (or was) actually taking part.
TAKING_PART = (EnrolmentStatus.ACCEPTED, EnrolmentStatus.COMPLETED)


def _context(referral) -> dict:
    """The activity (and its top-level domain) of the referral's latest enrolment taken up."""
    if referral is None:
        return {}
    enrolment = (
        Enrolment.objects.filter(referral=referral, status__in=TAKING_PART)
        .select_related("activity")
        .order_by("-sent_at", "-pk")
        .first()
    )
    if enrolment is None:
        return {}
    term = (
        enrolment.activity.terms.filter(taxonomy__code=Taxonomy.DOMAIN)
        .select_related("parent")
        .order_by("parent_id", "position", "pk")
        .first()
    )
    domain = (term.parent or term) if term is not None else None
    return {"activity": enrolment.activity, "domain": domain}


def follow_up_reminders_send(*, today=None) -> int:
    """Tell each link worker, in their language, of the follow-ups falling due for the people
    they hold. Each follow-up is announced once: running this daily (or twice) adds nothing new
    for a follow-up already announced."""
    from .. import queries

    referrals = Referral.objects.filter(link_worker__isnull=False, status__in=OPEN_STATUSES)
    sent = 0
    for item in queries.due_follow_ups(referrals, today=today):
        baseline = item["baseline"]
        worker = baseline.referral.link_worker
        if not worker.is_active:
            continue
        url = reverse("outcomes:person", args=[baseline.referral_id])
        with translation.override(worker.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Referral %(id)s: %(instrument)s, %(timepoint)s due on %(when)s") % {
                "id": baseline.referral_id,
                "instrument": baseline.instrument.localised_name,
                "timepoint": Timepoint(item["timepoint"]).label,
                "when": item["due_on"].strftime("%d/%m/%Y"),
            }
        if Notification.objects.filter(user=worker, url=url, subject=subject).exists():
            continue
        Notification.objects.create(user=worker, subject=subject[:200], url=url)
        sent += 1
    return sent
