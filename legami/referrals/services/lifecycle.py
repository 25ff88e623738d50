"""A referral from its making to its closing: create, assign, move, annotate."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from legami.accounts.models import User
from legami.core.audit import audit
from legami.core.roles import LINK_WORKER, PRESCRIBER, SUPERUSER, effective_role
from legami.directory.models import Taxonomy, TaxonomyTerm
from legami.territory.models import Comune
from legami.territory.queries import comuni_in_scope

from ..consent import REQUIRED
from ..models import (
    CaseNote,
    ConsentPurpose,
    Referral,
    ReferralEvent,
    ReferralSettings,
    Source,
    Status,
    Urgency,
)
from ..notify import notify
from ..scopes import member_organisations
from ..workdays import add_working_days
from .people import beneficiary_find_or_create, consent_give
from .timeline import NEEDS_REASON, check_transition, record_transition

# What the referrer is told at each step (the closed loop); no health detail in the subject.
TOLD_TO_REFERRER = {
    Status.CONTACTED: gettext_lazy("the person has been contacted"),
    Status.PLAN_AGREED: gettext_lazy("a plan has been agreed"),
    Status.ENGAGED: gettext_lazy("the person has started an activity"),
    Status.COMPLETED: gettext_lazy("the path is completed"),
    Status.DECLINED: gettext_lazy("the referral is closed"),
    Status.UNREACHABLE: gettext_lazy("the referral is closed"),
    Status.CLOSED: gettext_lazy("the referral is closed"),
}


def settings_for(comune) -> ReferralSettings:
    """The district's service levels and weights, or the defaults where none are set."""
    found = (
        ReferralSettings.objects.filter(district__comuni=comune).order_by("district__name").first()
    )
    return found or ReferralSettings()


def _clean_reasons(reasons) -> list[TaxonomyTerm]:
    reasons = list(reasons or [])
    ids = [getattr(term, "pk", term) for term in reasons]
    terms = list(TaxonomyTerm.objects.filter(pk__in=ids, taxonomy__code=Taxonomy.NEED))
    if len(terms) != len(set(ids)):
        raise ValidationError({"reasons": _("Choose the needs from the list.")})
    return terms


def _check_consents(consents) -> list[str]:
    consents = list(dict.fromkeys(consents or []))
    unknown = [c for c in consents if c not in ConsentPurpose.values]
    if unknown:
        raise ValidationError({"consents": _("Unknown purpose of consent.")})
    missing = [c for c in REQUIRED if c not in consents]
    if missing:
        raise ValidationError(
            {
                "consents": _(
                    "Without consent to care coordination the referral cannot be made: ask the "
                    "person, and read them the consent text."
                )
            }
        )
    return consents


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PARTS_OF_DAY = ("morning", "afternoon", "evening")


def _clean_availability(days, times) -> tuple[str, str]:
    """Weekday codes and parts of the day as the comma lists the referral stores, in a fixed
    order; blank means any. Accepts a list or a comma-separated string."""

    def as_list(value):
        if isinstance(value, str):
            value = value.split(",")
        return [str(v).strip() for v in value or () if str(v).strip()]

    days, times = as_list(days), as_list(times)
    errors = {}
    if any(d not in WEEKDAYS for d in days):
        errors["available_days"] = _("Choose the days from the list.")
    if any(t not in PARTS_OF_DAY for t in times):
        errors["available_times"] = _("Choose the times of day from the list.")
    if errors:
        raise ValidationError(errors)
    return (
        ",".join(d for d in WEEKDAYS if d in days),
        ",".join(t for t in PARTS_OF_DAY if t in times),
    )


