"""Every write of the directory: validated, atomic, audited. Each service checks first, itself,
that `by` may do it on that object (the module's policy: 403 for a wrong role, 404 for an
object outside their scope; `by=None` is the system). Pages, API, admin, imports and commands
all come through here."""

import uuid
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from legami.core.audit import audit
from legami.core.roles import TERRITORY_ADMIN, effective_role
from legami.network.models import Organisation
from legami.territory.queries import comuni_in_scope

from . import recurrence, text
from .models import (
    Activity,
    ActivityStatus,
    CostOption,
    Frequency,
    Place,
    Schedule,
    ScheduleException,
    Taxonomy,
    TaxonomyTerm,
)
from .permissions import policy

# Italy's bounding box, islands included (Lampedusa to the Brenner, Sardinia to Otranto).
ITALY_LATITUDE = (35.4, 47.1)
ITALY_LONGITUDE = (6.6, 18.6)
REVERIFY_AFTER = timedelta(days=183)
# The cached vocabulary (queries.cached_vocabulary) is keyed by this version.
VOCABULARY_VERSION_KEY = "directory:vocabulary:version"
LANGUAGE_CODES = frozenset(
    [
        "it",
        "en",
        "fr",
        "de",
        "es",
        "pt",
        "ro",
        "sq",
        "ar",
        "zh",
        "uk",
        "ru",
        "pl",
        "bn",
        "ur",
        "hi",
        "pa",
        "tl",
        "wo",
        "ff",
        "sw",
        "am",
        "ti",
        "so",
        "fa",
        "tr",
        "sl",
        "hr",
        "sr",
        "el",
        "nl",
        "sv",
        "lis",
    ]
)

PLACE_FIELDS = (
    "name",
    "description",
    "address",
    "postcode",
    "comune",
    "latitude",
    "longitude",
    "wheelchair_access",
    "hearing_access",
    "sight_access",
    "accessibility_notes",
    "transport_notes",
)
ACTIVITY_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "place",
    "min_age",
    "max_age",
    "languages",
    "cost_description",
    "capacity",
    "accepts_referrals",
    "referral_slots",
    "how_to_join",
    "contact_name",
    "email",
    "phone",
    "url",
)
SCHEDULE_FIELDS = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "description",
)


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


# --- checks shared by pages, API and imports --------------------------------------------------
def check_coordinates(latitude, longitude) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
    if latitude is None:
        return
    errors = {}
    if not ITALY_LATITUDE[0] <= latitude <= ITALY_LATITUDE[1]:
        errors["latitude"] = _("Latitude %(value)s is outside Italy (between 35.4 and 47.1).") % {
            "value": latitude
        }
    if not ITALY_LONGITUDE[0] <= longitude <= ITALY_LONGITUDE[1]:
        errors["longitude"] = _("Longitude %(value)s is outside Italy (between 6.6 and 18.6).") % {
            "value": longitude
        }
    if errors:
        raise ValidationError(errors)


