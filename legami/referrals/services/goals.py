"""Goal-based outcomes: the person's own goals on a referral ("che cosa conta per te") and how
close they feel to each, rated again at each follow-up. Only those who work on the case (the
policy's `work`: the link workers of the person's territory) write them; never the prescriber,
their colleagues or a provider. A rating is never overwritten, a goal never edited: a new
rating is a new row, a goal given up is set aside (archived) with its history."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legami.core.audit import audit
from legami.core.errors import Refusal

from ..models import (
    GOAL_TEXT_MAX,
    MAX_ACTIVE_GOALS,
    RATING_MAX,
    RATING_MIN,
    Goal,
    GoalRating,
    Referral,
)
from ..permissions import policy
from .people import actor_label


def rating_field(goal) -> str:
    """The name under which a goal's new rating is sent and its error comes back."""
    return f"rating_{getattr(goal, 'pk', goal)}"


def clean_rating(value, field: str, message: str | None = None) -> int:
    """A whole number from 1 to 10, however it came (a form's text, JSON's number)."""
    message = message or _(
        "How close the person feels to the goal: write a whole number from %(low)d to %(high)d."
    ) % {"low": RATING_MIN, "high": RATING_MAX}
    if isinstance(value, bool):
        raise ValidationError({field: message})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        value = value.strip()
        number = int(value) if value.isascii() and value.isdigit() else None
    elif isinstance(value, int):
        number = value
    else:
        number = None
    if number is None or not RATING_MIN <= number <= RATING_MAX:
        raise ValidationError({field: message})
    return number


def clean_goal_text(text) -> str:
    text = " ".join(str(text or "").split())
    if not text:
        raise ValidationError({"text": _("Write the goal, in the person's own words.")})
    if len(text) > GOAL_TEXT_MAX:
        raise ValidationError(
            {
                "text": _("A goal can be at most %(n)d characters: say it in a few words.")
                % {"n": GOAL_TEXT_MAX}
            }
        )
    return text


def _open_referral(by, referral) -> Referral:
    """The referral, checked and locked: goals change only while the path is open, and the lock
    keeps two link workers from adding a fourth goal at the same moment."""
    policy.authorize(by, "work", referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise Refusal(_("The referral has ended: its goals and ratings can no longer change."))
    return referral


@transaction.atomic
def goal_add(*, by, referral: Referral, text: str, rating, now=None) -> Goal:
    """A goal in the person's words with how close they feel to it today (the first rating)."""
    referral = _open_referral(by, referral)
    errors = {}
    try:
        text = clean_goal_text(text)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        rating = clean_rating(rating, "rating")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    active = referral.personal_goals.filter(archived_at__isnull=True).count()
    if active >= MAX_ACTIVE_GOALS:
        raise Refusal(
            _(
                "The person already has %(n)d goals: set one aside before adding another "
                "(at most %(n)d at a time)."
            )
            % {"n": MAX_ACTIVE_GOALS}
        )
    now = now or timezone.now()
    label = actor_label(by)
    goal = Goal.objects.create(referral=referral, text=text, created_at=now, created_by_label=label)
    GoalRating.objects.create(goal=goal, rating=rating, rated_at=now, rated_by_label=label)
    audit(
        by=by,
        action="create",
        obj=goal,
        purpose="personal goal",
        changes={"rating": [None, rating]},
    )
    return goal


@transaction.atomic
def goal_rate(*, by, referral: Referral, ratings: Mapping, now=None) -> list[GoalRating]:
    """Rate the referral's goals again (a follow-up): `ratings` maps goals (or their ids) to a
    number from 1 to 10. All or none: one wrong rating saves nothing, and its error is named
    after the goal (`rating_<id>`). A goal left out keeps its last rating."""
    referral = _open_referral(by, referral)
    goals = {g.pk: g for g in referral.personal_goals.filter(archived_at__isnull=True)}
    if not ratings:
        raise ValidationError({"ratings": _("Rate at least one of the person's goals.")})
    chosen, errors = {}, {}
    for key, value in dict(ratings).items():
        pk = getattr(key, "pk", key)
        if isinstance(pk, str) and pk.isascii() and pk.isdigit():
            pk = int(pk)
        goal = goals.get(pk) if isinstance(pk, int) and not isinstance(pk, bool) else None
        if goal is None:
            errors["ratings"] = [_("Rate only the goals of this referral that are still open.")]
            continue
        try:
            chosen[goal] = clean_rating(
                value,
                rating_field(goal),
                _("“%(goal)s”: write how close the person feels as a whole number from 1 to 10.")
                % {"goal": goal.text},
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    label = actor_label(by)
    created = []
    for goal, rating in chosen.items():
        previous = goal.ratings.order_by("-rated_at", "-id").values_list("rating", flat=True)
        created.append(
            GoalRating.objects.create(goal=goal, rating=rating, rated_at=now, rated_by_label=label)
        )
        audit(
            by=by,
            action="update",
            obj=goal,
            purpose="personal goal rated again",
            changes={"rating": [previous.first(), rating]},
        )
    return created


@transaction.atomic
def goal_remove(*, by, goal: Goal, now=None) -> Goal:
    """Set a goal aside (the person no longer pursues it): it keeps its ratings, is rated no
    more, and leaves room for another."""
    _open_referral(by, goal.referral)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.archived_at is not None:
        raise Refusal(_("This goal has already been set aside."))
    goal.archived_at = now or timezone.now()
    goal.save(update_fields=["archived_at"])
    audit(
        by=by,
        action="update",
        obj=goal,
        purpose="personal goal set aside",
        changes={"archived": [False, True]},
    )
    return goal
