"""Made-up social prescribing at scale: people, referrals with their timelines, consents,
enrolments and attendance, on top of the generated directory.

For speed, rows are written with bulk_create, as build.py does for the directory: the rules
the services enforce are followed by construction (every referral walks the lifecycle's
transitions, at most one open referral per person, places held never exceed an activity's
referral capacity, contact details only with consent to be contacted). Encrypted fields go
through the model field, so bulk_create encrypts them; the duplicate-detection hash is the
services' own.

Everything is drawn from one random.Random in a fixed order over rows read in a fixed order,
so the same seed on the same directory gives the same people, statuses and timelines. Times
are offsets back from the day the generator runs (a referral "received 3 days ago" must be
recent whenever the benchmark runs), so absolute timestamps move with that day.

Marks: generated people have an e-mail at @generato.legami.example (and is_demo=True); staff
accounts, persons and districts made here are found by the same domain or the district note,
and are kept on --replace (the append-only audit log may name them), only their memberships
and caseloads are rebuilt.
"""

import random
import time as clock
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.utils import timezone

from legami.accounts.models import User
from legami.core.roles import LINK_WORKER, PRESCRIBER, PROVIDER
from legami.directory.models import Activity, ActivityStatus, Taxonomy, TaxonomyTerm
from legami.network.models import Membership, Organisation, Person
from legami.referrals.models import (
    Attendance,
    AttendanceStatus,
    Beneficiary,
    Consent,
    Enrolment,
    EnrolmentStatus,
    Referral,
    ReferralEvent,
    Source,
    Status,
    Urgency,
)
from legami.referrals.services.people import identity_hash
from legami.referrals.workdays import add_working_days
from legami.territory.models import District, Jurisdiction

from . import words
from .build import BATCH, COMUNE_WEIGHTS, MARK, Scale, Weighted, comuni_for

DOMAIN = "@generato.legami.example"
DISTRICT_NOTE = "Ambito di fantasia, generato per le prove di carico."
BENCH_LINK_WORKER = f"facilitatore.bench{DOMAIN}"
BENCH_PROVIDER = f"ente.bench{DOMAIN}"
BENCH_PRESCRIBER = f"medico.bench{DOMAIN}"
CONSENT_VERSION = "2026-11"


@dataclass(frozen=True)
class ReferralScale:
    people: int
    referrals: int
    caseload: int  # referrals held by the bench link worker
    districts: int
    workers_per_district: int
    prescribers: int
    provider_share: float  # of the bench district's enrolments, sent to the bench provider


REFERRAL_SCALES = {
    "tiny": ReferralScale(50, 80, 20, 2, 1, 3, 0.3),
    "province": ReferralScale(20_000, 30_000, 500, 3, 2, 20, 0.05),
    "region": ReferralScale(200_000, 300_000, 500, 30, 2, 200, 0.005),
}

