"""A referral from its making to its closing: create, assign, move, annotate."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from legami.accounts.models import User
from legami.core.audit import audit
from legami.core.errors import Refusal
from legami.core.roles import LINK_WORKER, SUPERUSER, effective_role
from legami.directory.models import Taxonomy, TaxonomyTerm
from legami.network.models import Programme
from legami.territory.models import Comune
from legami.territory.queries import comuni_in_scope

from ..consent import REQUIRED
from ..models import (
    OPEN_STATUSES,
    Beneficiary,
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
from ..permissions import policy
from ..scopes import member_organisations
from ..workdays import add_working_days
from .people import (
    actor_label,
    beneficiary_find_or_create,
    clean_beneficiary,
    consent_record,
    find_duplicate,
)
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


def running_programmes(on=None):
    """Programmes running on `on` (today): started, and not ended."""
    on = on or timezone.localdate()
    return Programme.objects.filter(start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def programmes_for(comune, on=None):
    """The programmes a referral of `comune` may count in: running, and covering the comune."""
    return running_programmes(on).filter(comuni=comune).order_by("name")


def check_programme(programme, comune, *, by) -> None:
    """A referral counts only in a programme that covers the person's comune and, when a person
    chooses it, is running: a programme that has ended takes no new referral. The system
    (`by=None`: the demo loader replaying a programme's history, an import) may attribute a
    referral to a programme that has ended since."""
    if programme is None:
        return
    if not programme.comuni.filter(pk=getattr(comune, "pk", comune)).exists():
        raise ValidationError(
            {
                "programme": _("“%(name)s” does not cover the person's comune.")
                % {"name": programme.name}
            }
        )
    if by is not None and not running_programmes().filter(pk=programme.pk).exists():
        raise ValidationError(
            {
                "programme": _("“%(name)s” is not running: choose a programme that is.")
                % {"name": programme.name}
            }
        )


def _programme_of(programme, comune, *, by, service: ReferralSettings):
    """The programme chosen, checked, or else the district's default when it applies here."""
    if programme is not None:
        check_programme(programme, comune, by=by)
        return programme
    default = service.default_programme
    if default is not None and programmes_for(comune).filter(pk=default.pk).exists():
        return default
    return None


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


def _person_referred(*, by, source: str, person: dict, is_demo: bool) -> Beneficiary:
    """Whose referral this is. A citizen whose account is linked to a record refers that
    record, found by the link and never by what they typed (checked, then left unused: a
    public form never changes a record). Everyone else goes through duplicate detection."""
    public = source == Source.SELF
    if public and by.is_authenticated:
        own = Beneficiary.objects.filter(user=by, anonymised_at__isnull=True).first()
        if own is not None:
            clean_beneficiary(person)
            return own
    beneficiary, _created = beneficiary_find_or_create(
        by=by,
        public=public,
        is_demo=is_demo,
        user=by if public and by.is_authenticated else None,
        **person,
    )
    return beneficiary


class OpenReferralExists(Refusal):
    """The person already has an open referral the prescriber may read: they choose to add
    what is new to it (referral_add_to_open) or to send a new one anyway (also_if_open)."""

    def __init__(self, referral: Referral):
        super().__init__(
            _(
                "This person already has an open referral from your organisation (no. %(pk)s, "
                "received on %(date)s): add what is new to it, or send a new referral anyway."
            )
            % {"pk": referral.pk, "date": date_format(timezone.localtime(referral.received_at))}
        )
        self.referral = referral


def _refuse_if_open(by, beneficiary: Beneficiary) -> None:
    """Only an open referral the prescriber may already read is named: one made elsewhere
    stays unsaid (knowing a name and a birth date must not tell whether someone is cared
    for), and the link workers, who see both, join them."""
    if by is None or beneficiary.pk is None:
        return
    open_referrals = Referral.objects.filter(beneficiary=beneficiary, status__in=OPEN_STATUSES)
    found = policy.scope(by, "view", open_referrals).order_by("-received_at").first()
    if found is not None:
        raise OpenReferralExists(found)


@transaction.atomic
def referral_add_to_open(
    *, by, referral: Referral, person: dict, reasons=(), reason_text: str = ""
) -> Referral:
    """The prescriber adds the needs and words of a new request to the person's open referral
    instead of opening a second one; the link workers are told. `person` is who the prescriber
    is referring: the referral must be the one the check of referral_create named for them, so
    that no other referral of the organisation can be written to."""
    policy.authorize(by, "refer")
    mine = policy.scope(by, "view", Referral.objects.filter(pk=referral.pk))
    if by is not None and not mine.exists():
        raise Http404
    if find_duplicate(clean_beneficiary(dict(person))) != referral.beneficiary:
        raise Http404
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in OPEN_STATUSES:
        raise Refusal(_("This referral has ended: send a new one."))
    terms = _clean_reasons(reasons)
    text = (reason_text or "").strip()
    if not terms and not text:
        raise ValidationError({"reason_text": _("Write what is new, or choose a need to add.")})
    if terms:
        referral.reasons.add(*terms)
    if text:
        stamp = date_format(timezone.localdate())
        addition = _("Added on %(date)s by %(who)s: %(text)s") % {
            "date": stamp,
            "who": actor_label(by),
            "text": text,
        }
        parts = (referral.reason_text, addition)
        referral.reason_text = "\n\n".join(part for part in parts if part)
        referral.save(update_fields=["reason_text"])
    audit(by=by, action="update", obj=referral, purpose="referral: new request added")
    notify(
        link_workers_for(referral),
        _("New information on a referral in your territory"),
        "referrals:detail",
        referral.pk,
    )
    return referral


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
    activity_of_interest=None,
    is_demo: bool = False,
    also_if_open: bool = False,
    now=None,
) -> Referral:
    """A prescriber refers a person (`person` holds the Beneficiary fields); with `by` a citizen
    or anonymous visitor, the person refers themselves. `now` is when it was received (the
    demo loader tells past stories): the receipt and its deadline both count from it. Without
    a `programme`, the referral counts in the district's default programme, if it covers the
    person's comune."""
    role = effective_role(by)
    if by is not None and policy.allows(by, "refer"):
        source = Source.PROFESSIONAL
    elif by is None or policy.allows(by, "self_refer"):
        source = Source.SELF
    else:
        raise PermissionDenied
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
        beneficiary = _person_referred(by=by, source=source, person=person, is_demo=is_demo)
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        service = settings_for(beneficiary.comune)
        try:
            programme = _programme_of(programme, beneficiary.comune, by=by, service=service)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if source == Source.PROFESSIONAL and not also_if_open:
        _refuse_if_open(by, beneficiary)
    backdated = now is not None
    now = now or timezone.now()
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
        activity_of_interest=activity_of_interest,
        first_contact_due=add_working_days(
            timezone.localtime(now).date(), service.first_contact_working_days
        ),
        is_demo=is_demo,
    )
    referral.reasons.set(_clean_reasons(reasons))
    for purpose in _check_consents(consents):
        consent_record(by=by, beneficiary=beneficiary, purpose=purpose)
    event = ReferralEvent.objects.create(
        referral=referral,
        by=by if by.is_authenticated else None,
        by_label=by.email if by.is_authenticated else "",
        to_status=Status.RECEIVED,
    )
    if backdated:
        # Both fields are auto_now_add, which ignores a value given on create.
        Referral.objects.filter(pk=referral.pk).update(received_at=now)
        ReferralEvent.objects.filter(pk=event.pk).update(at=now)
        referral.received_at = now
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


