"""The demo of social prescribing, on the programmes the seeds describe.

"Coltivare legami, generare salute" (Interreg Marittimo Italia-Francia "Comunità resilienti")
brings social prescribing to the inner areas of Tuscany: Volterra, Arcidosso, Massa
Marittima. The "Laboratori comunitari del welfare reale" of the Casalecchio di Reno district
give the second territory, where the Casa della Salute refers and ASC InSieme connects.

Accounts, people and stories are made up: every person is called "Esempio", has no tax code,
a phone number full of zeros, and is marked as demo. Every step goes through the referral
services, as a real referral would; e-mails are not sent.
"""

from datetime import date, timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from legami.accounts.models import User
from legami.core.emails import emails_not_sent
from legami.core.roles import PERSONAL_DATA_ROLES
from legami.demo import seed
from legami.directory.models import Activity, TaxonomyTerm
from legami.network import services as network
from legami.network.models import Organisation, Programme
from legami.referrals import services
from legami.referrals.models import Beneficiary, Enrolment, Referral
from legami.territory.models import Comune, District, Jurisdiction

CASALECCHIO = seed.DISTRICTS[0][0]
TUSCANY = seed.DISTRICTS[1][0]

# email, role, first, last, organisation, role title, district of work (link workers)
DEMO_USERS = [
    (
        "facilitatore@demo.legami.example",
        "link_worker",
        "Chiara",
        "Lenzi (demo)",
        "Comune di Arcidosso",
        "Connettrice di comunità (cantiere di prescrizione sociale)",
        TUSCANY,
    ),
    (
        "assistente.sociale@demo.legami.example",
        "prescriber",
        "Franco",
        "Bardi (demo)",
        "Comune di Massa Marittima",
        "Assistente sociale",
        None,
    ),
    (
        "biblioteca@demo.legami.example",
        "provider",
        "Irene",
        "Sestini (demo)",
        "Comune di Volterra",
        "Bibliotecaria",
        None,
    ),
]
# Demo accounts made by seed.py that need a territory to work on.
EXISTING_JURISDICTIONS = [("connettore@demo.legami.example", CASALECCHIO)]

CITIZEN = "cittadino@demo.legami.example"
TEAMS = {
    CASALECCHIO: {
        "prescriber": "prescrittore@demo.legami.example",
        "link_worker": "connettore@demo.legami.example",
        "provider": "fornitore@demo.legami.example",
        "programme": "Laboratori comunitari del welfare reale",
    },
    TUSCANY: {
        "prescriber": "assistente.sociale@demo.legami.example",
        "link_worker": "facilitatore@demo.legami.example",
        "provider": "biblioteca@demo.legami.example",
        "programme": "Comunità resilienti",
    },
}