def normalise_languages(value) -> str:
    if isinstance(value, list | tuple):
        value = ",".join(value)
    codes = [c.strip().lower() for c in (value or "").replace(";", ",").split(",") if c.strip()]
    unknown = [c for c in codes if c not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            {
                "languages": _("Unknown language code: %(codes)s. Use codes such as it, en, fr.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return ",".join(dict.fromkeys(codes)) or "it"


def check_activity(data: dict) -> None:
    errors = {}
    if data.get("capacity") is not None and data["capacity"] < 0:
        errors["capacity"] = _("Places available cannot be below zero.")
    if data.get("referral_slots") is not None and data["referral_slots"] < 0:
        errors["referral_slots"] = _("Referrals at a time cannot be below zero.")
    for field in ("min_age", "max_age"):
        if data.get(field) is not None and not 0 <= data[field] <= 120:
            errors[field] = _("An age is between 0 and 120.")
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None and low > high:
        errors["max_age"] = _("The maximum age is below the minimum age.")
    if errors:
        raise ValidationError(errors)


def check_activity_place(organisation, place) -> None:
    """An activity happens at one of its own organisation's places."""
    if place is not None and organisation is not None and place.organisation_id != organisation.pk:
        raise ValidationError({"place": _("Choose one of the organisation's own places.")})


def check_schedule(data: dict) -> None:
    """A rule must be readable and must occur at least once; the messages name the field."""
    errors = {}
    monthly = data.get("freq") == Frequency.MONTHLY
    try:
        recurrence.parse_byday(data.get("byday", ""), monthly=monthly)
    except recurrence.RuleError as error:
        errors["byday"] = _(
            "“%(value)s” is not a day: use MO, TU, WE, TH, FR, SA, SU (monthly: 1SA, -1FR)."
        ) % {"value": error}
    try:
        recurrence.parse_monthdays(data.get("bymonthday", ""))
    except recurrence.RuleError as error:
        errors["bymonthday"] = _("“%(value)s” is not a day of the month (1 to 31).") % {
            "value": error
        }
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        errors["closes_at"] = _("The session ends before it starts.")
    if data.get("valid_to") and data.get("valid_from") and data["valid_to"] < data["valid_from"]:
        errors["valid_to"] = _("The end date comes before the start date.")
    if (data.get("interval") or 1) < 1:
        errors["interval"] = _("The interval is at least 1.")
    if errors:
        raise ValidationError(errors)
    probe = Schedule(**{k: data.get(k) for k in SCHEDULE_FIELDS if k in data})
    probe.interval = probe.interval or 1
    if not recurrence.ever_occurs(probe):
        raise ValidationError(
            {"byday": _("This rule never occurs in its period of validity: check days and dates.")}
        )


# --- taxonomy -----------------------------------------------------------------------------------
def vocabulary_changed() -> None:
    """A new version of the vocabulary: the search page stops reading the cached one. Now, so
    that this request sees its own change, and again after the commit, so that a page that
    read the old terms meanwhile cannot have cached them under the new version."""

    def bump():
        cache.set(VOCABULARY_VERSION_KEY, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def check_term(*, taxonomy: Taxonomy, code: str, parent=None, term=None) -> str:
    """A term's code, normalised, once it is free in its taxonomy and the parent fits; the
    messages name the field."""
    code = text.fold(code).strip().replace(" ", "-")
    if not code:
        raise ValidationError({"code": _("A term needs a code.")})
    clash = TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code)
    if term is not None and term.pk is not None:
        clash = clash.exclude(pk=term.pk)
    if clash.exists():
        raise ValidationError({"code": _("This taxonomy already has a term with this code.")})
    if parent is not None and parent.taxonomy_id != taxonomy.pk:
        raise ValidationError({"parent": _("The parent term belongs to another taxonomy.")})
    if parent is not None and term is not None and term.pk is not None and parent.pk == term.pk:
        raise ValidationError({"parent": _("A term cannot be its own parent.")})
    return code


@transaction.atomic
def taxonomy_term_save(
    *,
    by,
    taxonomy: Taxonomy,
    code: str,
    name: str,
    name_en: str = "",
    name_fr: str = "",
    description: str = "",
    parent=None,
    term: TaxonomyTerm | None = None,
) -> TaxonomyTerm:
    policy.authorize(by, "manage_taxonomy")
    code = check_term(taxonomy=taxonomy, code=code, parent=parent, term=term)
    term = term or TaxonomyTerm(taxonomy=taxonomy)
    for key, value in {
        "code": code,
        "name": name,
        "name_en": name_en,
        "name_fr": name_fr,
        "description": description,
        "parent": parent,
    }.items():
        setattr(term, key, value)
    created = term.pk is None
    term.full_clean()
    term.save()
    audit(by=by, action="create" if created else "update", obj=term)
    vocabulary_changed()
    return term


# --- places -----------------------------------------------------------------------------------
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


# --- activities -------------------------------------------------------------------------------
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


# --- schedules and costs ------------------------------------------------------------------------
@transaction.atomic
def schedule_add(*, by, activity: Activity, **fields) -> Schedule:
    policy.authorize(by, "manage_listings", activity)
    data = {k: fields[k] for k in SCHEDULE_FIELDS if k in fields}
    data["byday"] = ",".join(
        p.strip().upper() for p in (data.get("byday") or "").split(",") if p.strip()
    )
    data.setdefault("interval", 1)
    weekly = data.get("freq", Frequency.WEEKLY) == Frequency.WEEKLY
    if weekly and not data["byday"] and not data.get("bymonthday") and data.get("valid_from"):
        # Spelled out so that searching by weekday finds it.
        data["byday"] = recurrence.DAY_CODES[data["valid_from"].weekday()]
    check_schedule(data)
    schedule = Schedule(activity=activity, extra=fields.get("extra") or {}, **data)
    schedule.full_clean()
    schedule.save()
    reindex(activity)
    audit(by=by, action="update", obj=activity, changes={"schedule_added": schedule.pk})
    return schedule


@transaction.atomic
def schedule_remove(*, by, schedule: Schedule) -> None:
    policy.authorize(by, "manage_listings", schedule.activity)
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    activity = schedule.activity
    schedule.delete()
    reindex(activity)
    audit(by=by, action="update", obj=activity, changes={"schedule_removed": True})


@transaction.atomic
def schedule_exception_add(*, by, schedule: Schedule, date: date, reason: str = ""):
    policy.authorize(by, "manage_listings", schedule.activity)
    if schedule.valid_to and date > schedule.valid_to or date < schedule.valid_from:
        raise ValidationError({"date": _("This date is outside the schedule's validity.")})
    exception, _created = ScheduleException.objects.get_or_create(
        schedule=schedule, date=date, defaults={"reason": reason}
    )
    reindex(schedule.activity)
    audit(by=by, action="update", obj=schedule.activity, changes={"exception": str(date)})
    return exception


@transaction.atomic
def cost_option_add(*, by, activity: Activity, label: str, amount, **fields) -> CostOption:
    policy.authorize(by, "manage_listings", activity)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("A cost cannot be below zero.")})
    option = CostOption(
        activity=activity,
        label=label,
        amount=amount,
        valid_from=fields.get("valid_from"),
        valid_to=fields.get("valid_to"),
    )
    option.full_clean()
    option.save()
    reindex(activity)
    audit(by=by, action="update", obj=activity, changes={"cost_option_added": option.pk})
    return option


@transaction.atomic
def cost_option_remove(*, by, option: CostOption) -> None:
    policy.authorize(by, "manage_listings", option.activity)
    option = CostOption.objects.select_for_update().get(pk=option.pk)
    activity = option.activity
    option.delete()
    reindex(activity)
    audit(by=by, action="update", obj=activity, changes={"cost_option_removed": True})


# --- derived fields -----------------------------------------------------------------------------
def search_document(
    activity: Activity,
    *,
    organisation_name: str,
    place_name: str,
    comune_name: str,
    term_names: list[str],
) -> str:
    return " ".join(
        [
            activity.name,
            activity.alternate_name,
            activity.description,
            organisation_name,
            place_name,
            comune_name,
            *term_names,
        ]
    )


def next_session(schedules, exceptions_by_schedule: dict, now: datetime | None = None):
    now = now or timezone.now()
    starts = []
    for schedule in schedules:
        for start, _end in recurrence.occurrences(
            schedule, after=now, limit=1, excluded=exceptions_by_schedule.get(schedule.pk, set())
        ):
            starts.append(start)
    return min(starts) if starts else None


def reindex(activity: Activity) -> None:
    """Refresh what the search reads: words, stems, whether it is free, next session."""
    activity = Activity.objects.select_related("organisation", "place__comune").get(pk=activity.pk)
    term_names = []
    for term in activity.terms.all():
        term_names += [term.name, term.name_en, term.name_fr]
    document = search_document(
        activity,
        organisation_name=activity.organisation.name,
        place_name=activity.place.name if activity.place else "",
        comune_name=activity.place.comune.name if activity.place else "",
        term_names=term_names,
    )
    schedules = list(activity.schedules.all())
    exceptions = {}
    for exception in ScheduleException.objects.filter(schedule__activity=activity):
        exceptions.setdefault(exception.schedule_id, set()).add(exception.date)
    Activity.objects.filter(pk=activity.pk).update(
        search_text=text.fold(document),
        search_stems=text.stems(document),
        is_free=not activity.cost_options.filter(amount__gt=0).exists(),
        next_session_at=next_session(schedules, exceptions),
    )


def refresh_next_sessions(now: datetime | None = None, batch: int = 2000) -> int:
    """Move every published activity's next session forward; run daily. Safe to run twice."""
    now = now or timezone.now()
    due = Activity.objects.filter(next_session_at__lt=now).values_list("pk", flat=True)
    updated = 0
    ids = list(due)
    for offset in range(0, len(ids), batch):
        chunk = ids[offset : offset + batch]
        schedules = {}
        for schedule in Schedule.objects.filter(activity_id__in=chunk):
            schedules.setdefault(schedule.activity_id, []).append(schedule)
        exceptions = {}
        for exception in ScheduleException.objects.filter(schedule__activity_id__in=chunk):
            exceptions.setdefault(exception.schedule_id, set()).add(exception.date)
        with transaction.atomic():
            for pk in chunk:
                Activity.objects.filter(pk=pk).update(
                    next_session_at=next_session(schedules.get(pk, []), exceptions, now)
                )
                updated += 1
    return updated
