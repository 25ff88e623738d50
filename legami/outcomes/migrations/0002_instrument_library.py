"""The instrument library: WHO-5, ONS4, UCLA 3-item loneliness scale, SWEMWBS.

The data lives here (not imported from the app) so the migration stays what it was when it ran.
Italian is the default-language column (`name`, `text`, `label`); English and French beside it.
SWEMWBS item wording is licensed and not shipped: each organisation loads it under its licence.
Sources, choices and their reasons: docs/decisions.md, "Instrument library".
"""

from django.db import migrations

SWEMWBS_TABLE = {
    "7": 7.00, "8": 9.51, "9": 11.25, "10": 12.40, "11": 13.33, "12": 14.08, "13": 14.75,
    "14": 15.32, "15": 15.84, "16": 16.36, "17": 16.88, "18": 17.43, "19": 17.98, "20": 18.59,
    "21": 19.25, "22": 19.98, "23": 20.73, "24": 21.54, "25": 22.35, "26": 23.21, "27": 24.11,
    "28": 25.03, "29": 26.02, "30": 27.03, "31": 28.13, "32": 29.31, "33": 30.70, "34": 32.55,
    "35": 35.00,
}

INSTRUMENTS = [
    {
        "code": "who5",
        "name": "Indice di benessere OMS (WHO-5)",
        "name_en": "WHO-5 Well-Being Index",
        "name_fr": "Indice de bien-être OMS (WHO-5)",
        "licence": "Free of charge, no permission required (Psychiatric Research Unit, "
        "Mental Health Centre North Zealand)",
        "source": "Topp CW, Østergaard SD, Søndergaard S, Bech P. The WHO-5 Well-Being Index: "
        "a systematic review of the literature. Psychother Psychosom 2015;84:167-176. "
        "https://www.psykiatri-regionh.dk/who-5/",
        "item_text_licensed": False,
        "scoring": {"method": "sum", "multiplier": 4, "missing": "none_allowed"},
        "min_score": 0,
        "max_score": 100,
        "minimal_important_change": 10,
        "higher_is_better": True,
        "items": [
            # (text it, text en, text fr); answers 0 "at no time" ... 5 "all of the time",
            # about the last two weeks.
            ("Mi sono sentito/a allegro/a e di buon umore",
             "I have felt cheerful and in good spirits",
             "Je me suis senti(e) bien et de bonne humeur"),
            ("Mi sono sentito/a calmo/a e rilassato/a",
             "I have felt calm and relaxed",
             "Je me suis senti(e) calme et tranquille"),
            ("Mi sono sentito/a attivo/a ed energico/a",
             "I have felt active and vigorous",
             "Je me suis senti(e) plein(e) d'énergie et vigoureux(se)"),
            ("Mi sono svegliato/a sentendomi fresco/a e riposato/a",
             "I woke up feeling fresh and rested",
             "Je me suis réveillé(e) en me sentant frais (fraîche) et dispos(e)"),
            ("La mia vita quotidiana è stata piena di cose che mi interessano",
             "My daily life has been filled with things that interest me",
             "Ma vie quotidienne a été remplie de choses intéressantes"),
        ],
        "scale": (0, 5),
        "bands": [
            ("", 0, 28, "Probabile depressione: si raccomanda una valutazione",
             "Likely depression: assessment recommended",
             "Dépression probable : une évaluation est recommandée", True),
            ("", 29, 50, "Benessere scarso", "Poor well-being", "Bien-être faible", True),
            ("", 51, 100, "Benessere adeguato", "Adequate well-being", "Bien-être satisfaisant",
             False),
        ],
    },
    {
        "code": "ons4",
        "name": "Benessere personale ONS (ONS4)",
        "name_en": "ONS personal well-being (ONS4)",
        "name_fr": "Bien-être personnel ONS (ONS4)",
        "licence": "Open Government Licence v3.0 (Office for National Statistics)",
        "source": "Office for National Statistics, Personal well-being user guidance. "
        "https://www.ons.gov.uk/peoplepopulationandcommunity/wellbeing/methodologies/"
        "personalwellbeingsurveyuserguide",
        "item_text_licensed": False,
        "scoring": {
            "method": "per_item",
            "missing": "each_item",
            "subscales": {
                "life_satisfaction": {"items": [1], "higher_is_better": True},
                "worthwhile": {"items": [2], "higher_is_better": True},
                "happiness": {"items": [3], "higher_is_better": True},
                "anxiety": {"items": [4], "higher_is_better": False},
            },
        },
        "min_score": 0,
        "max_score": 10,
        "minimal_important_change": None,
        "higher_is_better": True,
        "items": [
            # Answers 0 "not at all" ... 10 "completely". Italian and French wording are our
            # working translations, not an official version.
            ("Nel complesso, quanto è soddisfatto/a della sua vita in questo periodo?",
             "Overall, how satisfied are you with your life nowadays?",
             "Dans l'ensemble, dans quelle mesure êtes-vous satisfait(e) de votre vie "
             "actuellement ?", "life_satisfaction"),
            ("Nel complesso, in che misura sente che le cose che fa nella sua vita valgono "
             "la pena?",
             "Overall, to what extent do you feel that the things you do in your life are "
             "worthwhile?",
             "Dans l'ensemble, dans quelle mesure avez-vous le sentiment que ce que vous faites "
             "dans votre vie en vaut la peine ?", "worthwhile"),
            ("Nel complesso, quanto si è sentito/a felice ieri?",
             "Overall, how happy did you feel yesterday?",
             "Dans l'ensemble, à quel point vous êtes-vous senti(e) heureux(se) hier ?",
             "happiness"),
            ("Nel complesso, quanto si è sentito/a ansioso/a ieri?",
             "Overall, how anxious did you feel yesterday?",
             "Dans l'ensemble, à quel point vous êtes-vous senti(e) anxieux(se) hier ?",
             "anxiety"),
        ],
        "scale": (0, 10),
        # ONS thresholds: for the first three 0-4 low, 5-6 medium, 7-8 high, 9-10 very high;
        # for anxiety 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
        "bands": [
            *[
                band
                for sub in ("life_satisfaction", "worthwhile", "happiness")
                for band in (
                    (sub, 0, 4, "Basso", "Low", "Faible", True),
                    (sub, 5, 6, "Medio", "Medium", "Moyen", False),
                    (sub, 7, 8, "Alto", "High", "Élevé", False),
                    (sub, 9, 10, "Molto alto", "Very high", "Très élevé", False),
                )
            ],
            ("anxiety", 0, 1, "Molto bassa", "Very low", "Très faible", False),
            ("anxiety", 2, 3, "Bassa", "Low", "Faible", False),
            ("anxiety", 4, 5, "Media", "Medium", "Moyenne", False),
            ("anxiety", 6, 10, "Alta", "High", "Élevée", True),
        ],
    },
    {
        "code": "ucla3",
        "name": "Scala della solitudine UCLA a 3 domande",
        "name_en": "UCLA 3-item loneliness scale",
        "name_fr": "Échelle de solitude UCLA en 3 questions",
        "licence": "Published scale, free to use with citation",
        "source": "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring "
        "loneliness in large surveys. Research on Aging 2004;26(6):655-672.",
        "item_text_licensed": False,
        "scoring": {"method": "sum", "missing": "none_allowed"},
        "min_score": 3,
        "max_score": 9,
        "minimal_important_change": None,
        "higher_is_better": False,
        "items": [
            # Answers 1 "hardly ever", 2 "some of the time", 3 "often". Italian and French are
            # our working translations.
            ("Quanto spesso sente di non avere compagnia?",
             "How often do you feel that you lack companionship?",
             "À quelle fréquence avez-vous le sentiment de manquer de compagnie ?"),
            ("Quanto spesso si sente escluso/a?",
             "How often do you feel left out?",
             "À quelle fréquence vous sentez-vous tenu(e) à l'écart ?"),
            ("Quanto spesso si sente isolato/a dagli altri?",
             "How often do you feel isolated from others?",
             "À quelle fréquence vous sentez-vous isolé(e) des autres ?"),
        ],
        "scale": (1, 3),
        "bands": [
            ("", 3, 5, "Non solo/a", "Not lonely", "Pas seul(e)", False),
            ("", 6, 9, "Solo/a", "Lonely", "Seul(e)", True),
        ],
    },
    {
        "code": "swemwbs",
        "name": "Scala breve di benessere mentale di Warwick-Edinburgh (SWEMWBS)",
        "name_en": "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
        "name_fr": "Échelle courte de bien-être mental de Warwick-Edinburgh (SWEMWBS)",
        "licence": "© University of Warwick, NHS Health Scotland and University of Edinburgh; "
        "free for non-commercial use after registration with Warwick Medical School",
        "source": "Stewart-Brown S, Tennant A, Tennant R, Platt S, Parkinson J, Weich S. "
        "Internal construct validity of the Warwick-Edinburgh Mental Well-being Scale "
        "(WEMWBS): a Rasch analysis using data from the Scottish Health Education Population "
        "Survey. Health Qual Life Outcomes 2009;7:15. https://warwick.ac.uk/fac/sci/med/"
        "research/platform/wemwbs/",
        "item_text_licensed": True,
        "scoring": {"method": "sum_then_table", "missing": "none_allowed",
                    "table": SWEMWBS_TABLE},
        "min_score": 7,
        "max_score": 35,
        "minimal_important_change": 3,
        "higher_is_better": True,
        # Wording not shipped; answers 1 "none of the time" ... 5 "all of the time".
        "items": [("", "", "")] * 7,
        "scale": (1, 5),
        "bands": [
            ("", 7, "17.99", "Probabile depressione", "Probable depression",
             "Dépression probable", True),
            ("", 18, "20.99", "Possibile depressione", "Possible depression",
             "Dépression possible", True),
            ("", 21, "27.99", "Benessere nella media", "Average well-being",
             "Bien-être moyen", False),
            ("", 28, 35, "Benessere elevato", "High well-being", "Bien-être élevé", False),
        ],
    },
]


