"""Every non-trivial read of the directory, already limited to what the user may see."""

import math
import uuid
from dataclasses import dataclass, field
from datetime import date, time

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from legami.core.geo import KM_PER_DEGREE_LATITUDE, KM_PER_DEGREE_LONGITUDE_AT_EQUATOR, bounding_box
from legami.territory.models import Comune
from legami.territory.queries import close_comune_name

from .. import recurrence, text
from ..models import Activity, ActivityStatus, Place, Schedule, Taxonomy, TaxonomyTerm
from ..scopes import activities_editable, activities_in_territory, places_editable
from ..services import REVERIFY_AFTER, VOCABULARY_VERSION_KEY

TIME_BANDS = {
    "morning": (time(0, 0), time(11, 59, 59)),
    "afternoon": (time(12, 0), time(17, 59, 59)),
    "evening": (time(18, 0), time(23, 59, 59)),
}
ACCESS_FIELDS = {
    "wheelchair": "place__wheelchair_access",
    "hearing": "place__hearing_access",
    "sight": "place__sight_access",
}
MAP_POINTS_LIMIT = 5000
# A term saved through services.taxonomy_term_save changes the version, so this process sees
# it at once; the timeout bounds how long another process with its own local-memory cache
# (several gunicorn workers, no shared cache configured) can show the previous vocabulary.
VOCABULARY_CACHE_SECONDS = 300
# PostgreSQL: the column a trigger keeps (migration 0004), GIN-indexed; not a model field.
SEARCH_VECTOR = RawSQL('"directory_activity"."search_vector"', [], output_field=SearchVectorField())


@dataclass
class ActivitySearch:
    """What a person asks the directory; every part optional."""

    text: str = ""
    domains: list[int] = field(default_factory=list)
    needs: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    age: int | None = None
    comune: Comune | None = None
    district_comuni: list[int] | None = None
    radius_km: float | None = None
    point: tuple[float, float] | None = None
    weekdays: list[str] = field(default_factory=list)  # any of these days
    time_band: str = ""
    free_only: bool = False
    access: list[str] = field(default_factory=list)
    language: str = ""
    place: int | None = None
    sort: str = "relevance"

    @property
    def origin(self) -> tuple[float, float] | None:
        """Where distances are measured from: a point, else the comune's centre."""
        if self.point is not None:
            return self.point
        if self.comune is not None and self.comune.latitude is not None:
            return float(self.comune.latitude), float(self.comune.longitude)
        return None


# --- visibility ---------------------------------------------------------------------------------
def published_activities() -> QuerySet:
    return Activity.objects.filter(status=ActivityStatus.PUBLISHED)


def visible_activities(user) -> QuerySet:
    """Published listings for everyone; drafts and suspended ones also for those who manage
    or moderate them."""
    visible = Q(status=ActivityStatus.PUBLISHED)
    if user.is_authenticated:
        if user.is_superuser:
            return Activity.objects.all()
        own = activities_editable(user, Activity.objects.all()).values("pk")
        moderated = activities_in_territory(user, Activity.objects.all()).values("pk")
        visible |= Q(pk__in=own) | Q(pk__in=moderated)
    return Activity.objects.filter(visible)


def managed_activities(user) -> QuerySet:
    """The listings a provider keeps or a territory admin moderates."""
    if user.is_superuser:
        activities = Activity.objects.all()
    else:
        own = activities_editable(user, Activity.objects.all()).values("pk")
        moderated = activities_in_territory(user, Activity.objects.all()).values("pk")
        activities = Activity.objects.filter(Q(pk__in=own) | Q(pk__in=moderated))
    return activities.select_related("organisation", "place__comune").order_by(
        "last_verified_on", "name"
    )


def stale_activity_count(user, today=None) -> int:
    """How many of the listings `user` keeps or moderates have not been verified for longer
    than services.REVERIFY_AFTER (services.needs_reverification, counted in the database)."""
    today = today or timezone.localdate()
    return managed_activities(user).filter(last_verified_on__lt=today - REVERIFY_AFTER).count()


def managed_places(user) -> QuerySet:
    places = Place.objects.all() if user.is_superuser else places_editable(user, Place.objects)
    return (
        places.select_related("organisation", "comune__province")
        .annotate(activity_count=Count("activities"))
        .order_by("name", "pk")
    )


