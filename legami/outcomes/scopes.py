"""Who sees which measurements. A link worker measures the people of the referrals they may work
on (the referrals rule, reused); aggregates are read by territory admins for their comuni and by
evaluators everywhere; nobody else sees a score."""

from django.db.models import Q, QuerySet

from legami.core.roles import EVALUATOR, LINK_WORKER, SUPERUSER, TERRITORY_ADMIN, effective_role
from legami.directory.queries import published_activities
from legami.directory.scopes import activities_in_territory
from legami.network.models import Programme
from legami.network.queries import programmes_editable
from legami.referrals.scopes import referrals_workable
from legami.territory.queries import comuni_in_scope


def referrals_to_measure(user, queryset: QuerySet) -> QuerySet:
    """Referrals, or people: a link worker measures the people of their territory."""
    if _model(queryset) == "beneficiary":
        if effective_role(user) != LINK_WORKER:
            return queryset.none()
        return queryset.filter(comune__in=comuni_in_scope(user))
    return referrals_workable(user, queryset)


def _model(queryset: QuerySet) -> str:
    # A scope also answers for the object a new record is attached to (a programme, a
    # person...): the service asks it before the record exists.
    return queryset.model._meta.model_name


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

    return policy.can(user, "indicators_edit", programme)


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


def evidence_in_scope(user, queryset: QuerySet) -> QuerySet:
    """Evidence, or the programmes new evidence may be recorded for."""
    if _model(queryset) == "programme":
        return queryset.filter(pk__in=programmes_with_evidence(user).values("pk"))
    return queryset.filter(programme__in=programmes_with_evidence(user))


def surveys_in_territory(user, queryset: QuerySet) -> QuerySet:
    """Evaluators read every survey; a territory administrator those of the programmes they
    run and the ones they opened themselves. Asked of a programme or an activity: whether a
    new survey may be about it."""
    role = effective_role(user)
    model = _model(queryset)
    if role == EVALUATOR:
        return queryset
    if role != TERRITORY_ADMIN:
        return queryset.none()
    if model == "programme":
        return queryset.filter(pk__in=programmes_run(user).values("pk"))
    if model == "activity":
        return activities_in_territory(user, queryset)
    return queryset.filter(Q(programme__in=programmes_run(user)) | Q(created_by=user))


def indicators_in_territory(user, queryset: QuerySet) -> QuerySet:
    """Indicators, or the programmes a new indicator may be defined for."""
    if effective_role(user) != TERRITORY_ADMIN:
        return queryset.none()
    if _model(queryset) == "programme":
        return queryset.filter(pk__in=programmes_run(user).values("pk"))
    return queryset.filter(programme__in=programmes_run(user))


def organisations_answering(user, queryset: QuerySet) -> QuerySet:
    """A member answers organisation surveys for their own organisations only; which surveys
    ask which organisations is the survey's rule (services_surveys.organisations_to_answer)."""
    if _model(queryset) == "organisation":
        return queryset.filter(memberships__person__user=user).distinct()
    return queryset


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
