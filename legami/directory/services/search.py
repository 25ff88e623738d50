"""The derived fields the search reads (words, stems, free of charge, next session), refreshed
after each write and moved forward daily."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .. import recurrence, text
from ..models import Activity, Schedule, ScheduleException


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
