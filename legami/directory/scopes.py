"""Which listings a user may change: the permissions module names these scopes, and lists and
single objects are filtered by the same functions."""

from django.db.models import Q, QuerySet

from legami.core.roles import TERRITORY_ADMIN, effective_role
from legami.network.models import Organisation
from legami.network.queries import organisations_editable
from legami.territory.queries import comuni_in_scope


def editable_organisations(user) -> QuerySet:
    return organisations_editable(user, Organisation.objects.all())


def activities_editable(user, activities: QuerySet) -> QuerySet:
    return activities.filter(organisation__in=editable_organisations(user))


def places_editable(user, places: QuerySet) -> QuerySet:
    return places.filter(organisation__in=editable_organisations(user))


def activities_in_territory(user, activities: QuerySet) -> QuerySet:
    if effective_role(user) != TERRITORY_ADMIN:
        return activities.none()
    comuni = comuni_in_scope(user)
    return activities.filter(
        Q(place__comune__in=comuni) | Q(place__isnull=True, organisation__comune__in=comuni)
    )