def _assign_ids(referrals) -> tuple[set[int], int]:
    """The ids asked for (referrals or ids) and how many items were no referral id at all."""
    ids, invalid = set(), 0
    for item in referrals or ():
        pk = getattr(item, "pk", item)
        if isinstance(pk, int) and not isinstance(pk, bool) and 0 < pk < 2**63:
            ids.add(pk)
        else:
            invalid += 1
    return ids, invalid


def _active_link_worker(candidate):
    """The user to assign to, when an active link worker (a user or an id), else None."""
    if candidate is None or isinstance(candidate, User):
        user = candidate
    else:
        ids, _invalid = _assign_ids([candidate])
        user = User.objects.filter(pk__in=ids).first()
    if user is None or not user.is_active or effective_role(user) != LINK_WORKER:
        return None
    return user


@transaction.atomic
def referral_assign(*, by, referrals, link_worker) -> int:
    """Give referrals (objects or ids) to a link worker, in bulk: all of them or none. `by`
    may assign only referrals they can work on (`by=None` is the system); the worker must be
    an active link worker covering each referral's comune. Returns how many were assigned."""
    ids, invalid = _assign_ids(referrals)
    if not ids and not invalid:
        raise ValidationError({"referrals": _("Select at least one referral.")})
    # Re-read under lock: the caller's objects may be stale (another worker just closed one).
    found = Referral.objects.filter(pk__in=ids)
    if by is not None:
        found = policy.scope(by, "work", found)
    referrals = list(found.select_for_update().order_by("pk"))
    refused = invalid + len(ids) - len(referrals)
    if refused:
        raise ValidationError(
            {
                "referrals": ngettext(
                    "%(count)d of the selected referrals is not in your territory: nothing "
                    "was assigned.",
                    "%(count)d of the selected referrals are not in your territory: nothing "
                    "was assigned.",
                    refused,
                )
                % {"count": refused}
            }
        )
    link_worker = _active_link_worker(link_worker)
    if link_worker is None:
        raise ValidationError(
            {"link_worker": _("Choose a link worker: only active link workers take referrals.")}
        )
    covered = comuni_in_scope(link_worker)
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
            by_label=by.email if by is not None else "",
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
    policy.authorize(by, "work", referral)
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
    policy.authorize(by, "work", referral)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    if len(text) > 5000:
        raise ValidationError({"text": _("A note can be at most 5,000 characters.")})
    note = CaseNote.objects.create(
        referral=referral, author=by, author_label=actor_label(by), text=text
    )
    audit(by=by, action="update", obj=referral, purpose="case note")
    return note


@transaction.atomic
def referral_programme_set(*, by, referral: Referral, programme) -> Referral:
    """The link worker says in which programme the referral counts (None: in none)."""
    policy.authorize(by, "work", referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    previous = referral.programme_id
    if previous == getattr(programme, "pk", None):
        return referral
    check_programme(programme, referral.comune_id, by=by)
    referral.programme = programme
    referral.save(update_fields=["programme", "updated_at"])
    ReferralEvent.objects.create(
        referral=referral,
        by=by,
        by_label=by.email if by is not None else "",
        from_status=referral.status,
        to_status=referral.status,
        note=_("programme: %(name)s") % {"name": programme.name}
        if programme is not None
        else _("no programme"),
    )
    audit(
        by=by,
        action="update",
        obj=referral,
        purpose="referral programme",
        changes={"programme": [previous, referral.programme_id]},
    )
    return referral