# How often a referral has reached each status, and how many days ago it was received.
STATUSES = Weighted(
    [
        Status.RECEIVED,
        Status.CONTACTED,
        Status.ASSESSED,
        Status.PLAN_AGREED,
        Status.ENGAGED,
        Status.COMPLETED,
        Status.DECLINED,
        Status.UNREACHABLE,
        Status.CLOSED,
    ],
    [7, 6, 7, 9, 16, 27, 9, 8, 11],
)
AGE_DAYS = {
    Status.RECEIVED: (0, 12),
    Status.CONTACTED: (2, 40),
    Status.ASSESSED: (5, 70),
    Status.PLAN_AGREED: (10, 100),
    Status.ENGAGED: (20, 240),
}
ENDED_AGE_DAYS = (30, 730)
# The steps each final status was reached through (the lifecycle's own transitions).
PATHS = {
    Status.RECEIVED: [],
    Status.CONTACTED: [Status.CONTACTED],
    Status.ASSESSED: [Status.CONTACTED, Status.ASSESSED],
    Status.PLAN_AGREED: [Status.CONTACTED, Status.ASSESSED, Status.PLAN_AGREED],
    Status.ENGAGED: [Status.CONTACTED, Status.ASSESSED, Status.PLAN_AGREED, Status.ENGAGED],
    Status.COMPLETED: [
        Status.CONTACTED,
        Status.ASSESSED,
        Status.PLAN_AGREED,
        Status.ENGAGED,
        Status.COMPLETED,
    ],
    Status.DECLINED: [Status.CONTACTED, Status.DECLINED],
    Status.UNREACHABLE: [Status.UNREACHABLE],
    Status.CLOSED: [Status.CONTACTED, Status.ASSESSED, Status.CLOSED],
}
OPEN = {Status.RECEIVED, Status.CONTACTED, Status.ASSESSED, Status.PLAN_AGREED, Status.ENGAGED}
CLOSING_REASONS = {
    Status.DECLINED: ["Preferisce non partecipare per ora.", "Non interessata alle proposte."],
    Status.UNREACHABLE: ["Tre tentativi di contatto senza risposta."],
    Status.CLOSED: ["Trasferimento fuori ambito.", "Presa in carico da un altro servizio."],
}
REASONS = [
    "Vive da solo e esce poco.",
    "Umore basso da qualche mese.",
    "Patologia cronica, sedentarietà.",
    "Carico di cura per un familiare.",
    "Da poco in paese, non conosce nessuno.",
    "Lutto recente.",
]
URGENCIES = Weighted([Urgency.ROUTINE, Urgency.SOON, Urgency.URGENT], [80, 15, 5])
LANGUAGES = Weighted(["it", "it, en", "it, fr", "it, ar", "it, ro"], [85, 6, 3, 3, 3])


@dataclass
class ReferralReport:
    districts: int = 0
    link_workers: int = 0
    prescribers: int = 0
    people: int = 0
    referrals: int = 0
    events: int = 0
    consents: int = 0
    enrolments: int = 0
    attendance: int = 0
    caseload: int = 0
    statuses: dict = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _generated_people():
    return Beneficiary.objects.filter(email__endswith=DOMAIN)


def referrals_exist() -> bool:
    return _generated_people().exists()


def referral_counts() -> dict[str, int]:
    return {
        "people": _generated_people().count(),
        "referrals": Referral.objects.filter(beneficiary__in=_generated_people()).count(),
    }


@transaction.atomic
def delete_generated_referrals() -> dict[str, int]:
    """Remove generated people and everything about them (referrals first: they protect the
    people, the activities and the organisations)."""
    counts = referral_counts()
    referrals = Referral.objects.filter(beneficiary__in=_generated_people())
    Attendance.objects.filter(enrolment__referral__in=referrals).delete()
    Enrolment.objects.filter(referral__in=referrals).delete()
    ReferralEvent.objects.filter(referral__in=referrals).delete()
    Referral.reasons.through.objects.filter(referral__in=referrals).delete()
    referrals.delete()
    Consent.objects.filter(beneficiary__in=_generated_people()).delete()
    _generated_people().delete()
    return counts


