"""The lifecycle's one rule book and the one function that moves a referral along it."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from legami.core.audit import audit
from legami.core.errors import Refusal

from ..models import (
    ENDED_STATUSES,
    HOLDING_PLACE,
    EnrolmentStatus,
    Referral,
    ReferralEvent,
    Status,
)

# From each status, where a link worker may take a referral. Ended ones go nowhere: a new
# need is a new referral, so the closed one keeps its history intact.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.CONTACTED, Status.UNREACHABLE, Status.DECLINED, Status.CLOSED),
    Status.CONTACTED: (Status.ASSESSED, Status.UNREACHABLE, Status.DECLINED, Status.CLOSED),
    Status.ASSESSED: (Status.PLAN_AGREED, Status.DECLINED, Status.CLOSED),
    Status.PLAN_AGREED: (Status.ENGAGED, Status.COMPLETED, Status.DECLINED, Status.CLOSED),
    Status.ENGAGED: (Status.COMPLETED, Status.DECLINED, Status.CLOSED),
}
NEEDS_REASON = (Status.DECLINED, Status.UNREACHABLE, Status.CLOSED)


def allowed_next(referral: Referral) -> tuple[str, ...]:
    return TRANSITIONS.get(referral.status, ())


def check_transition(referral: Referral, to: str) -> None:
    if to not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if to not in allowed_next(referral):
        # Well formed and allowed to this person, but the case is not there (moved meanwhile,
        # in another tab or by a colleague): a refusal, not a wrong field.
        raise Refusal(
            _("A referral that is “%(current)s” cannot become “%(next)s”.")
            % {"current": Status(referral.status).label, "next": Status(to).label}
        )


def release_places(referral: Referral, *, completed: bool) -> int:
    """A path that ends frees the places it held, for the next person: an activity attended to
    the end is completed, anything still waiting or under way is withdrawn."""
    holding = referral.enrolments.filter(status__in=HOLDING_PLACE)
    freed = 0
    if completed:
        freed += holding.filter(status=EnrolmentStatus.ACCEPTED).update(
            status=EnrolmentStatus.COMPLETED
        )
    return freed + holding.update(status=EnrolmentStatus.WITHDRAWN)


def record_transition(referral: Referral, *, by, to: str, note: str = "", now=None) -> Referral:
    """Move and write the timeline step and the audit row; callers check the rules first."""
    now = now or timezone.now()
    previous = referral.status
    referral.status = to
    fields = ["status", "updated_at"]
    if to == Status.CONTACTED and referral.first_contacted_at is None:
        referral.first_contacted_at = now
        fields.append("first_contacted_at")
    if to in ENDED_STATUSES:
        referral.closed_at = now
        fields.append("closed_at")
    referral.save(update_fields=fields)
    if to in ENDED_STATUSES:
        release_places(referral, completed=to == Status.COMPLETED)
    ReferralEvent.objects.create(
        referral=referral,
        by=by if by is not None and by.is_authenticated else None,
        by_label=by.email if by is not None and by.is_authenticated else "",
        from_status=previous,
        to_status=to,
        note=str(note)[:200],
    )
    audit(
        by=by,
        action="update",
        obj=referral,
        purpose="referral lifecycle",
        changes={"status": [previous, to]},
    )
    return referral
