"""The demo of impact measurement.

A past cohort of made-up people ("Esempio", marked demo) referred five months ago in the two
territories of the seeds, who took part in an activity and answered WHO-5 and UCLA-3 at baseline
and at three months: enough pairs for the impact dashboard to show figures (groups of fewer than
5 people stay hidden, as they would in real use). The demo people of today's caseload who gave
consent get a baseline, so their link worker sees scores and, later, follow-ups due.

Answers are drawn from a fixed seed: the demo is the same on every machine. Every response goes
through `outcomes.services.response_record`, as a real one would.
"""

import random
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from legami.accounts.models import User
from legami.core.emails import emails_not_sent
from legami.demo import seed_referrals
from legami.directory.models import Activity, ActivityStatus, TaxonomyTerm
from legami.network.models import Programme
from legami.outcomes import services
from legami.outcomes.models import Instrument, Response
from legami.referrals import services as referrals
from legami.referrals.models import ConsentPurpose, Referral
from legami.referrals.scopes import member_organisations
from legami.territory.models import Comune

SEED = 20260925  # the day "Coltivare legami" started
COHORT_SIZE = {seed_referrals.TUSCANY: 30, seed_referrals.CASALECCHIO: 14}
COMUNI = {
    seed_referrals.TUSCANY: ["053001", "050039", "053015"],
    seed_referrals.CASALECCHIO: ["037011", "037060", "037057", "037042"],
}
FIRST_NAMES = ["Anna", "Marco", "Lucia", "Piero", "Giulia", "Franco", "Elena", "Sandro"]
GENDERS = ["female", "male", "female", "male", "female", "male", "female", "male"]


def load() -> int:
    """Record the demo questionnaires unless they exist; returns how many were recorded."""
    if Response.objects.filter(beneficiary__is_demo=True).exists():
        return 0
    with (
        transaction.atomic(),
        emails_not_sent(),
    ):
        recorded = _cohort() + _todays_baselines()
        _sroi_example()
        return recorded


def _answers(rng, count, low, high, shift):
    return {n: min(high, max(low, rng.randint(low, high - 1) + shift)) for n in range(1, count + 1)}


def _cohort() -> int:
    rng = random.Random(SEED)
    users = {u.email: u for u in User.objects.filter(is_demo=True)}
    needs = list(TaxonomyTerm.objects.filter(taxonomy__code="need", code="solitudine"))
    who5 = Instrument.objects.get(code="who5")
    ucla3 = Instrument.objects.get(code="ucla3")
    today = timezone.localdate()
    recorded = 0
    for team_name, size in COHORT_SIZE.items():
        team = seed_referrals.TEAMS[team_name]
        worker, provider = users[team["link_worker"]], users[team["provider"]]
        programme = Programme.objects.filter(name=team["programme"]).first()
        comuni = list(Comune.objects.filter(istat_code__in=COMUNI[team_name]))
        activities = list(
            Activity.objects.filter(
                extra__demo=True,
                status=ActivityStatus.PUBLISHED,
                accepts_referrals=True,
                place__comune__districts__name=team_name,
            ).order_by("name")
        )
        for number in range(size):
            referral = referrals.referral_create(
                by=users[team["prescriber"]],
                person={
                    "first_name": FIRST_NAMES[number % len(FIRST_NAMES)],
                    "last_name": "Esempio",
                    "birth_date": date(1940 + rng.randint(0, 45), rng.randint(1, 12), 1),
                    "gender": GENDERS[number % len(GENDERS)],
                    "comune": comuni[number % len(comuni)],
                    "phone": "000 0000000",
                    "languages": "it",
                },
                consents=["care", "contact", "outcomes", "research"],
                reasons=needs,
                reason_text="Coorte dimostrativa: persona inventata.",
                is_demo=True,
                now=timezone.now() - timedelta(days=150),
            )
            # The programme may have ended since: the system attributes the referral.
            referrals.referral_programme_set(by=None, referral=referral, programme=programme)
            seed_referrals._walk(
                referral,
                {"status": "active", "activity": None},
                worker,
                provider,
                {},
            )
            enrolment = _enrol(worker, referral, activities, number)
            keeper = _keeper(enrolment.activity, provider)
            referrals.enrolment_respond(by=keeper, enrolment=enrolment, accept=True)
            referrals.attendance_record(
                by=keeper,
                enrolment=enrolment,
                session_date=today,
                present=True,
            )
            # Most people gain some well-being and lose some loneliness; not everyone.
            gain = rng.choice([-1, 0, 1, 1, 1, 2])
            for instrument, count, low, high, start, after in (
                (who5, 5, 0, 5, -1, gain),
                (ucla3, 3, 1, 3, 1, -1 if gain > 0 else 0),
            ):
                for timepoint, shift, days in (
                    ("baseline", start, 120),
                    ("follow_up_3m", start + after, 28),
                ):
                    services.response_record(
                        by=worker,
                        instrument=instrument,
                        beneficiary=referral.beneficiary,
                        referral=referral,
                        timepoint=timepoint,
                        administered_on=today - timedelta(days=days + rng.randint(0, 6)),
                        answers=_answers(rng, count, low, high, shift),
                    )
                    recorded += 1
            # The path ended: the place is free again for the next person.
            referral.refresh_from_db()
            referrals.referral_transition(by=worker, referral=referral, to="completed")
    return recorded