# --- comuni --------------------------------------------------------------------------------------
def comuni_with_activities() -> QuerySet[Comune]:
    """The comuni where a published activity takes place (or, without a place, whose
    organisation is there), by name: what the search's comune field suggests."""
    published = published_activities()
    return (
        Comune.objects.filter(
            Q(pk__in=published.filter(place__isnull=False).values("place__comune"))
            | Q(pk__in=published.filter(place__isnull=True).values("organisation__comune"))
        )
        .select_related("province")
        .order_by("name", "province__abbreviation")
    )


def similar_comune(text: str) -> str:
    """What the person probably meant by a comune not found: the closest name among the
    comuni with activities, else among all comuni; "" when nothing is close."""
    names = list(comuni_with_activities().values_list("name", flat=True))
    return close_comune_name(text, names) or close_comune_name(text)


# --- taxonomy -------------------------------------------------------------------------------------
def vocabulary() -> dict[str, list[TaxonomyTerm]]:
    """Legami's three vocabularies in display order, in one query."""
    groups = {Taxonomy.DOMAIN: [], Taxonomy.NEED: [], Taxonomy.TARGET_GROUP: []}
    terms = TaxonomyTerm.objects.filter(taxonomy__code__in=groups).select_related("taxonomy")
    for term in terms.order_by("taxonomy__code", "parent_id", "position", "name"):
        groups[term.taxonomy.code].append(term)
    # Children right after their parent, so a select reads as a tree.
    for code, items in groups.items():
        roots = [t for t in items if t.parent_id is None]
        ordered = []
        for root in sorted(roots, key=lambda t: (t.position, t.name)):
            ordered.append(root)
            ordered += [t for t in items if t.parent_id == root.pk]
        ordered += [t for t in items if t not in ordered]
        groups[code] = ordered
    return groups


def cached_vocabulary() -> dict[str, list[TaxonomyTerm]]:
    """vocabulary() for the search page and API, from the cache: keyed by the active language
    and by the vocabulary's version, which services.taxonomy_term_save changes."""
    version = cache.get(VOCABULARY_VERSION_KEY)
    if version is None:  # first use, or evicted: a new version, never a previous one
        cache.add(VOCABULARY_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VOCABULARY_VERSION_KEY)
    key = f"directory:vocabulary:{version}:{translation.get_language() or ''}"
    groups = cache.get(key)
    if groups is None:
        groups = vocabulary()
        cache.set(key, groups, VOCABULARY_CACHE_SECONDS)
    return groups


def with_descendants(term_ids: list[int], terms: list[TaxonomyTerm]) -> set[int]:
    """A domain selected means it and its sub-domains ("Culture" finds the reading groups)."""
    selected = set(term_ids)
    children = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term.pk)
    frontier = list(selected)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in selected:
                selected.add(child)
                frontier.append(child)
    return selected


# --- search ---------------------------------------------------------------------------------------
def _has_terms(ids) -> Exists:
    through = Activity.terms.through
    return Exists(through.objects.filter(activity_id=OuterRef("pk"), taxonomyterm_id__in=ids))


