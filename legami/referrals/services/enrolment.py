"""Sending a referral to an activity, the provider's answer, the session register."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from legami.accounts.models import User
from legami.core.audit import audit, audit_shown
from legami.core.errors import Refusal
from legami.core.roles import PROVIDER
from legami.directory import queries as directory
from legami.directory.models import Activity, ActivityStatus

from ..models import (
    HOLDING_PLACE,
    WALK_INS_MAX,
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Referral,
    SessionWalkIns,
    Status,
)
from ..notify import notify
from ..permissions import policy
from .lifecycle import settings_for
from .people import actor_label
from .timeline import record_transition

# A referral can be sent to activities once the conversation has happened.
CAN_ENROL = (Status.ASSESSED, Status.PLAN_AGREED, Status.ENGAGED)


def referral_capacity(activity: Activity) -> int | None:
    """How many referred people the activity takes at a time (None: no limit given)."""
    return activity.referral_slots if activity.referral_slots is not None else activity.capacity


def places_taken(activity_id: int) -> int:
    return Enrolment.objects.filter(activity_id=activity_id, status__in=HOLDING_PLACE).count()


def places_held():
    """The places an activity's enrolments hold now, for annotating activities: a subquery,
    counted apart from any join of the activity's query (counted over its join with the needs
    it addresses, a place once counted once per need the person has)."""
    held = (
        Enrolment.objects.filter(activity=OuterRef("pk"), status__in=HOLDING_PLACE)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held), 0)


def places_left(activity) -> int | None:
    """Places left for referred people (None: no limit given), from `held` when the activity
    was annotated with places_held(), else counted."""
    capacity = referral_capacity(activity)
    if capacity is None:
        return None
    held = getattr(activity, "held", None)
    if held is None:
        held = places_taken(activity.pk)
    return max(capacity - held, 0)


@transaction.atomic
def enrolment_create(*, by, referral: Referral, activity: Activity) -> Enrolment:
    """Send the referral to the activity, holding one of its places.

    The activity row is locked first (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
    IMMEDIATE transaction already holds the write lock), so two link workers sending two
    people to the last place queue up: the second one counts the first one's enrolment.
    """
    policy.authorize(by, "work", referral)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.link_worker_id is None:
        raise ValidationError({"activity": _("Assign the referral to a link worker first.")})
    if referral.status not in CAN_ENROL:
        raise ValidationError(
            {
                "activity": _(
                    "Have the “what matters to you” conversation before choosing activities."
                )
            }
        )
    if activity.status != ActivityStatus.PUBLISHED:
        raise ValidationError(
            {
                "activity": _("“%(name)s” is not published: it takes no referrals.")
                % {"name": activity.name}
            }
        )
    if not activity.accepts_referrals:
        raise ValidationError(
            {"activity": _("“%(name)s” does not take referrals.") % {"name": activity.name}}
        )
    if referral.enrolments.filter(activity=activity, status__in=HOLDING_PLACE).exists():
        raise ValidationError({"activity": _("The person is already enrolled in this activity.")})
    capacity = referral_capacity(activity)
    if capacity is not None and places_taken(activity.pk) >= capacity:
        raise ValidationError(
            {
                "activity": _("“%(name)s” has no places left: choose another activity.")
                % {"name": activity.name}
            }
        )
    enrolment = Enrolment.objects.create(referral=referral, activity=activity, sent_by=by)
    audit(by=by, action="create", obj=enrolment, purpose="enrolment")
    keepers = _keepers(activity)
    notify(keepers, _("A new referral for “%(name)s”") % {"name": activity.name}, "referrals:inbox")
    return enrolment


def _keepers(activity: Activity):
    return list(
        User.objects.filter(
            role=PROVIDER, is_active=True, person__memberships__organisation=activity.organisation
        ).distinct()
    )


@transaction.atomic
def enrolment_respond(*, by, enrolment: Enrolment, accept: bool, reason: str = "") -> Enrolment:
    policy.authorize(by, "respond", enrolment)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.PENDING:
        raise Refusal(
            _("This referral has already been answered (%(status)s).")
            % {"status": EnrolmentStatus(enrolment.status).label}
        )
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(
            {"reason": _("Say why you decline: the link worker will look for another activity.")}
        )
    enrolment.status = EnrolmentStatus.ACCEPTED if accept else EnrolmentStatus.DECLINED
    enrolment.responded_at = timezone.now()
    enrolment.responded_by_label = actor_label(by)
    enrolment.decline_reason = reason[:200]
    enrolment.save()
    audit(
        by=by,
        action="update",
        obj=enrolment,
        purpose="provider answer",
        changes={"status": enrolment.status},
    )
    referral = enrolment.referral
    subject = (
        _("“%(name)s” accepted the referral") if accept else _("“%(name)s” declined the referral")
    ) % {"name": enrolment.activity.name}
    notify([referral.link_worker], subject, "referrals:detail", referral.pk)
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, by, enrolment: Enrolment, reason: str = "") -> Enrolment:
    policy.authorize(by, "work", enrolment.referral)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status not in HOLDING_PLACE:
        raise Refusal(_("This enrolment is no longer active."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.decline_reason = (reason or "").strip()[:200]
    enrolment.save(update_fields=["status", "decline_reason"])
    audit(by=by, action="update", obj=enrolment, purpose="enrolment withdrawn")
    return enrolment


@transaction.atomic
def attendance_record(*, by, enrolment: Enrolment, session_date: date, present: bool):
    """One line of the register. The first presence of a person whose plan is agreed marks the
    referral as engaged, which the referrer is told."""
    policy.authorize(by, "respond", enrolment)
    enrolment = Enrolment.objects.select_related("referral").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACCEPTED:
        raise ValidationError(
            {"enrolment": _("Attendance is recorded only for accepted referrals.")}
        )
    _check_past(session_date)
    if session_date < timezone.localtime(enrolment.sent_at).date():
        raise ValidationError({"session_date": _("The session is before the person was referred.")})
    status = AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT
    line = _write_line(by, enrolment, session_date, status)
    audit(by=by, action="update", obj=enrolment, purpose="attendance")
    return line


def _check_past(session_date) -> None:
    if not isinstance(session_date, date):
        raise ValidationError({"session_date": _("Enter a valid date.")})
    if session_date > timezone.localdate():
        raise ValidationError({"session_date": _("This session has not happened yet.")})


def _write_line(by, enrolment: Enrolment, session_date: date, status: str) -> Attendance:
    present = status == AttendanceStatus.PRESENT
    line, _created = Attendance.objects.update_or_create(
        enrolment=enrolment,
        session_date=session_date,
        defaults={"status": status, "present": present, "recorded_by_label": actor_label(by)},
    )
    referral = enrolment.referral
    if present and referral.status == Status.PLAN_AGREED:
        record_transition(referral, by=by, to=Status.ENGAGED, note=_("first session attended"))
        if referral.referrer_id:
            notify(
                [referral.referrer],
                _("the person has started an activity"),
                "referrals:detail",
                referral.pk,
            )
    return line


def register_enrolments(activity: Activity, session_date: date):
    """Who is on the activity's register for one session: the people accepted, referred on or
    before that day, and anyone already marked for it (a person whose path has since ended
    stays on the sessions they came to)."""
    return (
        Enrolment.objects.filter(activity=activity)
        .filter(
            Q(status=EnrolmentStatus.ACCEPTED, sent_at__date__lte=session_date)
            | Q(attendance__session_date=session_date)
        )
        .distinct()
    )


def check_session_date(activity: Activity, session_date) -> None:
    """A register is kept for a session held: one past, on a date of the activity's schedule
    (any past date for an activity without a schedule)."""
    _check_past(session_date)
    if not directory.meets_on(activity, session_date):
        raise ValidationError(
            {
                "session_date": _(
                    "“%(name)s” has no session on %(date)s: choose a date of its schedule."
                )
                % {"name": activity.name, "date": date_format(session_date, "DATE_FORMAT")}
            }
        )


@transaction.atomic
def register_save(
    *, by, activity: Activity, session_date: date, marks: dict, walk_ins: int | None = None
) -> list[Attendance]:
    """The register of one session of the activity: `marks` maps enrolment ids to present,
    absent or excused, all written together, and `walk_ins` (when given) is how many people
    came without a referral, counted, never named. A date the activity's schedule does not
    hold, or still to come, is refused, as is a person not on this register; nothing is then
    saved."""
    policy.authorize(by, "respond", activity)
    check_session_date(activity, session_date)
    if not marks and walk_ins is None:
        raise ValidationError(
            {"marks": _("Mark at least one person as present, absent or excused.")}
        )
    if any(status not in AttendanceStatus.values for status in marks.values()):
        raise ValidationError({"marks": _("Mark each person as present, absent or excused.")})
    whole = isinstance(walk_ins, int) and not isinstance(walk_ins, bool)
    if walk_ins is not None and not (whole and 0 <= walk_ins <= WALK_INS_MAX):
        raise ValidationError(
            {
                "walk_ins": _("Write how many people came without a referral: 0 to %(n)s.")
                % {"n": WALK_INS_MAX}
            }
        )
    enrolments = {
        e.pk: e
        for e in register_enrolments(activity, session_date)
        .filter(pk__in=list(marks))
        .select_related("referral")
    }
    if len(enrolments) != len(marks):
        raise ValidationError({"marks": _("Someone marked is not on this session's register.")})
    lines = [_write_line(by, enrolments[pk], session_date, status) for pk, status in marks.items()]
    if walk_ins is not None:
        counted, _created = SessionWalkIns.objects.update_or_create(
            activity=activity,
            session_date=session_date,
            defaults={"count": walk_ins, "recorded_by_label": actor_label(by)},
        )
        audit(by=by, action="update", obj=counted, purpose="walk-ins counted")
    # One row per person marked, in one insert: each person's log shows who kept the register.
    if enrolments:
        audit_shown(
            by=by, purpose="attendance", objects=list(enrolments.values()), action="update"
        )
    return lines


def session_walk_ins(activity: Activity, session_date: date) -> int | None:
    found = SessionWalkIns.objects.filter(activity=activity, session_date=session_date).first()
    return found.count if found else None


@transaction.atomic
def chase_unanswered(now=None) -> tuple[int, int]:
    """Remind providers of referrals left unanswered, then return them to the link worker.
    Each row is claimed with a conditional UPDATE, so two runs never act twice; the claims and
    the e-mails they queue commit together. Returns (reminded, returned)."""
    now = now or timezone.now()
    reminded = returned = 0
    pending = Enrolment.objects.filter(status=EnrolmentStatus.PENDING).select_related(
        "activity", "referral"
    )
    for enrolment in pending:
        service = settings_for(enrolment.referral.comune_id)
        age = now - enrolment.sent_at
        if age >= timedelta(days=service.provider_return_days):
            claimed = Enrolment.objects.filter(
                pk=enrolment.pk, status=EnrolmentStatus.PENDING
            ).update(status=EnrolmentStatus.RETURNED, responded_at=now)
            if claimed:
                returned += 1
                notify(
                    [enrolment.referral.link_worker],
                    _("“%(name)s” did not answer: the referral is back with you")
                    % {"name": enrolment.activity.name},
                    "referrals:detail",
                    enrolment.referral_id,
                )
        elif age >= timedelta(days=service.provider_reminder_days):
            claimed = Enrolment.objects.filter(
                Q(pk=enrolment.pk, status=EnrolmentStatus.PENDING, reminded_at__isnull=True)
            ).update(reminded_at=now)
            if claimed:
                reminded += 1
                notify(
                    _keepers(enrolment.activity),
                    _("A referral for “%(name)s” is waiting for your answer")
                    % {"name": enrolment.activity.name},
                    "referrals:inbox",
                )
    return reminded, returned
