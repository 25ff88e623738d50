"""The demo of impact on organisations: a network survey built with the questionnaire builder
(the "mapping" of the Siena Community Hub: networks, management and innovation, competences,
audience), an event-feedback form for the shared garden of Monte San Pietro with a few made-up
anonymous answers, and the indicators of the Community Hub's Programme 2022 with the figures the
seed gives (15 training moments, 8 experiments, about 250 participants, 6 partners).

Everything goes through the outcomes services, as a real user's work would."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from legami.accounts.models import User
from legami.directory.models import Activity
from legami.network.models import Programme
from legami.outcomes.models import Instrument
from legami.outcomes.services import builder as services_builder
from legami.outcomes.services import indicators as services_indicators
from legami.outcomes.services import surveys as services_surveys

SURVEY_NAME = "Mappatura delle organizzazioni della rete (esempio)"
FEEDBACK_NAME = "Com'è andata? Feedback sull'incontro (esempio)"
SIENA = "Community Hub Culture Ibride - Programma 2022"
SEED = 2022
SCALE = (
    "Per niente | Not at all | Pas du tout\nPoco | A little | Un peu\nAbbastanza | "
    "Quite | Assez\nMolto | Much | Beaucoup\nMoltissimo | Very much | Énormément"
)

NETWORK_SURVEY = {
    "Reti | Networks | Réseaux": [
        {
            "kind": "numeric",
            "text": "Con quante nuove organizzazioni avete collaborato quest'anno?",
            "text_en": "With how many new organisations did you work this year?",
            "text_fr": "Avec combien de nouvelles organisations avez-vous travaillé cette année ?",
            "scale_min": 0,
            "scale_max": 500,
            "required": True,
        },
        {
            "kind": "likert",
            "text": "Quanto è cambiato il vostro modo di lavorare in rete?",
            "text_en": "How much has your way of working in a network changed?",
            "text_fr": "Dans quelle mesure votre façon de travailler en réseau a-t-elle changé ?",
            "scale_min": 1,
            "scale_max": 5,
            "options": SCALE,
        },
    ],
    "Modelli gestionali e innovazione | Management and innovation | Gestion et innovation": [
        {
            "kind": "multiple",
            "text": "Quali innovazioni avete introdotto?",
            "text_en": "Which innovations did you introduce?",
            "text_fr": "Quelles innovations avez-vous introduites ?",
            "options": "Nuovi servizi | New services | Nouveaux services\n"
            "Collaborazione con i servizi sociali | Work with social services | "
            "Collaboration avec les services sociaux\n"
            "Nuovi spazi | New spaces | Nouveaux espaces\n"
            "Nuove forme di finanziamento | New funding | Nouveaux financements",
        },
    ],
    "Competenze | Competences | Compétences": [
        {
            "kind": "numeric",
            "text": "Quante persone della vostra organizzazione hanno seguito la formazione?",
            "text_en": "How many people of your organisation attended the training?",
            "text_fr": "Combien de personnes de votre organisation ont suivi la formation ?",
            "scale_min": 0,
            "scale_max": 500,
        },
    ],
    "Pubblico | Audience | Publics": [
        {
            "kind": "single",
            "text": "Il vostro pubblico è cresciuto?",
            "text_en": "Has your audience grown?",
            "text_fr": "Votre public a-t-il augmenté ?",
            "options": "Sì, molto | Yes, a lot | Oui, beaucoup\nSì, un poco | Yes, a little | "
            "Oui, un peu\nNo | No | Non\nNon so | Don't know | Je ne sais pas",
        },
        {
            "kind": "text",
            "text": "Un esempio di cambiamento che avete visto",
            "text_en": "An example of a change you have seen",
            "text_fr": "Un exemple de changement que vous avez constaté",
        },
    ],
}

FEEDBACK = [
    {
        "kind": "likert",
        "text": "Quanto ti è piaciuto l'incontro?",
        "text_en": "How much did you enjoy the meeting?",
        "text_fr": "Dans quelle mesure la rencontre vous a-t-elle plu ?",
        "scale_min": 1,
        "scale_max": 5,
        "options": SCALE,
    },
    {
        "kind": "single",
        "text": "Torneresti?",
        "text_en": "Would you come again?",
        "text_fr": "Reviendriez-vous ?",
        "options": "Sì | Yes | Oui\nForse | Maybe | Peut-être\nNo | No | Non",
    },
    {
        "kind": "multiple",
        "text": "Che cosa ti è piaciuto di più?",
        "text_en": "What did you like most?",
        "text_fr": "Qu'avez-vous le plus aimé ?",
        "options": "Le persone | The people | Les gens\nIl luogo | The place | Le lieu\n"
        "L'attività | The activity | L'activité",
    },
    {
        "kind": "text",
        "text": "Un suggerimento per la prossima volta",
        "text_en": "A suggestion for next time",
        "text_fr": "Une suggestion pour la prochaine fois",
    },
]
SUGGESTIONS = ["", "Più panchine all'ombra.", "", "Portare i semi da scambiare.", ""]

# name, area, metric, target, reading (value, note) for the ones recorded by hand
SIENA_INDICATORS = [
    ("Realtà partner del programma", "network", "partners", 6, None),
    ("Nuovi legami tra le organizzazioni della rete", "network", "new_ties", 20, None),
    (
        "Momenti formativi svolti (talk e incursioni)",
        "competences",
        "manual",
        15,
        (15, "Programma 2022: 15 momenti formativi"),
    ),
    (
        "Sperimentazioni di pratica di welfare culturale",
        "management",
        "manual",
        8,
        (8, "Programma 2022: 8 sperimentazioni"),
    ),
    (
        "Partecipanti alle attività formative e sperimentali",
        "audience",
        "manual",
        250,
        (250, "Circa 250 partecipanti (Programma 2022)"),
    ),
]


def _build(admin, name, purpose, sections: dict | None = None, items=None) -> Instrument:
    draft = services_builder.questionnaire_create(by=admin, data={"name": name, "purpose": purpose})
    for title, questions in (sections or {None: items}).items():
        section = None
        if title:
            it, en, fr = (part.strip() for part in title.split("|"))
            section = services_builder.section_add(
                by=admin, instrument=draft, data={"title": it, "title_en": en, "title_fr": fr}
            )
        for question in questions:
            services_builder.item_add(
                by=admin, instrument=draft, data={**question, "section": section}
            )
    return services_builder.questionnaire_publish(by=admin, instrument=draft, scored=False)


def load() -> bool:
    if Instrument.objects.filter(name=SURVEY_NAME).exists():
        return False
    admin = User.objects.filter(role="territory_admin", is_demo=True).first()
    today = timezone.localdate()
    with transaction.atomic():
        network = _build(admin, SURVEY_NAME, "organisation", sections=NETWORK_SURVEY)
        services_surveys.survey_open(
            by=admin,
            data={
                "instrument": network,
                "title": "Indagine 2026 alle organizzazioni della rete (esempio)",
                "opens_on": today - timedelta(days=7),
                "closes_on": today + timedelta(days=60),
            },
        )
        feedback = _build(admin, FEEDBACK_NAME, "event", items=FEEDBACK)
        garden = Activity.objects.filter(name__icontains="Orto-giardino").first()
        round_ = services_surveys.survey_open(
            by=admin,
            data={
                "instrument": feedback,
                "title": "Giornata all'orto-giardino condiviso (esempio)",
                "activity": garden,
                "opens_on": today - timedelta(days=3),
                "closes_on": today + timedelta(days=30),
            },
        )
        rng = random.Random(SEED)
        for n in range(8):
            services_surveys.feedback_submit(
                survey=round_,
                answers={
                    1: rng.choice([3, 4, 4, 5, 5]),
                    2: rng.choice([1, 1, 1, 2]),
                    3: sorted(rng.sample([1, 2, 3], rng.randint(1, 2))),
                    4: SUGGESTIONS[n % len(SUGGESTIONS)],
                },
            )
        _siena_indicators(admin)
    return True


def _siena_indicators(admin) -> None:
    programme = Programme.objects.filter(name=SIENA).first()
    if programme is None:
        return
    end = programme.end_date or date(2022, 12, 31)
    for name, area, metric, target, reading in SIENA_INDICATORS:
        indicator = services_indicators.indicator_create(
            by=admin,
            data={
                "programme": programme,
                "area": area,
                "name": name,
                "metric": metric,
                "baseline_value": 0,
                "target_value": target,
                "target_date": end,
            },
        )
        if reading:
            services_indicators.reading_add(
                by=admin, indicator=indicator, measured_on=end, value=reading[0], note=reading[1]
            )
