"""Builders for directory tests: real services, so every fixture obeys the same rules."""

from datetime import date, time

from legami.directory import services
from legami.directory.models import TaxonomyTerm


def terms(*codes):
    return list(TaxonomyTerm.objects.filter(code__in=codes))


def place(by, organisation, comune, name="Sala civica", **fields):
    return services.place_create(
        by=by, organisation=organisation, name=name, comune=comune, **fields
    )


def activity(
    by,
    organisation,
    *,
    place=None,
    name="Attività",
    term_codes=(),
    publish=True,
    schedule=("WEEKLY", "TU", time(10), time(12)),
    cost=None,
    **fields,
):
    fields.setdefault("description", f"{name}: descrizione.")
    created = services.activity_create(
        by=by,
        organisation=organisation,
        place=place,
        name=name,
        terms=terms(*term_codes),
        **fields,
    )
    if schedule:
        freq, byday, opens, closes = schedule
        services.schedule_add(
            by=by,
            activity=created,
            freq=freq,
            byday=byday,
            opens_at=opens,
            closes_at=closes,
            valid_from=date(2025, 9, 1),
        )
    if cost is not None:
        services.cost_option_add(by=by, activity=created, label="Quota", amount=cost)
    if publish:
        services.activity_set_status(by=by, activity=created, status="published")
    created.refresh_from_db()
    return created