def _text_filter(activities: QuerySet, query_text: str) -> QuerySet:
    folded = text.fold(query_text).strip()
    if not folded:
        return activities
    if connection.vendor == "postgresql":
        query = SearchQuery(folded, config="italian", search_type="websearch")
        return (
            activities.alias(vector=SEARCH_VECTOR)
            .filter(vector=query)
            .annotate(rank=SearchRank(SEARCH_VECTOR, query))
        )
    stems = text.query_stems(folded)
    if not stems:
        return activities
    # Every stem as a word prefix, through the FTS5 index of the stems (migration 0005).
    match = " AND ".join('"' + stem.replace('"', '""') + '"*' for stem in stems)
    activities = activities.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM directory_activity_stems WHERE directory_activity_stems MATCH %s",
            [match],
        )
    )
    # Relevance on SQLite: the words in the name first.
    first = text.words(folded)[0]
    return activities.annotate(
        rank=Case(
            When(name__icontains=first, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def _squared_distance(origin):
    """Distance in km, squared, on the local plane: within a province the error is under
    0.5%, and it needs only arithmetic, which both databases index-scan and sort."""
    latitude, longitude = origin
    k_lon = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude))
    dy = (F("place__latitude") - latitude) * KM_PER_DEGREE_LATITUDE
    dx = (F("place__longitude") - longitude) * k_lon
    return dy * dy + dx * dx


def _filter(search: ActivitySearch, terms: list[TaxonomyTerm]) -> QuerySet:
    activities = published_activities()
    if search.place:
        activities = activities.filter(place_id=search.place)
    for ids in (search.domains, search.needs, search.targets):
        if ids:
            activities = activities.filter(_has_terms(with_descendants(ids, terms)))
    if search.age is not None:
        activities = activities.filter(
            Q(min_age__isnull=True) | Q(min_age__lte=search.age),
            Q(max_age__isnull=True) | Q(max_age__gte=search.age),
        )
    origin = search.origin
    if search.radius_km and origin is not None:
        activities = activities.filter(bounding_box(origin, search.radius_km))
        activities = activities.alias(distance2=_squared_distance(origin)).filter(
            distance2__lte=search.radius_km**2
        )
    elif search.comune is not None:
        # The activities of the comune as one UNION of two indexed lookups (by place, and by
        # organisation for those without a place): the database starts from these few rows
        # instead of testing an OR on every published activity.
        at_place = Activity.objects.filter(place__comune=search.comune).order_by().values("pk")
        of_organisation = (
            Activity.objects.filter(place__isnull=True, organisation__comune=search.comune)
            .order_by()
            .values("pk")
        )
        activities = activities.filter(pk__in=at_place.union(of_organisation))
    if search.district_comuni is not None:
        activities = activities.filter(place__comune__in=search.district_comuni)
    if search.weekdays or search.time_band:
        sessions = Schedule.objects.filter(activity_id=OuterRef("pk")).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate())
        )
        if search.weekdays:
            on_a_day = Q()
            for day in search.weekdays:
                on_a_day |= Q(byday__contains=day)
            sessions = sessions.filter(on_a_day)
        if search.time_band:
            sessions = sessions.filter(opens_at__range=TIME_BANDS[search.time_band])
        activities = activities.filter(Exists(sessions))
    if search.free_only:
        activities = activities.filter(is_free=True)
    for need in search.access:
        activities = activities.filter(**{ACCESS_FIELDS[need]: True})
    if search.language:
        code = search.language
        activities = activities.filter(
            Q(languages=code)
            | Q(languages__startswith=code + ",")
            | Q(languages__endswith="," + code)
            | Q(languages__contains="," + code + ",")
        )
    return _text_filter(activities, search.text)


def search_activities(search: ActivitySearch, terms: list[TaxonomyTerm]) -> QuerySet:
    """Published activities matching `search`, ordered as asked, ready to render a page in a
    fixed number of queries (organisation, place and comune joined; terms prefetched)."""
    activities = _filter(search, terms)
    origin = search.origin
    sort = search.sort
    if sort == "distance" and origin is not None:
        # An alias, not an annotation: the page shows distances computed in Python, and the
        # paginator's COUNT then leaves the arithmetic out (40 → ~10 ms at province scale).
        activities = activities.alias(distance2=_squared_distance(origin)).order_by(
            F("distance2").asc(nulls_last=True), "name", "pk"
        )
    elif sort == "next":
        activities = activities.order_by(F("next_session_at").asc(nulls_last=True), "pk")
    elif sort == "name":
        activities = activities.order_by("name", "pk")
    elif search.text.strip() and "rank" in activities.query.annotations:
        activities = activities.order_by("-rank", F("next_session_at").asc(nulls_last=True), "pk")
    else:
        activities = activities.order_by(F("next_session_at").asc(nulls_last=True), "pk")
    return activities.select_related("organisation", "place__comune__province").prefetch_related(
        Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy"))
    )


def map_points(search: ActivitySearch, terms: list[TaxonomyTerm]) -> list[dict]:
    """One point per place with the number of matching activities there: a province's whole
    offer fits in one light response, and the map clusters it."""
    rows = (
        _filter(search, terms)
        .filter(place__latitude__isnull=False)
        .order_by()
        .values(
            "place_id", "place__name", "place__latitude", "place__longitude", "place__comune__name"
        )
        .annotate(activities=Count("pk"))
        .order_by("place_id")[:MAP_POINTS_LIMIT]
    )
    return [
        {
            "place": row["place_id"],
            "name": row["place__name"],
            "comune": row["place__comune__name"],
            "lat": row["place__latitude"],
            "lon": row["place__longitude"],
            "activities": row["activities"],
        }
        for row in rows
    ]


def activity_detail(user, pk: int) -> Activity:
    return (
        visible_activities(user)
        .select_related("organisation__comune", "place__comune__province")
        .prefetch_related(
            Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
            "cost_options",
            Prefetch("schedules", queryset=Schedule.objects.prefetch_related("exceptions")),
        )
        .get(pk=pk)
    )


