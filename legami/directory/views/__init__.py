"""Public pages of the directory: search (list and map), activity page, calendar file."""

from datetime import UTC, datetime, time

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event, vRecur

from legami.core import modules
from legami.core.geo import distance_km
from legami.core.permissions import permission_required
from legami.core.spreadsheets import table_download

from .. import queries, recurrence, services
from ..forms import ActivitySearchForm
from ..models import Activity, Taxonomy
from ..permissions import policy

PAGE_SIZE = 20
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts up to COUNT_CAP matches: beyond that a person refines the search rather than
    paging, and counting every match of a broad filter was most of the page's time."""

    @cached_property
    def count(self):
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


OWN = {Taxonomy.DOMAIN, Taxonomy.NEED, Taxonomy.TARGET_GROUP}


def _search_form(request):
    vocabulary = queries.cached_vocabulary()
    form = ActivitySearchForm(request.GET, vocabulary=vocabulary)
    form.is_valid()
    all_terms = [t for terms in vocabulary.values() for t in terms]
    return form, form.search(), all_terms


@require_GET
@permission_required(policy, "view")
def search(request):
    form, search, terms = _search_form(request)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return table_download(
            request,
            export,
            filename="attivita",
            title=_("Activities"),
            rows=lambda: queries.search_export_rows(queries.search_activities(search, terms)),
        )
    # The page shows none of these long columns; leaving them in the database keeps the rows
    # that the count and the sort visit small.
    activities = queries.search_activities(search, terms).defer(
        "search_text",
        "search_stems",
        "extra",
        "cost_description",
        "how_to_join",
        "moderation_note",
    )
    page = CappedPaginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    origin = search.origin
    for activity in page:
        place = activity.place
        activity.distance = distance_km(origin, place.latitude, place.longitude) if place else None
        activity.domain_terms = [
            t for t in activity.terms.all() if t.taxonomy.code == Taxonomy.DOMAIN
        ]
    searched = any(key not in ("view", "page") for key in request.GET)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "searched": searched,
            "comune_suggestion": form.comune_suggestion,
            "help_links": modules.activity_help_for(request.user),
            "page_obj": page,
            "origin": origin,
            "view": "map" if request.GET.get("view") == "map" else "list",
            "export_limit": queries.SEARCH_EXPORT_LIMIT,
        },
    )


@require_GET
@permission_required(policy, "view")
def map_points(request):
    _form, search, terms = _search_form(request)
    points = queries.map_points(search, terms)
    return JsonResponse({"points": points, "truncated": len(points) >= queries.MAP_POINTS_LIMIT})


@require_GET
@permission_required(policy, "view")
def comuni_options(request):
    """The <option>s of the comune field's suggestions, fetched by htmx when the field is
    first focused: the search page itself stays at its number of queries."""
    return render(
        request,
        "directory/_comuni_options.html",
        {"comuni": queries.comuni_with_activities()},
    )


def _activity(request, pk) -> Activity:
    try:
        return queries.activity_detail(request.user, pk)
    except Activity.DoesNotExist:
        raise Http404 from None


@require_GET
@permission_required(policy, "view")
def activity_detail(request, pk):
    activity = _activity(request, pk)
    now = timezone.now()
    sessions = []
    for schedule in activity.schedules.all():
        excluded = {e.date for e in schedule.exceptions.all()}
        sessions += recurrence.occurrences(schedule, after=now, limit=5, excluded=excluded)
    sessions.sort()
    terms = {}
    for term in activity.terms.all():
        terms.setdefault(term.taxonomy.code, []).append(term)
    can_manage = request.user.is_authenticated and policy.can(
        request.user, "manage_listings", activity
    )
    can_moderate = request.user.is_authenticated and policy.can(request.user, "moderate", activity)
    return render(
        request,
        "directory/activity_detail.html",
        {
            "activity": activity,
            "sessions": sessions[:5],
            "domains": terms.get(Taxonomy.DOMAIN, []),
            "needs": terms.get(Taxonomy.NEED, []),
            "targets": terms.get(Taxonomy.TARGET_GROUP, []),
            "other_terms": [
                t
                for code, ts in terms.items()
                if code not in Taxonomy.__dict__.values()
                for t in ts
            ],
            "can_manage": can_manage,
            "can_moderate": can_moderate,
            "stale": services.needs_reverification(activity),
            # Places left and "ask for help" belong to referrals, above this module in the
            # module list: they come through the manifests (core.modules), not an import.
            "places_left": modules.places_left(activity),
            "help_links": modules.activity_help_for(request.user, activity),
        },
    )


@require_GET
@permission_required(policy, "view")
def activity_calendar(request, pk):
    """The activity's sessions as iCalendar: one recurring event per schedule, in Rome time,
    with cancelled dates as exceptions, so a phone calendar shows them all."""
    activity = _activity(request, pk)
    calendar = Calendar()
    calendar.add("prodid", "-//Legami//Directory//IT")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", activity.name)
    location = ""
    if activity.place:
        place = activity.place
        location = ", ".join(filter(None, [place.name, place.address, place.comune.name]))
    page = request.build_absolute_uri(reverse("directory:activity_detail", args=[activity.pk]))
    for schedule in activity.schedules.all():
        excluded = {e.date for e in schedule.exceptions.all()}
        first = next(
            recurrence.occurrences(
                schedule,
                after=timezone.make_aware(
                    datetime.combine(schedule.valid_from, time.min),
                    recurrence.ROME,
                ),
                limit=1,
            ),
            None,
        )
        if first is None:
            continue
        event = Event()
        event.add("uid", f"{schedule.hsds_id}@legami")
        event.add("summary", activity.name)
        event.add("dtstart", first[0])
        event.add("dtend", first[1])
        event.add("dtstamp", timezone.now())
        rule = {"freq": schedule.freq, "interval": schedule.interval}
        if schedule.byday:
            rule["byday"] = schedule.byday.split(",")
        if schedule.bymonthday:
            rule["bymonthday"] = [int(d) for d in schedule.bymonthday.split(",")]
        if schedule.valid_to:
            # RFC 5545: with a DTSTART in a time zone, UNTIL must be in UTC (a "Z" time).
            rule["until"] = timezone.make_aware(
                datetime.combine(schedule.valid_to, time(23, 59, 59)),
                recurrence.ROME,
            ).astimezone(UTC)
        event.add("rrule", vRecur(rule))
        for day in sorted(excluded):
            event.add(
                "exdate",
                timezone.make_aware(datetime.combine(day, schedule.opens_at), recurrence.ROME),
            )
        if location:
            event.add("location", location)
        event.add("description", activity.description)
        event.add("url", page)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attivita-{activity.pk}.ics"'
    return response