@contextmanager
def _keep_given_times(*fields):
    """Let bulk_create write the times the generator chose instead of now."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _field(model, name):
    return model._meta.get_field(name)


def _uuid(rng) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


# --- the staff and their territories ---------------------------------------------------------
def _user(email: str, role: str, first: str, last: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, role=role, first_name=first, last_name=last, is_demo=True)
        user.set_unusable_password()
        user.save()
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def _member(user: User, organisation: Organisation, title: str) -> None:
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            user=user,
            is_demo=True,
        )
    Membership.objects.filter(person=person).exclude(organisation=organisation).delete()
    Membership.objects.get_or_create(person=person, organisation=organisation, role_title=title)


def _districts(comuni, count: int) -> list[District]:
    """Contiguous runs of ISTAT codes, as many as asked (fewer when comuni are fewer)."""
    count = max(1, min(count, len(comuni)))
    size = -(-len(comuni) // count)
    districts = []
    for number in range(count):
        chunk = comuni[number * size : (number + 1) * size]
        if not chunk:
            break
        district, _created = District.objects.get_or_create(
            name=f"Ambito {number + 1} di {chunk[0].province.name} (generato)",
            defaults={"kind": "social", "description": DISTRICT_NOTE},
        )
        district.comuni.set(chunk)
        districts.append(district)
    return districts


# --- the generator ---------------------------------------------------------------------------
def generate_referrals(
    *, scale: Scale, seed: int, now: datetime | None = None, batch: int = BATCH
) -> ReferralReport:
    """People and referrals of `scale` over the generated directory (which must exist)."""
    started = clock.perf_counter()
    sizes = REFERRAL_SCALES[scale.name]
    now = now or timezone.now()
    rng = random.Random(f"referrals:{seed}")
    report = ReferralReport()
    comuni = list(comuni_for(scale).select_related("province").order_by("istat_code"))
    if not comuni:
        raise ValueError(f"No comuni loaded for {scale.area} {scale.code}: run load_comuni.")
    weights = [30 if c.is_capital else rng.choice(COMUNE_WEIGHTS) for c in comuni]
    pick_comune = Weighted(comuni, weights)
    needs = list(TaxonomyTerm.objects.filter(taxonomy__code=Taxonomy.NEED).order_by("code"))
    activities = list(
        Activity.objects.filter(
            **{f"extra__{MARK}": True},
            status=ActivityStatus.PUBLISHED,
            accepts_referrals=True,
        )
        .order_by("hsds_id")
        .values(
            "pk",
            "organisation_id",
            "organisation__name",
            "place__comune_id",
            "organisation__comune_id",
            "referral_slots",
            "capacity",
        )
    )
    if not activities:
        raise ValueError("No generated activities take referrals: generate the directory first.")
    organisations = list(
        Organisation.objects.filter(
            **{f"extra__{MARK}": True},
            sector__in=["social_services", "public_administration", "third_sector"],
        ).order_by("name")
    )
    with transaction.atomic():
        staff = _staff(rng, sizes, comuni, activities, organisations, report)
        _people_and_referrals(rng, sizes, now, pick_comune, needs, activities, staff, batch, report)
    report.seconds = round(clock.perf_counter() - started, 2)
    return report


def _staff(rng, sizes, comuni, activities, organisations, report) -> dict:
    districts = _districts(comuni, sizes.districts)
    capital = next((c for c in comuni if c.is_capital), comuni[0])
    district_of = {}
    for district in districts:
        for comune in district.comuni.all():
            district_of[comune.pk] = district
    bench_district = district_of[capital.pk]
    workers = {}
    for number, district in enumerate(districts, start=1):
        workers[district.pk] = []
        for index in range(1, sizes.workers_per_district + 1):
            user = _user(
                f"facilitatore{number}.{index}{DOMAIN}",
                LINK_WORKER,
                rng.choice(words.FIRST_NAMES),
                f"{rng.choice(words.SURNAMES)} (generato)",
            )
            Jurisdiction.objects.get_or_create(user=user, district=district)
            workers[district.pk].append(user)
    bench = _user(BENCH_LINK_WORKER, LINK_WORKER, "Facilitatore", "Bench (generato)")
    Jurisdiction.objects.get_or_create(user=bench, district=bench_district)
    report.districts = len(districts)
    report.link_workers = sum(len(w) for w in workers.values()) + 1

    chosen = rng.sample(organisations, min(sizes.prescribers, len(organisations)))
    prescribers = []
    for number, organisation in enumerate(chosen):
        email = BENCH_PRESCRIBER if number == 0 else f"medico{number}{DOMAIN}"
        user = _user(
            email,
            PRESCRIBER,
            rng.choice(words.FIRST_NAMES),
            f"{rng.choice(words.SURNAMES)} (generato)",
        )
        _member(user, organisation, "Medico di medicina generale")
        prescribers.append((user, organisation))
    report.prescribers = len(prescribers)

    # The bench provider keeps the organisation with most activities taking referrals in the
    # bench district (ties: by name), so its inbox is a busy one.
    bench_comuni = {c.pk for c in bench_district.comuni.all()}
    tally: dict[tuple[str, int], int] = {}
    for a in activities:
        if (a["place__comune_id"] or a["organisation__comune_id"]) in bench_comuni:
            key = (a["organisation__name"], a["organisation_id"])
            tally[key] = tally.get(key, 0) + 1
    busiest = min(tally, key=lambda k: (-tally[k], k[0])) if tally else None
    provider_org = busiest[1] if busiest else activities[0]["organisation_id"]
    provider = _user(BENCH_PROVIDER, PROVIDER, "Ente", "Bench (generato)")
    _member(provider, Organisation.objects.get(pk=provider_org), "Referente attività")
    return {
        "district_of": district_of,
        "bench_district": bench_district,
        "workers": workers,
        "bench": bench,
        "prescribers": prescribers,
        "provider_org": provider_org,
    }


def _at(day_offset: float, now: datetime) -> datetime:
    return now - timedelta(days=day_offset)


def _people_and_referrals(rng, sizes, now, pick_comune, needs, activities, staff, batch, report):
    today = timezone.localdate(now)
    # Midnight of the run's day: offsets from it give the same times for the same seed on a day.
    base = timezone.make_aware(datetime.combine(today, time(23, 0)))
    owners = list(range(sizes.people)) + [
        rng.randrange(sizes.people) for _ in range(sizes.referrals - sizes.people)
    ]
    by_comune: dict[int, list[int]] = {}
    for index, a in enumerate(activities):
        by_comune.setdefault(a["place__comune_id"] or a["organisation__comune_id"], []).append(
            index
        )
    provider_activities = [
        i for i, a in enumerate(activities) if a["organisation_id"] == staff["provider_org"]
    ]
    held = {}  # activity index -> places held
    has_open = set()

    people = []
    for number in range(sizes.people):
        comune = pick_comune.draw(rng)
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.SURNAMES)
        born = datetime(1930, 1, 1).date() + timedelta(days=rng.randint(0, 27_000))
        people.append(
            Beneficiary(
                pseudonym=_uuid(rng),
                first_name=first,
                last_name=last,
                birth_date=born,
                identity_hash=identity_hash(first, last, born),
                comune=comune,
                phone=f"0372 {rng.randint(100000, 999999)}",
                email=f"persona{number + 1}{DOMAIN}",
                preferred_contact="email" if rng.random() < 0.2 else "phone",
                languages=LANGUAGES.draw(rng),
                needs_step_free=rng.random() < 0.1,
                access_needs="Usa un deambulatore." if rng.random() < 0.05 else "",
                is_demo=True,
            )
        )

    plans = []  # (person index, status, received offset in days)
    for person in owners:
        status = STATUSES.draw(rng)
        if status in OPEN and person in has_open:
            status = rng.choice([Status.COMPLETED, Status.CLOSED, Status.DECLINED])
        if status in OPEN:
            has_open.add(person)
        low, high = AGE_DAYS.get(status, ENDED_AGE_DAYS)
        plans.append((person, status, rng.randint(low, high) + rng.random() * 0.4))
    first_seen = {}
    for person, _status, offset in plans:
        first_seen[person] = max(first_seen.get(person, 0), offset)
    for index, person in enumerate(people):
        person.created_at = person.updated_at = _at(first_seen.get(index, 0), base)

    times = (
        _field(Beneficiary, "created_at"),
        _field(Beneficiary, "updated_at"),
        _field(Referral, "received_at"),
        _field(Referral, "updated_at"),
        _field(ReferralEvent, "at"),
        _field(Consent, "given_at"),
        _field(Enrolment, "sent_at"),
        _field(Attendance, "recorded_at"),
    )
    with _keep_given_times(*times):
        people = Beneficiary.objects.bulk_create(people, batch_size=batch)
        report.people = len(people)
        consents = []
        for person in people:
            given = person.created_at
            purposes = ["care"]
            purposes += ["contact"] if rng.random() < 0.9 else []
            purposes += ["outcomes"] if rng.random() < 0.9 else []
            purposes += ["research"] if rng.random() < 0.4 else []
            for purpose in purposes:
                consents.append(
                    Consent(
                        beneficiary_id=person.pk,
                        purpose=purpose,
                        text_version=CONSENT_VERSION,
                        given_at=given,
                        recorded_by_label="",
                    )
                )
            if "contact" in purposes and rng.random() < 0.02:
                consents[-len(purposes) + 1].withdrawn_at = given + timedelta(days=5)
        Consent.objects.bulk_create(consents, batch_size=batch)
        report.consents = len(consents)

        caseload = 0
        pending = []  # (referral, reasons, events, enrolments with attendance)
        for person_index, status, offset in plans:
            person = people[person_index]
            district = staff["district_of"][person.comune_id]
            worker = None
            if status != Status.RECEIVED or rng.random() < 0.5:
                worker = rng.choice(staff["workers"][district.pk])
                if district == staff["bench_district"] and caseload < sizes.caseload:
                    worker = staff["bench"]
                    caseload += 1
            item = _referral(rng, person, status, offset, base, now, needs, staff, worker)
            referral = item[0]
            item[3].extend(
                _enrolments(
                    rng,
                    referral,
                    item[2],
                    activities,
                    by_comune,
                    provider_activities,
                    held,
                    sizes,
                    staff,
                    district,
                    base,
                    today,
                )
            )
            report.statuses[str(status)] = report.statuses.get(str(status), 0) + 1
            pending.append(item)
            if len(pending) == batch:
                _save(pending, batch, report)
                pending = []
        if pending:
            _save(pending, batch, report)
        report.caseload = caseload


def _referral(rng, person, status, offset, base, now, needs, staff, worker):
    received = _at(offset, base)
    self_referral = rng.random() < 0.08
    prescriber, organisation = (None, None) if self_referral else rng.choice(staff["prescribers"])
    path = PATHS[status]
    ended = status not in OPEN
    end = received + timedelta(days=rng.uniform(14, max(15, min(offset, 240)))) if ended else now
    end = min(end, now)
    reason_terms = rng.sample(needs, rng.choice((1, 1, 2, 3)))
    risky = rng.random() < 0.04
    referral = Referral(
        beneficiary_id=person.pk,
        source=Source.SELF if self_referral else Source.PROFESSIONAL,
        referrer=prescriber,
        referring_organisation=organisation,
        comune_id=person.comune_id,
        reason_text=rng.choice(REASONS),
        urgency=URGENCIES.draw(rng),
        risks="Rischio segnalato dal medico (dato di fantasia)." if risky else "",
        has_safeguarding_flag=risky,
        status=status,
        link_worker=worker,
        received_at=received,
        updated_at=end,
        first_contact_due=add_working_days(timezone.localtime(received).date(), 5),
        closed_at=end if ended else None,
        closure_reason=rng.choice(CLOSING_REASONS.get(status, [""])),
    )
    events = [
        ReferralEvent(
            at=received,
            by=prescriber,
            by_label=prescriber.email if prescriber else "",
            to_status=Status.RECEIVED,
        )
    ]
    if worker is not None:
        step = received + timedelta(hours=rng.uniform(2, 48))
        events.append(
            ReferralEvent(
                at=min(step, end),
                by=worker,
                by_label=worker.email,
                from_status=Status.RECEIVED,
                to_status=Status.RECEIVED,
                note=f"assegnato a {worker.email}",
            )
        )
    span = (end - events[-1].at) / (len(path) + 1)
    previous = Status.RECEIVED
    for number, step in enumerate(path, start=1):
        at = events[-1].at + span * rng.uniform(0.5, 1.0) if number > 1 else events[-1].at + span
        events.append(
            ReferralEvent(
                at=min(at, end),
                by=worker,
                by_label=worker.email if worker else "",
                from_status=previous,
                to_status=step,
                note=referral.closure_reason if step in CLOSING_REASONS else "",
            )
        )
        if step == Status.CONTACTED:
            referral.first_contacted_at = events[-1].at
        previous = step
    if status in (Status.ASSESSED, Status.PLAN_AGREED, Status.ENGAGED, Status.COMPLETED):
        referral.what_matters = "Stare con altre persone. (Testo di fantasia.)"
    if status in (Status.PLAN_AGREED, Status.ENGAGED, Status.COMPLETED):
        referral.goals = "Un'attività di gruppo a settimana per tre mesi."
    return referral, reason_terms, events, []


def _pick_activity(
    rng, referral, activities, by_comune, provider_activities, held, sizes, staff, district
):
    for _attempt in range(4):
        if (
            provider_activities
            and district == staff["bench_district"]
            and (rng.random() < sizes.provider_share)
        ):
            index = rng.choice(provider_activities)
        else:
            nearby = by_comune.get(referral.comune_id)
            index = (
                rng.choice(nearby)
                if nearby and rng.random() < 0.7
                else rng.randrange(len(activities))
            )
        a = activities[index]
        capacity = a["referral_slots"] if a["referral_slots"] is not None else a["capacity"]
        if capacity is None or held.get(index, 0) < capacity:
            return index
    return None


def _enrolments(
    rng,
    referral,
    events,
    activities,
    by_comune,
    provider_activities,
    held,
    sizes,
    staff,
    district,
    base,
    today,
):
    status = referral.status
    draw = rng.random()
    if status == Status.ASSESSED:
        choice = EnrolmentStatus.PENDING if draw < 0.25 else None
    elif status == Status.PLAN_AGREED:
        choice = (
            EnrolmentStatus.PENDING
            if draw < 0.55
            else EnrolmentStatus.ACCEPTED
            if draw < 0.75
            else EnrolmentStatus.DECLINED
        )
    elif status == Status.ENGAGED:
        choice = EnrolmentStatus.ACCEPTED
    elif status == Status.COMPLETED:
        choice = EnrolmentStatus.COMPLETED
    elif status in (Status.DECLINED, Status.CLOSED) and len(events) > 3:
        choice = rng.choice([EnrolmentStatus.WITHDRAWN, EnrolmentStatus.DECLINED, None, None])
    else:
        choice = None
    if choice is None:
        return []
    index = _pick_activity(
        rng, referral, activities, by_comune, provider_activities, held, sizes, staff, district
    )
    if index is None:
        return []
    holding = choice in (EnrolmentStatus.PENDING, EnrolmentStatus.ACCEPTED)
    if holding:
        held[index] = held.get(index, 0) + 1
    assessed = next((e.at for e in events if e.to_status == Status.ASSESSED), events[-1].at)
    end = referral.closed_at or base
    sent = min(assessed + timedelta(days=rng.uniform(0.5, 5)), end)
    enrolment = Enrolment(
        activity_id=activities[index]["pk"],
        status=choice,
        sent_at=sent,
        sent_by=referral.link_worker,
    )
    if choice != EnrolmentStatus.PENDING:
        enrolment.responded_at = min(sent + timedelta(days=rng.uniform(0.2, 4)), end)
        enrolment.responded_by_label = "referente" + DOMAIN
    if choice == EnrolmentStatus.DECLINED:
        enrolment.decline_reason = "Gruppo al completo per questo periodo."
    lines = []
    if choice in (EnrolmentStatus.ACCEPTED, EnrolmentStatus.COMPLETED) and status != (
        Status.PLAN_AGREED
    ):
        day = timezone.localtime(enrolment.responded_at).date() + timedelta(days=rng.randint(1, 7))
        last = min(timezone.localtime(end).date(), today)
        first = True
        while day <= last and len(lines) < 12:
            present = True if first else rng.random() < 0.8
            lines.append(
                Attendance(
                    session_date=day,
                    status=AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
                    present=present,
                    recorded_by_label=enrolment.responded_by_label,
                    recorded_at=timezone.make_aware(datetime.combine(day, time(20))),
                )
            )
            first = False
            day += timedelta(days=7)
    return [(enrolment, lines)]


def _save(pending, batch: int, report: ReferralReport) -> None:
    referrals = Referral.objects.bulk_create([p[0] for p in pending], batch_size=batch)
    through = Referral.reasons.through
    links, events, enrolments, lines = [], [], [], []
    for referral, (_r, reasons, steps, sent) in zip(referrals, pending, strict=True):
        links += [through(referral_id=referral.pk, taxonomyterm_id=t.pk) for t in reasons]
        for event in steps:
            event.referral_id = referral.pk
            events.append(event)
        for enrolment, register in sent:
            enrolment.referral_id = referral.pk
            enrolments.append((enrolment, register))
    through.objects.bulk_create(links, batch_size=batch)
    ReferralEvent.objects.bulk_create(events, batch_size=batch)
    saved = Enrolment.objects.bulk_create([e for e, _lines in enrolments], batch_size=batch)
    for enrolment, (_e, register) in zip(saved, enrolments, strict=True):
        for line in register:
            line.enrolment_id = enrolment.pk
            lines.append(line)
    Attendance.objects.bulk_create(lines, batch_size=batch)
    report.referrals += len(referrals)
    report.events += len(events)
    report.enrolments += len(saved)
    report.attendance += len(lines)