ALL = ["care", "contact", "outcomes"]
# first name, birth date, comune ISTAT code, district, needs, urgency, consents, story:
#   status reached, activity (for enrolments), provider's answer, risks, extra steps
PEOPLE = [
    {
        "first": "Rosa",
        "born": date(1948, 3, 2),
        "comune": "037011",
        "team": CASALECCHIO,
        "needs": ["solitudine", "anziani"],
        "consents": ALL,
        "status": "received",
        "overdue": True,
        "reason": "Vive sola, esce poco da quando il figlio si è trasferito. (Storia inventata.)",
    },
    {
        "first": "Bruno",
        "born": date(1952, 7, 19),
        "comune": "037060",
        "team": CASALECCHIO,
        "needs": ["inattivita", "patologia-cronica"],
        "consents": ALL,
        "status": "received",
        "urgency": "soon",
        "assign": True,
        "reason": "Diabete di tipo 2, sedentario: il medico consiglia un gruppo di cammino.",
    },
    {
        "first": "Carla",
        "born": date(1960, 11, 5),
        "comune": "037057",
        "team": CASALECCHIO,
        "needs": ["caregiver"],
        "consents": [*ALL, "research"],
        "status": "contacted",
        "reason": "Assiste la madre a casa da due anni; chiede un po' di tempo per sé.",
    },
    {
        "first": "Dario",
        "born": date(1957, 1, 23),
        "comune": "037042",
        "team": CASALECCHIO,
        "needs": ["umore-ansia", "lutto"],
        "consents": ALL,
        "status": "assessed",
        "urgency": "urgent",
        "risks": "Ha parlato di non vedere più un senso: sentire il medico prima di ogni passo.",
        "reason": "Lutto recente, umore molto basso.",
    },
    {
        "first": "Elena",
        "born": date(1945, 5, 30),
        "comune": "037061",
        "team": CASALECCHIO,
        "needs": ["solitudine"],
        "consents": ALL,
        "status": "plan_agreed",
        "activity": "Biblioteca vivente",
        "answer": None,
        "reason": "Ha insegnato per quarant'anni e le manca raccontare.",
    },
    {
        "first": "Franco",
        "born": date(1950, 9, 14),
        "comune": "037011",
        "team": CASALECCHIO,
        "needs": ["umore-ansia"],
        "consents": [*ALL, "research"],
        "status": "engaged",
        "activity": "Teatro sociale",
        "answer": "accept",
        "reason": "Ansia dopo la pensione; da giovane faceva teatro amatoriale.",
        # "Che cosa conta per te": the person's words, how close then, how close at follow-up.
        "goals": [
            ("Tornare a stare su un palco senza paura", 2, 6),
            ("Uscire di casa almeno tre sere al mese", 4, 7),
        ],
    },
    {
        "first": "Giovanna",
        "born": date(1939, 2, 8),
        "comune": "037042",
        "team": CASALECCHIO,
        "needs": ["solitudine", "anziani"],
        "consents": ALL,
        "status": "completed",
        "activity": "Laboratorio di scrittura creativa",
        "answer": "accept",
        "reason": "Vedova, scrive poesie che non ha mai fatto leggere a nessuno.",
    },
    {
        "first": "Ivo",
        "born": date(1966, 4, 11),
        "comune": "037060",
        "team": CASALECCHIO,
        "needs": ["inattivita"],
        "consents": ["care", "contact"],
        "status": "declined",
        "closing": "Preferisce riprendere in primavera: lo richiamerà lui.",
        "reason": "Mal di schiena cronico, ha smesso ogni attività.",
    },
    {
        "first": "Lucia",
        "born": date(1971, 8, 27),
        "comune": "037057",
        "team": CASALECCHIO,
        "needs": ["difficolta-economiche"],
        "consents": ["care", "contact"],
        "status": "unreachable",
        "closing": "Tre chiamate e un messaggio senza risposta.",
        "reason": "Ha perso il lavoro; cerca occasioni per rimettersi in gioco.",
    },
    {
        "first": "Mario",
        "born": date(1958, 12, 1),
        "comune": "037011",
        "team": CASALECCHIO,
        "needs": ["solitudine"],
        "consents": ALL,
        "status": "closed",
        "activity": "Biblioteca vivente",
        "answer": "decline",
        "decline": "Il gruppo di questo mese è al completo: riproviamo il prossimo.",
        "closing": "Si è trasferito da una figlia fuori distretto.",
        "reason": "Isolato dopo la chiusura del bar del paese.",
    },
    {
        "first": "Nadia",
        "born": date(1980, 6, 16),
        "comune": "037061",
        "team": CASALECCHIO,
        "needs": ["umore-ansia", "nuovi-arrivati"],
        "consents": ALL,
        "status": "assessed",
        "withdraw": "contact",
        "contact": "referrer",
        "reason": "Arrivata da poco in paese con due bambini, non conosce nessuno.",
    },
    {
        "first": "Olga",
        "born": date(1944, 10, 3),
        "comune": "053001",
        "team": TUSCANY,
        "needs": ["solitudine", "inattivita"],
        "consents": ALL,
        "status": "plan_agreed",
        "activity": "Camminata nei castagneti dell'Amiata",
        "answer": None,
        "reason": "Abita in una frazione isolata; le piace camminare ma non vuole farlo da sola.",
    },
    {
        "first": "Piero",
        "born": date(1949, 1, 29),
        "comune": "050039",
        "team": TUSCANY,
        "needs": ["anziani", "solitudine"],
        "consents": [*ALL, "research"],
        "status": "engaged",
        "activity": "Gruppo di lettura ad alta voce",
        "answer": "accept",
        "reason": "Vede sempre meno e ha smesso di leggere, che era la sua passione.",
        "goals": [
            ("Ascoltare di nuovo un libro intero", 3, 8),
            ("Avere qualcuno con cui parlare dei libri", 2, 5),
            ("Andare in paese da solo con il bastone", 5, 5),
        ],
    },
    {
        "first": "Rita",
        "born": date(1962, 3, 21),
        "comune": "053015",
        "team": TUSCANY,
        "needs": ["caregiver", "umore-ansia"],
        "consents": ALL,
        "status": "received",
        "assign": True,
        "reason": "Si occupa del marito malato; il coro del paese potrebbe essere il suo spazio.",
    },
]