@transaction.atomic
def referral_create(
    *,
    by,
    person: dict,
    consents,
    reasons=(),
    reason_text: str = "",
    urgency: str = Urgency.ROUTINE,
    risks: str = "",
    programme=None,
    referring_organisation=None,
    available_days="",
    available_times="",
    is_demo: bool = False,
    now=None,
) -> Referral:
    """A prescriber refers a person (`person` holds the Beneficiary fields); with `by` a citizen
    or anonymous visitor, the person refers themselves."""
    role = effective_role(by)
    source = Source.PROFESSIONAL if role in (PRESCRIBER, SUPERUSER) else Source.SELF
    errors = {}
    if source == Source.PROFESSIONAL:
        organisations = member_organisations(by)
        if referring_organisation is None:
            referring_organisation = organisations.first()
        elif role != SUPERUSER and not organisations.filter(pk=referring_organisation.pk).exists():
            errors["referring_organisation"] = _("You can refer only for your own organisation.")
        if referring_organisation is None and role != SUPERUSER:
            errors["referring_organisation"] = _(
                "Your account belongs to no organisation yet: ask your administrator."
            )
    else:
        referring_organisation = None
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose an urgency from the list.")
    try:
        available_days, available_times = _clean_availability(available_days, available_times)
    except ValidationError as error:
        errors.update(error.message_dict)
    for check in (lambda: _check_consents(consents), lambda: _clean_reasons(reasons)):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        beneficiary, _created = beneficiary_find_or_create(
            by=by,
            is_demo=is_demo,
            user=by if source == Source.SELF and by.is_authenticated else None,
            **person,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    service = settings_for(beneficiary.comune)
    referral = Referral.objects.create(
        beneficiary=beneficiary,
        source=source,
        referrer=by if source == Source.PROFESSIONAL else None,
        referring_organisation=referring_organisation,
        programme=programme,
        comune=beneficiary.comune,
        reason_text=reason_text.strip(),
        urgency=urgency,
        risks=risks.strip(),
        has_safeguarding_flag=bool(risks.strip()),
        available_days=available_days,
        available_times=available_times,
        first_contact_due=add_working_days(
            timezone.localtime(now).date(), service.first_contact_working_days
        ),
        is_demo=is_demo,
    )
    referral.reasons.set(_clean_reasons(reasons))
    for purpose in _check_consents(consents):
        consent_give(by=by, beneficiary=beneficiary, purpose=purpose)
    ReferralEvent.objects.create(
        referral=referral,
        by=by if by.is_authenticated else None,
        by_label=by.email if by.is_authenticated else "",
        to_status=Status.RECEIVED,
    )
    audit(by=by, action="create", obj=referral, purpose="referral")
    notify(
        link_workers_for(referral),
        _("New referral waiting in your territory"),
        "referrals:detail",
        referral.pk,
    )
    return referral


def link_workers_for(referral: Referral):
    """Active link workers whose territory includes the person's comune, in one query."""
    comune = Comune.objects.select_related("province").get(pk=referral.comune_id)
    return list(
        User.objects.filter(role=LINK_WORKER, is_active=True)
        .filter(
            Q(jurisdictions__region=comune.province.region_id)
            | Q(jurisdictions__province=comune.province_id)
            | Q(jurisdictions__district__comuni=comune)
            | Q(jurisdictions__comune=comune)
        )
        .distinct()
    )


@transaction.atomic
def referral_assign(*, by, referrals, link_worker) -> int:
    """Give referrals to a link worker (bulk). The worker must cover each referral's comune."""
    if link_worker is None or effective_role(link_worker) != LINK_WORKER:
        raise ValidationError({"link_worker": _("Choose a link worker.")})
    covered = comuni_in_scope(link_worker)
    # Re-read under lock: the caller's objects may be stale (another worker just closed one).
    referrals = list(
        Referral.objects.select_for_update().filter(pk__in=[r.pk for r in referrals]).order_by("pk")
    )
    outside = [r for r in referrals if not covered.filter(pk=r.comune_id).exists()]
    if outside:
        raise ValidationError(
            {
                "link_worker": _(
                    "%(worker)s does not work in the comune of %(count)d of these referrals."
                )
                % {
                    "worker": link_worker.get_full_name() or link_worker.email,
                    "count": len(outside),
                }
            }
        )
    ended = [r for r in referrals if not r.is_open]
    if ended:
        raise ValidationError({"link_worker": _("A closed referral cannot be reassigned.")})
    for referral in referrals:
        previous = referral.link_worker_id
        referral.link_worker = link_worker
        referral.save(update_fields=["link_worker", "updated_at"])
        ReferralEvent.objects.create(
            referral=referral,
            by=by,
            by_label=by.email,
            from_status=referral.status,
            to_status=referral.status,
            note=_("assigned to %(worker)s") % {"worker": link_worker.email},
        )
        audit(
            by=by,
            action="update",
            obj=referral,
            purpose="caseload assignment",
            changes={"link_worker": [previous, link_worker.pk]},
        )
        if previous is None and referral.referrer_id:
            notify(
                [referral.referrer],
                _("Your referral has been accepted by a link worker"),
                "referrals:detail",
                referral.pk,
            )
    if link_worker != by:
        notify([link_worker], _("Referrals have been assigned to you"), "referrals:caseload")
    return len(referrals)


@transaction.atomic
def referral_transition(
    *,
    by,
    referral: Referral,
    to: str,
    reason: str = "",
    what_matters: str | None = None,
    goals: str | None = None,
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.link_worker_id is None:
        raise ValidationError(
            {"status": _("Assign the referral to a link worker before moving it on.")}
        )
    check_transition(referral, to)
    reason = (reason or "").strip()
    if to in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Say why the referral is being closed.")})
    if to == Status.PLAN_AGREED and not (goals or referral.goals).strip():
        raise ValidationError({"goals": _("Write the goals the person agreed to.")})
    fields = []
    if what_matters is not None:
        referral.what_matters = what_matters.strip()
        fields.append("what_matters")
    if goals is not None:
        referral.goals = goals.strip()
        fields.append("goals")
    if to in NEEDS_REASON:
        referral.closure_reason = reason[:200]
        fields.append("closure_reason")
    if fields:
        referral.save(update_fields=fields)
    record_transition(referral, by=by, to=to, note=reason)
    if to in TOLD_TO_REFERRER and referral.referrer_id:
        notify([referral.referrer], TOLD_TO_REFERRER[to], "referrals:detail", referral.pk)
    return referral


@transaction.atomic
def case_note_add(*, by, referral: Referral, text: str) -> CaseNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    if len(text) > 5000:
        raise ValidationError({"text": _("A note can be at most 5,000 characters.")})
    note = CaseNote.objects.create(referral=referral, author=by, author_label=by.email, text=text)
    audit(by=by, action="update", obj=referral, purpose="case note")
    return note
