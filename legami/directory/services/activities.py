"""Activities: created and edited by the keepers of their organisation, published, suspended
and archived by them or by the territory's moderators, verified every six months."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from legami.core.audit import audit
from legami.network.models import Organisation

from ..models import Activity, ActivityStatus
from ..permissions import policy
from .checks import ACTIVITY_FIELDS, check_activity, check_activity_place, normalise_languages
from .search import reindex

REVERIFY_AFTER = timedelta(days=183)


def _authorize_status(by, activity: Activity) -> None:
    """A listing's status is changed by those who keep it and by the territory admins who
    moderate the territory it is held in: 403 for a role that does neither, 404 for a listing
    within neither scope."""
    refusal = PermissionDenied
    for action in ("manage_listings", "moderate"):
        try:
            policy.authorize(by, action, activity)
            return
        except PermissionDenied:
            continue
        except Http404:
            refusal = Http404
    raise refusal


def _clean_activity(by, organisation, data: dict) -> dict:
    data = dict(data)
    if "languages" in data:
        data["languages"] = normalise_languages(data["languages"])
    check_activity(data)
    check_activity_place(organisation, data.get("place"))
    return data


@transaction.atomic
def activity_create(
    *,
    by,
    organisation: Organisation,
    terms=(),
    status=ActivityStatus.DRAFT,
    last_verified_on: date | None = None,
    **fields,
) -> Activity:
    policy.authorize(by, "add_listing", organisation)
    data = _clean_activity(by, organisation, {k: fields[k] for k in ACTIVITY_FIELDS if k in fields})
    activity = Activity(
        organisation=organisation,
        status=status,
        last_verified_on=last_verified_on or timezone.localdate(),
        extra=fields.get("extra") or {},
        **data,
    )
    activity.full_clean(exclude=["terms"])
    activity.save()
    activity.terms.set(terms)
    reindex(activity)
    audit(by=by, action="create", obj=activity)
    return activity


@transaction.atomic
def activity_update(*, by, activity: Activity, terms=None, **fields) -> Activity:
    policy.authorize(by, "manage_listings", activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    data = _clean_activity(
        by,
        activity.organisation,
        {k: fields.get(k, getattr(activity, k)) for k in ACTIVITY_FIELDS},
    )
    for key, value in data.items():
        setattr(activity, key, value)
    # Editing a listing is verifying it: the provider has just looked at every field.
    activity.last_verified_on = timezone.localdate()
    activity.full_clean(exclude=["terms"])
    activity.save()
    if terms is not None:
        activity.terms.set(terms)
    reindex(activity)
    audit(by=by, action="update", obj=activity)
    return activity


ALLOWED_STATUS = {
    ActivityStatus.DRAFT: {ActivityStatus.PUBLISHED, ActivityStatus.ARCHIVED},
    ActivityStatus.PUBLISHED: {
        ActivityStatus.SUSPENDED,
        ActivityStatus.ARCHIVED,
        ActivityStatus.DRAFT,
    },
    ActivityStatus.SUSPENDED: {ActivityStatus.PUBLISHED, ActivityStatus.ARCHIVED},
    ActivityStatus.ARCHIVED: {ActivityStatus.DRAFT},
}


@transaction.atomic
def activity_set_status(*, by, activity: Activity, status: str, note: str = "") -> Activity:
    _authorize_status(by, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if status not in ActivityStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == activity.status:
        return activity
    if status not in ALLOWED_STATUS[activity.status]:
        raise ValidationError(
            {
                "status": _("A listing that is %(old)s cannot become %(new)s.")
                % {
                    "old": activity.get_status_display().lower(),
                    "new": ActivityStatus(status).label.lower(),
                }
            }
        )
    if status == ActivityStatus.SUSPENDED and not note.strip():
        raise ValidationError({"note": _("Say why the listing is suspended.")})
    if status == ActivityStatus.PUBLISHED and not activity.description.strip():
        raise ValidationError({"status": _("Add a description before publishing.")})
    previous = activity.status
    activity.status = status
    activity.moderation_note = note.strip()
    activity.save(update_fields=["status", "moderation_note", "updated_at"])
    audit(
        by=by,
        action="update",
        obj=activity,
        changes={"status": [previous, status], "note": bool(note)},
    )
    return activity


@transaction.atomic
def activity_verify(*, by, activity: Activity) -> Activity:
    policy.authorize(by, "manage_listings", activity)
    Activity.objects.filter(pk=activity.pk).update(
        last_verified_on=timezone.localdate(), reverify_reminded_on=None
    )
    activity.refresh_from_db()
    audit(by=by, action="update", obj=activity, changes={"verified": True})
    return activity


def needs_reverification(activity: Activity, today: date | None = None) -> bool:
    return (today or timezone.localdate()) - activity.last_verified_on > REVERIFY_AFTER
