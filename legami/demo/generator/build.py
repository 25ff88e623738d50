"""Build the rows: organisations, places, activities with schedules, costs and terms.

Everything is drawn from one random.Random(seed) in a fixed order over rows read in a fixed
order (comuni by ISTAT code, terms by taxonomy and code), so the same seed on the same
comuni gives the same names, coordinates, terms, schedules and HSDS ids on any database.
Dates are fixed relative to ANCHOR; only `next_session_at` depends on when the generator
runs (it is computed from `now`, so that sorting by next session and the "refresh next
sessions" job see realistic values).
"""

import itertools
import random
import time as clock
import uuid
from bisect import bisect
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from legami.directory import services as directory
from legami.directory import text
from legami.directory.models import (
    Activity,
    ActivityStatus,
    CostOption,
    Place,
    Schedule,
    ScheduleException,
    Taxonomy,
    TaxonomyTerm,
)
from legami.network.models import Organisation
from legami.territory.models import Comune

from . import geo, words

# Dates of validity and verification are relative to this day (a Monday, the start of the
# 2026-27 social year), never to today, so that data do not depend on when they are made.
ANCHOR = date(2026, 9, 7)
# Every generated row carries this in `extra`; --replace deletes by it.
MARK = "generated"
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    name: str
    area: str  # "province" or "region"
    code: str  # ISTAT code of the province (as Legami stores it) or region
    organisations: int
    places: int
    activities: int


SCALES = {
    # For tests: a handful of rows over whatever comuni of the province exist.
    "tiny": Scale("tiny", "province", "019", 12, 20, 60),
    # Provincia di Cremona, 113 comuni.
    "province": Scale("province", "province", "019", 3_000, 5_000, 15_000),
    # Lombardia, about 1,500 comuni: ten times the province.
    "region": Scale("region", "region", "03", 30_000, 50_000, 150_000),
}


@dataclass
class Report:
    scale: str
    seed: int
    comuni: int = 0
    organisations: int = 0
    places: int = 0
    activities: int = 0
    schedules: int = 0
    cost_options: int = 0
    term_links: int = 0
    statuses: dict = field(default_factory=dict)
    seconds: float = 0.0
    next_sessions_from: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def comuni_for(scale: Scale) -> QuerySet:
    if scale.area == "region":
        return Comune.objects.filter(province__region__code=scale.code)
    return Comune.objects.filter(province__code=scale.code)


def generated_counts() -> dict[str, int]:
    flag = {f"extra__{MARK}": True}
    return {
        "organisations": Organisation.objects.filter(**flag).count(),
        "places": Place.objects.filter(**flag).count(),
        "activities": Activity.objects.filter(**flag).count(),
    }


def generated_exists() -> bool:
    flag = {f"extra__{MARK}": True}
    return (
        Organisation.objects.filter(**flag).exists()
        or Place.objects.filter(**flag).exists()
        or Activity.objects.filter(**flag).exists()
    )


@transaction.atomic
def delete_generated() -> dict[str, int]:
    """Remove every generated row, children first (what the generator made and nothing else:
    rows are found by the mark in `extra`)."""
    flag = {f"extra__{MARK}": True}
    activities = Activity.objects.filter(**flag)
    counts = generated_counts()
    ScheduleException.objects.filter(schedule__activity__in=activities).delete()
    Schedule.objects.filter(activity__in=activities).delete()
    CostOption.objects.filter(activity__in=activities).delete()
    Activity.terms.through.objects.filter(activity__in=activities).delete()
    activities.delete()
    Place.objects.filter(**flag).delete()
    Organisation.objects.filter(**flag).delete()
    return counts


