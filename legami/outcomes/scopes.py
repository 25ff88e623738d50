"""Who sees which measurements. A link worker measures the people of the referrals they may work
on (the referrals rule, reused); aggregates are read by territory admins for their comuni and by
evaluators everywhere; nobody else sees a score."""

from django.db.models import Q, QuerySet

from legami.core.roles import EVALUATOR, SUPERUSER, TERRITORY_ADMIN, effective_role
from legami.directory.queries import published_activities
from legami.directory.scopes import activities_in_territory
from legami.network.models import Programme
from legami.network.queries import programmes_editable
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


def programmes_run(user) -> QuerySet:
    """The programmes whose surveys and indicators a user runs: a territory administrator those
    led by an organisation of their territory (as the network module decides), a superuser all."""
    if effective_role(user) == SUPERUSER:
        return Programme.objects.all()
    return programmes_editable(user, Programme.objects.all())


def runs_programme(user, programme) -> bool:
    """Whether a user defines the indicators of `programme` (the indicators_edit rule)."""
    from .permissions import policy  # the policy names this module's scopes

    return policy.allows(user, "indicators_edit") and (
        programmes_run(user).filter(pk=programme.pk).exists()
    )


def programmes_evaluated(user) -> QuerySet:
    """The programmes an evaluator works for: those of which an organisation they belong to
    (their university, their research institute) is a partner, as the network records it."""
    return Programme.objects.filter(
        pk__in=Programme.objects.filter(
            partners__organisation__memberships__person__user=user
        ).values("pk")
    )


def programmes_with_evidence(user) -> QuerySet:
    """Whose interviews and observations a user reads and records: an evaluator the programmes
    they work for; a territory administrator those led from their territory or covering one of
    its comuni; a superuser all."""
    role = effective_role(user)
    if role == SUPERUSER:
        return Programme.objects.all()
    if role == EVALUATOR:
        return programmes_evaluated(user)
    if role == TERRITORY_ADMIN:
        return Programme.objects.filter(
            Q(pk__in=programmes_run(user).values("pk"))
            | Q(pk__in=Programme.objects.filter(comuni__in=comuni_in_scope(user)).values("pk"))
        )
    return Programme.objects.none()


def evidence_in_scope(user, evidence: QuerySet) -> QuerySet:
    return evidence.filter(programme__in=programmes_with_evidence(user))


def surveys_in_territory(user, surveys: QuerySet) -> QuerySet:
    """Evaluators read every survey; a territory administrator those of the programmes they
    run and the ones they opened themselves."""
    role = effective_role(user)
    if role == EVALUATOR:
        return surveys
    if role == TERRITORY_ADMIN:
        return surveys.filter(Q(programme__in=programmes_run(user)) | Q(created_by=user))
    return surveys.none()


def indicators_in_territory(user, indicators: QuerySet) -> QuerySet:
    if effective_role(user) == TERRITORY_ADMIN:
        return indicators.filter(programme__in=programmes_run(user))
    return indicators.none()


def programmes_surveyed(user) -> QuerySet:
    """The programmes a user may open a survey for: an evaluator any, others those they run."""
    if effective_role(user) == EVALUATOR:
        return Programme.objects.all()
    return programmes_run(user)


def activities_surveyed(user) -> QuerySet:
    """The published activities event feedback may be about: a territory administrator's own
    territory, everywhere for the others allowed to open surveys."""
    activities = published_activities().order_by("name")
    if effective_role(user) == TERRITORY_ADMIN:
        return activities_in_territory(user, activities)
    return activities