def load(apps, schema_editor):
    Instrument = apps.get_model("outcomes", "Instrument")
    InstrumentItem = apps.get_model("outcomes", "InstrumentItem")
    InterpretationBand = apps.get_model("outcomes", "InterpretationBand")
    for data in INSTRUMENTS:
        data = dict(data)
        items, (scale_min, scale_max), bands = data.pop("items"), data.pop("scale"), data.pop(
            "bands"
        )
        instrument, _ = Instrument.objects.update_or_create(code=data.pop("code"), defaults=data)
        for number, texts in enumerate(items, start=1):
            text, text_en, text_fr, *rest = texts
            InstrumentItem.objects.update_or_create(
                instrument=instrument,
                number=number,
                defaults={
                    "text": text,
                    "text_en": text_en,
                    "text_fr": text_fr,
                    "scale_min": scale_min,
                    "scale_max": scale_max,
                    "subscale": rest[0] if rest else "",
                },
            )
        instrument.bands.all().delete()
        InterpretationBand.objects.bulk_create(
            InterpretationBand(
                instrument=instrument,
                subscale=subscale,
                low=low,
                high=high,
                label=label,
                label_en=label_en,
                label_fr=label_fr,
                is_flag=is_flag,
            )
            for subscale, low, high, label, label_en, label_fr, is_flag in bands
        )


def unload(apps, schema_editor):
    Instrument = apps.get_model("outcomes", "Instrument")
    Instrument.objects.filter(
        code__in=[data["code"] for data in INSTRUMENTS], responses__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