def _keeper(activity, provider):
    """Who answers for the activity: the team's provider when it is their organisation's, else
    the loader itself (by=None), as when a past register is entered from paper; a provider
    answers only for their own organisation's activities."""
    if member_organisations(provider).filter(pk=activity.organisation_id).exists():
        return provider
    return None


def _enrol(worker, referral, activities, number):
    """An enrolment in the first activity, from the person's turn on, with a place left."""
    for offset in range(len(activities)):
        activity = activities[(number + offset) % len(activities)]
        try:
            return referrals.enrolment_create(by=worker, referral=referral, activity=activity)
        except ValidationError:
            continue
    raise ValidationError("The demo activities have no places left for the cohort.")


def _todays_baselines() -> int:
    """A WHO-5 baseline for the demo people of today's caseload who are assessed and agreed."""
    rng = random.Random(SEED + 1)
    who5 = Instrument.objects.get(code="who5")
    recorded = 0
    for referral in (
        Referral.objects.filter(is_demo=True, link_worker__isnull=False)
        .exclude(beneficiary__outcome_responses__isnull=False)  # the cohort has its own
        .exclude(status__in=["received", "contacted", "unreachable", "declined"])
        .select_related("beneficiary", "link_worker")
    ):
        if ConsentPurpose.OUTCOMES not in referrals.active_consents(referral.beneficiary):
            continue
        services.response_record(
            by=referral.link_worker,
            instrument=who5,
            beneficiary=referral.beneficiary,
            referral=referral,
            timepoint="baseline",
            administered_on=timezone.localdate(),
            answers=_answers(rng, 5, 0, 5, -1),
        )
        recorded += 1
    return recorded


# An example outcome map for "Comunità resilienti". The proxies are examples to discuss, not
# settled values: each names where its number comes from and how it was derived.
WELLBY_EUR = 13_000 * 1.15  # HM Treasury Green Book wellbeing guidance (2021), 1 GBP = 1.15 EUR
SROI_OUTCOMES = [
    {
        "stakeholder": "Persone inviate",
        "outcome": "Maggiore benessere",
        "indicator": "WHO-5 migliorato di almeno 10 punti a 3 o 6 mesi",
        "quantity_source": "who5_improved",
        "proxy": round(0.4 * WELLBY_EUR, 2),
        "proxy_source": "0,4 WELLBY; 1 WELLBY = 13.000 £ (prezzi 2019), HM Treasury, Green Book "
        "supplementary guidance: wellbeing (2021); cambio 1,15 €/£. Valore di esempio.",
        "duration": 1,
        "deadweight": 25,
        "attribution": 20,
        "drop_off": 50,
    },
    {
        "stakeholder": "Persone inviate",
        "outcome": "Meno solitudine",
        "indicator": "UCLA-3 in calo di almeno 1 punto",
        "quantity_source": "ucla3_improved",
        "proxy": round(0.3 * WELLBY_EUR, 2),
        "proxy_source": "0,3 WELLBY, stessa fonte del benessere. Valore di esempio.",
        "duration": 1,
        "deadweight": 25,
        "attribution": 20,
        "drop_off": 50,
    },
    {
        "stakeholder": "Volontari delle associazioni",
        "outcome": "Tempo donato alla comunità",
        "indicator": "Ore di volontariato nelle attività (stima)",
        "quantity_source": "manual",
        "quantity": 1200,
        "proxy": 15,
        "proxy_source": "Costo di sostituzione: ILO, Manual on the Measurement of Volunteer "
        "Work (2011); 15 €/ora è una tariffa di esempio da sostituire con quella locale.",
        "duration": 1,
    },
]


def _sroi_example() -> None:
    from django.db.models import Sum

    from legami.network.models import Funding
    from legami.outcomes.models import SroiAnalysis
    from legami.outcomes.services import sroi as services_sroi

    programme = Programme.objects.filter(name="Comunità resilienti").first()
    admin = User.objects.filter(role="territory_admin", is_demo=True).first()
    if programme is None or SroiAnalysis.objects.filter(programme=programme).exists():
        return
    funded = Funding.objects.filter(programme=programme).aggregate(total=Sum("amount"))["total"]
    analysis = services_sroi.sroi_analysis_save(
        by=admin,
        data={
            "programme": programme,
            "title": "Esempio di analisi SROI (valori da discutere)",
            "investment": funded or 50_000,
            "investment_note": "Finanziamenti registrati per il programma"
            if funded
            else "Importo di esempio",
            "discount_rate": 3.5,
        },
    )
    for outcome in SROI_OUTCOMES:
        services_sroi.sroi_outcome_add(by=admin, analysis=analysis, data=outcome)
