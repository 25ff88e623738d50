"""A territory administrator runs the sessions held in their comuni, and the online ones, with
their registrations."""

from django.db.models import Q, QuerySet

from legami.territory.queries import comuni_in_scope


def sessions_in_territory(user, queryset: QuerySet) -> QuerySet:
    prefix = "session__" if queryset.model._meta.model_name == "registration" else ""
    return queryset.filter(
        Q(**{f"{prefix}comune__in": comuni_in_scope(user)}) | Q(**{f"{prefix}comune__isnull": True})
    )