# --- drawing helpers -------------------------------------------------------------------------
class Weighted:
    """rng.choices without rebuilding the cumulative weights at every draw."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng):
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _uuid(rng) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _fill(pattern: str, rng, **known) -> str:
    values = {
        "nick": rng.choice(words.NICKNAMES),
        "surname": rng.choice(words.SURNAMES),
        "saint": rng.choice(words.SAINTS),
        "quarter": rng.choice(words.QUARTERS),
        "street": rng.choice(words.STREETS),
    }
    values.update(known)
    return pattern.format(**values)


def _unique(name: str, used: dict[str, int]) -> str:
    count = used.get(name, 0) + 1
    used[name] = count
    return name if count == 1 else f"{name} ({count})"


COMUNE_WEIGHTS = (1, 1, 1, 1, 2, 2, 3, 4, 6, 10)
STATUSES = Weighted(
    [
        ActivityStatus.PUBLISHED,
        ActivityStatus.DRAFT,
        ActivityStatus.SUSPENDED,
        ActivityStatus.ARCHIVED,
    ],
    [85, 6, 4, 5],
)
WEEKDAYS = Weighted(["MO", "TU", "WE", "TH", "FR", "SA", "SU"], [10, 10, 10, 10, 10, 6, 3])
START_TIMES = Weighted(
    [
        time(9),
        time(9, 30),
        time(10),
        time(10, 30),
        time(11),
        time(14, 30),
        time(15),
        time(15, 30),
        time(16),
        time(16, 30),
        time(17),
        time(18),
        time(18, 30),
        time(20),
        time(20, 30),
        time(21),
    ],
    [8, 6, 10, 6, 6, 6, 8, 6, 8, 6, 6, 5, 5, 6, 5, 3],
)
AGES_BY_TARGET = {
    "bambini": (6, 10),
    "ragazzi": (11, 17),
    "adulti": (18, None),
    "anziani": (65, None),
}


def _schedule_rule(rng) -> dict:
    monthly = rng.random() < 0.25
    data = {"freq": "MONTHLY" if monthly else "WEEKLY", "interval": 1, "bymonthday": ""}
    if monthly:
        if rng.random() < 0.7:
            data["byday"] = f"{rng.choice((1, 2, 3, 4, -1))}{WEEKDAYS.draw(rng)}"
        else:
            data["byday"] = ""
            data["bymonthday"] = str(rng.randint(1, 28))
    else:
        days = {WEEKDAYS.draw(rng)}
        if rng.random() < 0.3:
            days.add(WEEKDAYS.draw(rng))
        data["byday"] = ",".join(d for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU") if d in days)
        data["interval"] = 2 if rng.random() < 0.12 else 1
    opens = START_TIMES.draw(rng)
    minutes = rng.choice((60, 90, 90, 120, 120, 150))
    closes = (datetime.combine(ANCHOR, opens) + timedelta(minutes=minutes)).time()
    data["opens_at"], data["closes_at"] = opens, min(closes, time(23, 30))
    data["valid_from"] = ANCHOR - timedelta(weeks=rng.randint(0, 40))
    data["valid_to"] = ANCHOR + timedelta(days=rng.randint(90, 500)) if rng.random() < 0.2 else None
    data["description"] = "Escluso agosto." if rng.random() < 0.1 else ""
    return data


class NextSessions:
    """services.next_session, remembered per rule: many activities share a rule."""

    def __init__(self, now: datetime):
        self.now = now
        self.memo = {}

    def first(self, schedules: list[Schedule]):
        starts = []
        for schedule in schedules:
            key = (
                schedule.freq,
                schedule.interval,
                schedule.byday,
                schedule.bymonthday,
                schedule.opens_at,
                schedule.valid_from,
                schedule.valid_to,
            )
            if key not in self.memo:
                self.memo[key] = directory.next_session([schedule], {}, self.now)
            if self.memo[key] is not None:
                starts.append(self.memo[key])
        return min(starts) if starts else None


# --- the generator -----------------------------------------------------------------------------
def generate(*, scale: Scale, seed: int, now: datetime | None = None, batch: int = BATCH) -> Report:
    """Create the rows of `scale` over the comuni of its area (they must be loaded). Does not
    check for earlier generated data: the command does."""
    started = clock.perf_counter()
    now = now or timezone.now()
    rng = random.Random(seed)
    report = Report(scale=scale.name, seed=seed, next_sessions_from=now.isoformat())
    comuni = list(comuni_for(scale).select_related("province").order_by("istat_code"))
    if not comuni:
        raise ValueError(f"No comuni loaded for {scale.area} {scale.code}: run load_comuni.")
    report.comuni = len(comuni)
    positions = geo.comune_positions(comuni)
    comune_weights = [30 if c.is_capital else rng.choice(COMUNE_WEIGHTS) for c in comuni]
    pick_comune = Weighted(comuni, comune_weights)
    terms = _terms()
    mark = {MARK: True, "seed": seed, "scale": scale.name}
    with transaction.atomic():
        organisations = _organisations(rng, scale, pick_comune, mark, batch)
        places = _places(rng, scale, organisations, pick_comune, positions, mark, batch)
        _activities(rng, scale, organisations, places, terms, mark, now, batch, report)
    report.organisations = len(organisations)
    report.places = len(places)
    report.seconds = round(clock.perf_counter() - started, 2)
    return report


def _terms() -> dict[str, list[TaxonomyTerm]]:
    terms = {Taxonomy.DOMAIN: [], Taxonomy.NEED: [], Taxonomy.TARGET_GROUP: []}
    for term in TaxonomyTerm.objects.filter(taxonomy__code__in=terms).select_related("taxonomy"):
        terms[term.taxonomy.code].append(term)
    for items in terms.values():
        items.sort(key=lambda t: t.code)
    missing = [code for code, items in terms.items() if not items]
    if missing:
        raise ValueError(f"Vocabularies {missing} are empty: run migrate (directory 0003).")
    return terms


def _organisations(rng, scale, pick_comune, mark, batch) -> list[Organisation]:
    sectors = Weighted([s for s, _w in words.SECTORS], [w for _s, w in words.SECTORS])
    used: dict[str, int] = {}
    rows = []
    for number in range(1, scale.organisations + 1):
        comune = pick_comune.draw(rng)
        sector = sectors.draw(rng)
        pattern = rng.choice(words.ORGANISATION_PATTERNS[sector])
        name = _unique(_fill(pattern, rng, comune=comune.name), used)
        rows.append(
            Organisation(
                name=name,
                sector=sector,
                comune=comune,
                address=f"{rng.choice(words.STREETS)} {rng.randint(1, 120)}",
                email=f"org{number}@generato.legami.example",
                phone=f"0372 {rng.randint(100000, 999999)}",
                description="Organizzazione di fantasia, generata per le prove di carico.",
                extra=dict(mark),
            )
        )
    return Organisation.objects.bulk_create(rows, batch_size=batch)


def _places(rng, scale, organisations, pick_comune, positions, mark, batch) -> list[Place]:
    owners = list(organisations[: scale.places])
    owners += [rng.choice(organisations) for _ in range(scale.places - len(owners))]
    used: dict[str, int] = {}
    rows = []
    for organisation in owners:
        comune = organisation.comune if rng.random() < 0.8 else pick_comune.draw(rng)
        name = _fill(
            rng.choice(words.PLACE_PATTERNS), rng, org=organisation.name, comune=comune.name
        )
        latitude, longitude = geo.scatter(rng, positions[comune.pk])
        rows.append(
            Place(
                hsds_id=_uuid(rng),
                organisation=organisation,
                name=_unique(name, used)[:200],
                description="Luogo di fantasia, generato per le prove di carico.",
                address=f"{rng.choice(words.STREETS)} {rng.randint(1, 120)}",
                comune=comune,
                latitude=latitude,
                longitude=longitude,
                wheelchair_access=rng.random() < 0.65,
                hearing_access=rng.random() < 0.15,
                sight_access=rng.random() < 0.10,
                accessibility_notes=rng.choice(words.ACCESSIBILITY_NOTES),
                transport_notes=rng.choice(words.TRANSPORT_NOTES),
                extra=dict(mark),
            )
        )
    return Place.objects.bulk_create(rows, batch_size=batch)


def _activities(rng, scale, organisations, places, terms, mark, now, batch, report):
    languages = Weighted([c for c, _w in words.LANGUAGES], [w for _c, w in words.LANGUAGES])
    next_sessions = NextSessions(now)
    statuses: dict[str, int] = {}
    pending = []  # (activity, schedules, cost options, terms)
    for _number in range(scale.activities):
        pending.append(_activity(rng, organisations, places, terms, languages, mark))
        activity = pending[-1][0]
        statuses[str(activity.status)] = statuses.get(str(activity.status), 0) + 1
        if len(pending) == batch:
            _save(pending, next_sessions, batch, report)
            pending = []
    if pending:
        _save(pending, next_sessions, batch, report)
    report.statuses = statuses


def _activity(rng, organisations, places, terms, languages, mark):
    place = rng.choice(places) if rng.random() < 0.95 else None
    organisation = place.organisation if place else rng.choice(organisations)
    comune = place.comune if place else organisation.comune
    domain = rng.choice(terms[Taxonomy.DOMAIN])
    needs = rng.sample(terms[Taxonomy.NEED], rng.choices((0, 1, 2), (30, 50, 20))[0])
    target = rng.choice(terms[Taxonomy.TARGET_GROUP]) if rng.random() < 0.6 else None
    chosen = [domain, *needs, *([target] if target else [])]
    name = rng.choice(words.ACTIVITY_NAMES.get(domain.code, ["Attività di comunità"]))
    qualifier = rng.random()
    if qualifier < 0.35:
        name = f"{name} a {comune.name}"
    elif qualifier < 0.55 and target is not None:
        name = f"{name} per {target.name.lower()}"
    sentences = [
        words.THEMES.get(domain.code, "attività di comunità").capitalize() + ".",
        *(words.NEED_SENTENCES.get(n.code, "") for n in needs),
        rng.choice(words.PRACTICAL),
        "Attività di fantasia, generata per le prove di carico.",
    ]
    min_age, max_age = AGES_BY_TARGET.get(target.code if target else "", (None, None))
    if min_age is None and rng.random() < 0.2:
        min_age = rng.choice((14, 16, 18))
    status = STATUSES.draw(rng)
    accepts = rng.random() < 0.75
    activity = Activity(
        hsds_id=_uuid(rng),
        organisation=organisation,
        place=place,
        name=name[:200],
        alternate_name="",
        description=" ".join(s for s in sentences if s),
        status=status,
        min_age=min_age,
        max_age=max_age,
        languages=languages.draw(rng),
        capacity=rng.randint(8, 40) if rng.random() < 0.5 else None,
        accepts_referrals=accepts,
        referral_slots=rng.randint(1, 5) if accepts and rng.random() < 0.4 else None,
        how_to_join=rng.choice(words.HOW_TO_JOIN),
        contact_name=f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES)}",
        email=f"attivita{rng.randint(1, 10**6)}@generato.legami.example",
        phone=f"0372 {rng.randint(100000, 999999)}",
        last_verified_on=ANCHOR - timedelta(days=rng.randint(0, 330)),
        moderation_note=(
            rng.choice(words.SUSPENSION_NOTES) if status == ActivityStatus.SUSPENDED else ""
        ),
        extra=dict(mark),
    )
    schedules = [
        Schedule(hsds_id=_uuid(rng), extra=dict(mark), **_schedule_rule(rng))
        for _ in range(1 if rng.random() < 0.7 else 2)
    ]
    costs = []
    if rng.random() < 0.3:
        for label, low, high in rng.sample(words.COST_OPTIONS, rng.randint(1, 2)):
            costs.append(
                CostOption(hsds_id=_uuid(rng), label=label, amount=Decimal(rng.randint(low, high)))
            )
        if rng.random() < 0.15:
            costs.append(
                CostOption(hsds_id=_uuid(rng), label="Gratuito per i residenti", amount=Decimal(0))
            )
    if any(c.amount > 0 for c in costs):
        activity.cost_description = "Riduzioni per chi presenta l'ISEE."
    # The derived fields the services keep (services.reindex), computed here without queries.
    term_names = [n for t in chosen for n in (t.name, t.name_en, t.name_fr)]
    document = directory.search_document(
        activity,
        organisation_name=organisation.name,
        place_name=place.name if place else "",
        comune_name=place.comune.name if place else "",
        term_names=term_names,
    )
    activity.search_text = text.fold(document)
    activity.search_stems = text.stems(document)
    activity.is_free = not any(c.amount > 0 for c in costs)
    return activity, schedules, costs, chosen


def _save(pending, next_sessions: NextSessions, batch: int, report: Report) -> None:
    for activity, schedules, _costs, _terms in pending:
        activity.next_session_at = next_sessions.first(schedules)
    activities = Activity.objects.bulk_create([p[0] for p in pending], batch_size=batch)
    schedules, costs, links = [], [], []
    through = Activity.terms.through
    for activity, (_a, rules, options, chosen) in zip(activities, pending, strict=True):
        for schedule in rules:
            schedule.activity = activity
            schedules.append(schedule)
        for option in options:
            option.activity = activity
            costs.append(option)
        links += [through(activity_id=activity.pk, taxonomyterm_id=t.pk) for t in chosen]
    Schedule.objects.bulk_create(schedules, batch_size=batch)
    CostOption.objects.bulk_create(costs, batch_size=batch)
    through.objects.bulk_create(links, batch_size=batch)
    report.activities += len(activities)
    report.schedules += len(schedules)
    report.cost_options += len(costs)
    report.term_links += len(links)