# The steps of the lifecycle a story walks through, in order, up to its status.
PATH = ["contacted", "assessed", "plan_agreed"]
WHAT_MATTERS = "Stare con altre persone e sentirsi utile. (Conversazione inventata.)"
GOALS = "Partecipare a un'attività di gruppo ogni settimana per tre mesi."


def load(stdout=None) -> int:
    """Create the demo accounts, then the demo referrals unless they exist. Returns how many
    referrals were created (0 when they were already there)."""
    with (
        transaction.atomic(),
        emails_not_sent(),
    ):
        _accounts()
        if Referral.objects.filter(is_demo=True).exists():
            return 0
        return _referrals()


def _accounts() -> None:
    admin = User.objects.get(email=seed.DEMO_USERS[-1][0])
    for email, role, first, last, organisation, title, district in DEMO_USERS:
        if User.objects.filter(email=email).exists():
            continue
        user = User.objects.create_user(
            email, seed.DEMO_PASSWORD, role=role, first_name=first, last_name=last, is_demo=True
        )
        person = network.person_create(
            by=admin,
            organisation=Organisation.objects.get(name=organisation),
            role_title=title,
            first_name=first,
            last_name=last,
            email=email,
            is_demo=True,
        )
        person.user = user
        person.save(update_fields=["user"])
        if role in PERSONAL_DATA_ROLES:
            TOTP.activate(user, seed.DEMO_TOTP_SECRET)
        if district:
            Jurisdiction.objects.create(user=user, district=District.objects.get(name=district))
    for email, district in EXISTING_JURISDICTIONS:
        user = User.objects.get(email=email)
        area = District.objects.get(name=district)
        if not Jurisdiction.objects.filter(user=user, district=area).exists():
            Jurisdiction.objects.create(user=user, district=area)


def _referrals() -> int:
    users = {u.email: u for u in User.objects.filter(is_demo=True)}
    terms = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy__code="need")}
    activities = {a.name: a for a in Activity.objects.filter(extra__demo=True)}
    comuni = {c.istat_code: c for c in Comune.objects.filter(istat_code__in=_codes())}
    programmes = {p.name: p for p in Programme.objects.all()}
    count = 0
    for story in PEOPLE:
        team = TEAMS[story["team"]]
        prescriber = users[team["prescriber"]]
        person = {
            "first_name": story["first"],
            "last_name": "Esempio",
            "birth_date": story["born"],
            "comune": comuni[story["comune"]],
            "phone": "000 0000000",
            "preferred_contact": story.get("contact", "phone"),
            "languages": "it",
        }
        referral = services.referral_create(
            by=prescriber,
            person=person,
            consents=story["consents"],
            reasons=[terms[code] for code in story["needs"]],
            reason_text=story["reason"],
            urgency=story.get("urgency", "routine"),
            risks=story.get("risks", ""),
            is_demo=True,
            # An overdue first contact: the service level counted from twelve days ago.
            now=timezone.now() - timedelta(days=12) if story.get("overdue") else None,
        )
        # The seeds' programmes keep their real dates, some already ended: the system
        # attributes the referral, as it would a past one.
        services.referral_programme_set(
            by=None, referral=referral, programme=programmes.get(team["programme"])
        )
        _walk(referral, story, users[team["link_worker"]], users[team["provider"]], activities)
        count += 1
    count += _self_referral(users)
    return count


