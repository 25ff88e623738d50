"""Who sees which measurements. A link worker measures the people of the referrals they may work
on (the referrals rule, reused); aggregates are read by territory admins for their comuni and by
evaluators everywhere; nobody else sees a score."""

from django.db.models import QuerySet

from legami.core.roles import EVALUATOR, TERRITORY_ADMIN, effective_role
from legami.referrals.scopes import referrals_workable
from legami.territory.queries import comuni_in_scope


def referrals_to_measure(user, referrals: QuerySet) -> QuerySet:
    return referrals_workable(user, referrals)


def responses_in_territory(user, responses: QuerySet) -> QuerySet:
    role = effective_role(user)
    if role == EVALUATOR:
        return responses
    if role == TERRITORY_ADMIN:
        return responses.filter(comune__in=comuni_in_scope(user))
    return responses.none()


def referrals_in_territory(user, referrals: QuerySet) -> QuerySet:
    role = effective_role(user)
    if role == EVALUATOR:
        return referrals
    if role == TERRITORY_ADMIN:
        return referrals.filter(comune__in=comuni_in_scope(user))
    return referrals.none()