# --- coverage -----------------------------------------------------------------------------------
def coverage(comuni: QuerySet, domains: list[TaxonomyTerm]) -> list[dict]:
    """For each comune, how many published activities it has in each top-level domain (a
    sub-domain counts for its parent); zeros are the gaps to plan for."""
    roots = [d for d in domains if d.parent_id is None]
    parent_of = {d.pk: (d.parent_id or d.pk) for d in domains}
    root_of = Case(
        *[When(taxonomyterm_id=pk, then=Value(root)) for pk, root in parent_of.items()],
        output_field=IntegerField(),
    )
    rows = (
        Activity.terms.through.objects.filter(
            activity__status=ActivityStatus.PUBLISHED,
            activity__place__comune__in=comuni,
            taxonomyterm_id__in=list(parent_of),
        )
        .annotate(root=root_of)
        .values("activity__place__comune_id", "root")
        .annotate(n=Count("activity_id", distinct=True))
    )
    counts = {(row["activity__place__comune_id"], row["root"]): row["n"] for row in rows}
    table = []
    for comune in comuni.select_related("province").order_by("name"):
        cells = [counts.get((comune.pk, root.pk), 0) for root in roots]
        table.append({"comune": comune, "cells": cells, "gaps": cells.count(0)})
    return table


def session_dates(activity: Activity, *, since: date, until: date) -> list[date] | None:
    """The dates from `since` to `until` on which the activity meets by its schedules, its
    exceptions (holidays, closures) left out, oldest first. None when the activity has no
    schedule at all (by appointment): no date can be said not to be one of its sessions."""
    # Fetched once per activity object: a page and the service it calls ask again for free.
    prefetch_related_objects([activity], "schedules__exceptions")
    schedules = list(activity.schedules.all())
    if not schedules:
        return None
    days = set()
    for schedule in schedules:
        excluded = {e.date for e in schedule.exceptions.all()}
        days.update(recurrence.dates_between(schedule, since=since, until=until, excluded=excluded))
    return sorted(days)


def meets_on(activity: Activity, day: date) -> bool:
    """Whether the activity holds a session on `day` (always, for one without a schedule)."""
    dates = session_dates(activity, since=day, until=day)
    return dates is None or day in dates


# --- exports --------------------------------------------------------------------------------------
# A download of the search is cut here: beyond it a person narrows the search (the page says so).
SEARCH_EXPORT_LIMIT = 5000


def _days(schedules) -> str:
    from ..forms import WEEKDAY_CHOICES  # forms imports this module

    codes = set()
    for schedule in schedules:
        codes.update(part[-2:] for part in schedule.byday.split(",") if part)
    return ", ".join(str(label) for code, label in WEEKDAY_CHOICES if code in codes)


def _cost(activity) -> str:
    options = [f"{o.label}: {o.amount} {o.currency}" for o in activity.cost_options.all()]
    if activity.is_free and not options:
        return _("Free")
    return "; ".join(options) or activity.cost_description


def search_export_rows(activities: QuerySet) -> list[list]:
    """The activities of a search (search_activities, in its order) as table rows, header
    first, in a fixed number of queries. The ISTAT code is text, so "053001" keeps its zero;
    the last verification is a date."""
    activities = list(
        activities.select_related("organisation__comune__province").prefetch_related(
            "schedules", "cost_options"
        )[:SEARCH_EXPORT_LIMIT]
    )
    rows = [
        [
            _("Activity"),
            _("Organisation"),
            _("Comune"),
            _("ISTAT code"),
            _("Place"),
            _("Address"),
            _("Domains"),
            _("Needs"),
            _("Days"),
            _("Cost"),
            _("Phone"),
            _("E-mail"),
            _("Last verified on"),
        ]
    ]
    for activity in activities:
        place = activity.place
        comune = place.comune if place else activity.organisation.comune
        terms = {}
        for term in activity.terms.all():
            terms.setdefault(term.taxonomy.code, []).append(term.name)
        rows.append(
            [
                activity.name,
                activity.organisation.name,
                comune.name,
                str(comune.istat_code),
                place.name if place else "",
                " ".join(filter(None, [place.address, place.postcode])) if place else "",
                ", ".join(terms.get(Taxonomy.DOMAIN, [])),
                ", ".join(terms.get(Taxonomy.NEED, [])),
                _days(activity.schedules.all()),
                _cost(activity),
                activity.phone or activity.organisation.phone,
                activity.email or activity.organisation.email,
                activity.last_verified_on,
            ]
        )
    return rows
