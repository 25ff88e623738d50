"""The places where activities happen, each kept by one organisation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legami.core.audit import audit
from legami.core.roles import TERRITORY_ADMIN, effective_role
from legami.network.models import Organisation
from legami.territory.queries import comuni_in_scope

from ..models import Place
from ..permissions import policy
from .checks import PLACE_FIELDS, check_coordinates
from .search import reindex


def _clean_place(by, data: dict, *, moved: bool) -> dict:
    check_coordinates(data.get("latitude"), data.get("longitude"))
    comune = data.get("comune")
    # A choice on the form, not an object looked up: a message on the field, not a 404.
    if (
        moved
        and by is not None
        and comune is not None
        and effective_role(by) == TERRITORY_ADMIN
        and not comuni_in_scope(by).filter(pk=comune.pk).exists()
    ):
        raise ValidationError({"comune": _("This comune is outside your territory.")})
    return data


@transaction.atomic
def place_create(*, by, organisation: Organisation, **fields) -> Place:
    policy.authorize(by, "add_place", organisation)
    data = _clean_place(by, {k: fields[k] for k in PLACE_FIELDS if k in fields}, moved=True)
    place = Place(organisation=organisation, extra=fields.get("extra") or {}, **data)
    place.full_clean()
    place.save()
    audit(by=by, action="create", obj=place)
    return place


@transaction.atomic
def place_update(*, by, place: Place, **fields) -> Place:
    policy.authorize(by, "manage_places", place)
    place = Place.objects.select_for_update().get(pk=place.pk)
    data = {k: fields.get(k, getattr(place, k)) for k in PLACE_FIELDS}
    moved = data["comune"] is not None and data["comune"].pk != place.comune_id
    data = _clean_place(by, data, moved=moved)
    for key, value in data.items():
        setattr(place, key, value)
    place.full_clean()
    place.save()
    audit(by=by, action="update", obj=place)
    for activity in place.activities.all():
        reindex(activity)
    return place
