"""A territory administrator runs the sessions organised in their comuni (an online session
too names the comune that organises it), with their registrations."""

from django.db.models import QuerySet

from legami.territory.queries import comuni_in_scope


def sessions_in_territory(user, queryset: QuerySet) -> QuerySet:
    """Sessions, registrations, or comuni (where a new session is to be organised)."""
    model = queryset.model._meta.model_name
    if model == "comune":
        return queryset.filter(pk__in=comuni_in_scope(user))
    prefix = "session__" if model == "registration" else ""
    return queryset.filter(**{f"{prefix}comune__in": comuni_in_scope(user)})


def registrations_of_user(user, queryset: QuerySet) -> QuerySet:
    """A citizen's own registrations: those made while signed in to their account (an address
    typed on the public form proves nothing about who typed it)."""
    return queryset.filter(user=user)
