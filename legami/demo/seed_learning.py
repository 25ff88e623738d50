"""The demo of training: the course of the seeds' "Coltivare legami, generare salute" path
(Interreg Marittimo Italia-Francia "Comunità resilienti"), with its four meetings of September
and October 2025 at Volterra, Arcidosso and Massa Marittima, and the "Cantiere di prescrizione
sociale" whose four meetings the seed leaves to be fixed: here at example dates from today,
open for registration, with a few made-up registrations marked demo."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from legami.core.emails import emails_not_sent
from legami.learning import services
from legami.learning.models import Course
from legami.network.models import Organisation, Programme
from legami.territory.models import Comune

COURSE = "Welfare culturale e prescrizione sociale nelle aree interne"
WORKSHOP = "Cantiere di prescrizione sociale"
AUDIENCE = "Comuni, associazioni, cooperative, operatori sociali e sanitari"
VOLTERRA, ARCIDOSSO, MASSA = "050039", "053001", "053015"

# comune, day, start, end, topic (from the seed)
MEETINGS = [
    (
        VOLTERRA,
        (2025, 9, 25),
        (10, 0),
        (13, 0),
        "Cultura, comunità, welfare: una cornice di riferimento. Welfare culturale: fondamenti, "
        "pratiche, prospettive",
    ),
    (
        ARCIDOSSO,
        (2025, 10, 1),
        (10, 30),
        (13, 0),
        "Welfare culturale: strumenti, processi e metodi per il lavoro nel territorio",
    ),
    (
        MASSA,
        (2025, 10, 14),
        (10, 0),
        (13, 0),
        "La prescrizione sociale. Fondamenti, pratiche, costruzione di alleanze, sviluppi "
        "possibili",
    ),
    (
        MASSA,
        (2025, 10, 14),
        (14, 0),
        (16, 0),
        "Primi passi sulla valutazione dei benefici, aree di misurazione, strumenti",
    ),
]
WORKSHOP_MEETINGS = [
    (ARCIDOSSO, 14, "Incontro 1: dalle idee ai progetti (data di esempio)"),
    (VOLTERRA, 28, "Incontro 2: reti orientate alla prescrizione sociale (data di esempio)"),
    (None, 42, "Incontro 3: supervisione a distanza (data di esempio)"),
    (MASSA, 56, "Incontro 4: la comunità di pratica (data di esempio)"),
]
DEMO_PEOPLE = [
    ("Chiara", "Lenzi (demo)", "Comune di Arcidosso", "Assistente sociale"),
    ("Matteo", "Guidi (demo)", "Associazione culturale del territorio", "Volontario"),
    ("Sofia", "Ricci (demo)", "Casa della Salute", "Infermiera di comunità"),
]


def _at(day, hour_minute):
    return timezone.make_aware(datetime.combine(datetime(*day).date(), time(*hour_minute)))


def load() -> bool:
    if Course.objects.filter(title=COURSE).exists():
        return False
    programme = Programme.objects.filter(name="Comunità resilienti").first()
    organiser = Organisation.objects.filter(name="Comune di Volterra").first()
    comuni = {
        c.istat_code: c for c in Comune.objects.filter(istat_code__in=[VOLTERRA, ARCIDOSSO, MASSA])
    }
    common = {"programme": programme, "organiser": organiser, "audience": AUDIENCE, "is_free": True}
    # Demo registrations send no confirmation anywhere.
    with (
        transaction.atomic(),
        emails_not_sent(),
    ):
        course = services.course_create(
            by=None,
            data={
                "title": COURSE,
                "title_en": "Cultural welfare and social prescribing in inner areas",
                "title_fr": "Bien-être culturel et prescription sociale dans les zones intérieures",
                "description": 'Quattro incontri di formazione del percorso "Coltivare legami, '
                'generare salute" (Interreg Marittimo Italia-Francia "Comunità resilienti").',
                **common,
            },
        )
        for code, day, start, end, topic in MEETINGS:
            services.session_create(
                by=None,
                course=course,
                data={
                    "title": topic,
                    "starts_at": _at(day, start),
                    "ends_at": _at(day, end),
                    "comune": comuni.get(code),
                    "capacity": 40,
                },
            )
        workshop = services.course_create(
            by=None,
            data={
                "title": WORKSHOP,
                "title_en": "Social prescribing workshop",
                "title_fr": "Atelier de prescription sociale",
                "description": "Facilitazione e supervisione per progetti e sperimentazioni di "
                "prescrizione sociale, verso una Comunità di Pratica.",
                **common,
            },
        )
        today = timezone.localdate()
        for code, days, topic in WORKSHOP_MEETINGS:
            day = today + timedelta(days=days)
            session = services.session_create(
                by=None,
                course=workshop,
                data={
                    "title": topic,
                    "starts_at": _at((day.year, day.month, day.day), (10, 0)),
                    "ends_at": _at((day.year, day.month, day.day), (13, 0)),
                    # online: organised by Arcidosso, where the Cantiere starts
                    "comune": comuni.get(code or ARCIDOSSO),
                    "online_url": "" if code else "https://meet.example.org/cantiere-demo",
                    "capacity": 25,
                },
            )
            if days == 14:
                for first, last, organisation, role in DEMO_PEOPLE:
                    services.registration_create(
                        by=None,
                        session=session,
                        data={
                            "first_name": first,
                            "last_name": last,
                            "email": f"{first.lower()}.formazione@demo.legami.example",
                            "organisation_name": organisation,
                            "role": role,
                        },
                    )
    return True