def _codes() -> set[str]:
    return {story["comune"] for story in PEOPLE} | {"037011"}


def _walk(referral, story, worker, provider, activities) -> None:
    status = story["status"]
    if status == "received" and not story.get("assign"):
        return
    services.referral_assign(by=worker, referrals=[referral], link_worker=worker)
    if status == "received":
        return
    if status == "unreachable":
        services.referral_transition(
            by=worker, referral=referral, to="unreachable", reason=story["closing"]
        )
        return
    steps = {"contacted": 1, "declined": 1, "assessed": 2}.get(status, 3)
    for step in PATH[:steps]:
        services.referral_transition(
            by=worker,
            referral=referral,
            to=step,
            what_matters=WHAT_MATTERS if step == "assessed" else None,
            goals=GOALS if step == "plan_agreed" else None,
        )
    if story.get("withdraw"):
        services.consent_withdraw(
            by=worker, beneficiary=referral.beneficiary, purpose=story["withdraw"]
        )
    _goals(referral, story, worker)
    if status == "declined":
        services.referral_transition(
            by=worker, referral=referral, to="declined", reason=story["closing"]
        )
        return
    if story.get("activity"):
        enrolment = services.enrolment_create(
            by=worker, referral=referral, activity=activities[story["activity"]]
        )
        if story.get("answer") == "accept":
            services.enrolment_respond(by=provider, enrolment=enrolment, accept=True)
            # The first session attended moves the referral to "engaged".
            services.attendance_record(
                by=provider, enrolment=enrolment, session_date=timezone.localdate(), present=True
            )
        elif story.get("answer") == "decline":
            services.enrolment_respond(
                by=provider, enrolment=enrolment, accept=False, reason=story["decline"]
            )
    referral.refresh_from_db()
    if status == "completed":
        services.referral_transition(by=worker, referral=referral, to="completed")
    elif status == "closed":
        services.referral_transition(
            by=worker, referral=referral, to="closed", reason=story["closing"]
        )


def _goals(referral, story, worker) -> None:
    """The story's goals, set at the assessment three months ago and rated again today, at
    the follow-up."""
    if not story.get("goals"):
        return
    set_on = timezone.now() - timedelta(days=90)
    later = {}
    for text, first, again in story["goals"]:
        goal = services.goal_add(by=worker, referral=referral, text=text, rating=first, now=set_on)
        later[goal] = again
    services.goal_rate(by=worker, referral=referral, ratings=later)


def _self_referral(users) -> int:
    """The demo citizen refers herself through the public form, and the link worker of her
    district takes the referral on."""
    citizen = users[CITIZEN]
    referral = services.referral_create(
        by=citizen,
        person={
            "first_name": citizen.first_name,
            "last_name": citizen.last_name,
            "birth_date": date(1975, 4, 18),
            "comune": Comune.objects.get(istat_code="037011"),
            "email": citizen.email,
            "preferred_contact": "email",
            "languages": "it, en",
        },
        consents=["care", "contact"],
        reasons=[TaxonomyTerm.objects.get(taxonomy__code="need", code="solitudine")],
        reason_text="Mi sono trasferita da poco e vorrei conoscere gente del quartiere.",
        is_demo=True,
    )
    worker = users[TEAMS[CASALECCHIO]["link_worker"]]
    services.referral_assign(by=worker, referrals=[referral], link_worker=worker)
    services.referral_transition(by=worker, referral=referral, to="contacted")
    return 1


def summary() -> dict[str, int]:
    """What the demo holds, for the command's output and the tests."""
    return {
        "people": Beneficiary.objects.filter(is_demo=True).count(),
        "referrals": Referral.objects.filter(is_demo=True).count(),
        "enrolments": Enrolment.objects.filter(referral__is_demo=True).count(),
    }
