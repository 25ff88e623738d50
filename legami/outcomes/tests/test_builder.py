"""The questionnaire builder: every kind of question, sections, translations, bad input named
and nothing saved, publishing freezes, copying starts a new version; built questionnaires
given to a person through the same pages, API and scoring as the validated ones."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from legami.outcomes import services
from legami.outcomes.models import Answer, Instrument, InstrumentItem, Response
from legami.outcomes.services import builder as services_builder
from legami.referrals.tests.conftest import engage

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {
        "kind": "likert",
        "text": "Quanto ti senti in compagnia?",
        "text_en": "How much company do you feel you have?",
        "scale_min": 1,
        "scale_max": 3,
        "options": "Poco | Little | Peu\nAbbastanza | Enough | Assez\nMolto | A lot | Beaucoup",
    },
    {
        "kind": "likert",
        "text": "Quanto ti senti teso?",
        "scale_min": 1,
        "scale_max": 3,
        "reverse": True,
    },
    {
        "kind": "numeric",
        "text": "Quante ore a settimana passi fuori casa?",
        "scale_min": 0,
        "scale_max": 168,
    },
    {"kind": "single", "text": "Come sei arrivato?", "options": "A piedi\nIn auto\nIn bus"},
    {
        "kind": "multiple",
        "text": "Cosa ti è piaciuto?",
        "options": "Le persone\nIl luogo\nIl tè",
        "required": True,
    },
    {"kind": "text", "text": "Vuoi dirci altro?"},
]


def _build(by, purpose="person", scored=True) -> Instrument:
    draft = services_builder.questionnaire_create(
        by=by, data={"name": "Stare insieme", "name_en": "Being together", "purpose": purpose}
    )
    section = services_builder.section_add(
        by=by, instrument=draft, data={"title": "Come stai", "title_en": "How you are"}
    )
    for number, question in enumerate(QUESTIONS):
        services_builder.item_add(
            by=by, instrument=draft, data={**question, "section": section if number < 2 else None}
        )
    return services_builder.questionnaire_publish(by=by, instrument=draft, scored=scored)


def test_pages_build_a_questionnaire_of_every_kind(client, care):
    client.force_login(care["territory_admin"])
    response = client.post(
        reverse("outcomes:questionnaires"), {"name": "Feedback serata", "purpose": "event"}
    )
    draft = Instrument.objects.get(name="Feedback serata")
    assert response.status_code == 302 and draft.is_draft and not draft.is_active
    add = reverse("outcomes:item_add", args=[draft.pk])
    client.post(reverse("outcomes:section_add", args=[draft.pk]), {"title": "La serata"})
    for question in QUESTIONS:
        data = {k: v for k, v in question.items() if v is not False}
        assert client.post(add, data).status_code == 302, question
    items = list(draft.items.order_by("number"))
    assert [i.kind for i in items] == ["likert", "likert", "numeric", "single", "multiple", "text"]
    assert items[0].options[2] == {"value": 3, "label": ["Molto", "A lot", "Beaucoup"]}
    assert items[3].options == [
        {"value": 1, "label": ["A piedi"]},
        {"value": 2, "label": ["In auto"]},
        {"value": 3, "label": ["In bus"]},
    ]
    assert items[3].scale_min is None and items[4].required and items[1].reverse

    client.post(reverse("outcomes:item_move", args=[items[5].pk]), {"to": "up"})
    client.post(reverse("outcomes:item_remove", args=[items[0].pk]))
    assert list(draft.items.order_by("number").values_list("kind", flat=True)) == [
        "likert",
        "numeric",
        "single",
        "text",
        "multiple",
    ]
    page = client.get(reverse("outcomes:questionnaire", args=[draft.pk])).content.decode()
    assert "Cosa ti è piaciuto?" in page and "Preview" in page

    client.post(reverse("outcomes:publish", args=[draft.pk]), {})
    draft.refresh_from_db()
    assert draft.is_active and not draft.is_draft and draft.scoring == {"method": "none"}
    refused = client.post(add, {"kind": "text", "text": "Altro?"}, follow=True)
    assert "can no longer change" in refused.content.decode()
    assert draft.items.count() == 5

    client.post(reverse("outcomes:copy", args=[draft.pk]))
    copy = Instrument.objects.exclude(pk=draft.pk).get(is_custom=True)
    assert copy.is_draft and copy.items.count() == 5 and copy.sections.count() == 1


@pytest.mark.parametrize(
    ("question", "field", "words"),
    [
        ({"kind": "likert", "text": "X", "scale_min": 5, "scale_max": 1}, "scale_max", "above"),
        ({"kind": "likert", "text": "X", "scale_min": 0, "scale_max": 20}, "scale_max", "11"),
        (
            {"kind": "likert", "text": "X", "scale_min": 1, "scale_max": 3, "options": "A\nB"},
            "options",
            "3 points",
        ),
        ({"kind": "numeric", "text": "X"}, "scale_max", "lowest and the highest"),
        (
            {"kind": "numeric", "text": "X", "scale_min": 0, "scale_max": 9, "options": "A\nB"},
            "options",
            "Only choices",
        ),
        ({"kind": "single", "text": "X", "options": "Solo"}, "options", "between 2"),
        ({"kind": "multiple", "text": "X", "options": "A\na"}, "options", "already an option"),
        ({"kind": "single", "text": "X", "options": "A|B|C|D\nE"}, "options", "three labels"),
        ({"kind": "text", "text": "X", "reverse": True}, "reverse", "Only a scale"),
        ({"kind": "text", "text": "  "}, "text", "Italian"),
    ],
)
def test_a_bad_question_is_named_and_not_saved(care, question, field, words):
    draft = services_builder.questionnaire_create(by=None, data={"name": "Bozza"})
    with pytest.raises(Exception) as raised:
        services_builder.item_add(by=None, instrument=draft, data=question)
    messages = raised.value.message_dict[field]
    assert any(words in message for message in messages), messages
    assert not InstrumentItem.objects.filter(instrument=draft).exists()


def test_publishing_checks_and_scores_the_scale_questions(care):
    empty = services_builder.questionnaire_create(by=None, data={"name": "Vuoto"})
    with pytest.raises(Exception, match="at least one question"):
        services_builder.questionnaire_publish(by=None, instrument=empty, scored=False)
    words = services_builder.questionnaire_create(by=None, data={"name": "Parole"})
    services_builder.item_add(by=None, instrument=words, data={"kind": "text", "text": "Dimmi"})
    with pytest.raises(Exception, match="has none"):
        services_builder.questionnaire_publish(by=None, instrument=words, scored=True)
    instrument = _build(None)
    assert instrument.scoring == {"method": "sum", "items": [1, 2]}
    assert (instrument.min_score, instrument.max_score) == (2, 6)
    with pytest.raises(Exception, match="cannot be copied"):
        services_builder.questionnaire_copy(by=None, instrument=Instrument.objects.get(code="who5"))


def _answer(care, referral, instrument, answers, timepoint="baseline"):
    return services.response_record(
        by=care["link_worker"],
        instrument=instrument,
        beneficiary=referral.beneficiary,
        referral=referral,
        timepoint=timepoint,
        administered_on=timezone.localdate(),
        answers=answers,
    )


def test_a_person_answers_a_built_questionnaire(client, care):
    referral = engage(care)
    instrument = _build(care["territory_admin"])
    answers = {1: 3, 2: 1, 3: 12, 4: 2, 5: [1, 3], 6: "Mi piace il tè delle cinque."}
    response = _answer(care, referral, instrument, answers)
    # item 2 is reverse scored on 1..3: 1 counts 3; the score adds the two scales
    assert response.is_complete and response.score == 6
    stored = {a.item.number: a for a in Answer.objects.filter(response=response)}
    assert stored[5].choices == [1, 3] and stored[6].text == answers[6]
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM outcomes_answer WHERE text <> ''")
        assert all("tè delle cinque" not in row[0] for row in cursor.fetchall())

    incomplete = _answer(care, referral, instrument, {1: 2, 2: 2}, timepoint="other")
    assert not incomplete.is_complete  # question 5 is needed


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({3: 169}, "between 0 and 168"),
        ({4: 7}, "choose one of the answers"),
        ({5: [1, 1]}, "each at most once"),
        ({5: 2}, "each at most once"),
        ({6: 5}, "must be text"),
        ({6: "x" * 4001}, "at most 4000"),
    ],
)
def test_bad_answers_are_named_and_nothing_saved(care, answers, words):
    referral = engage(care)
    instrument = _build(None)
    with pytest.raises(Exception, match=words):
        _answer(care, referral, instrument, answers)
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_worker_page_and_api_take_every_kind_of_answer(client, care):
    referral = engage(care)
    instrument = _build(None)
    client.force_login(care["link_worker"])
    url = reverse("outcomes:record", args=[referral.pk])
    page = client.get(url, {"instrument": instrument.pk}).content.decode()
    assert "How you are" in page and "Quante ore a settimana" in page and "Il tè" in page
    client.post(
        url,
        {
            "instrument": instrument.pk,
            "timepoint": "baseline",
            "administered_on": timezone.localdate().isoformat(),
            "item_1": "2",
            "item_2": "2",
            "item_3": "5",
            "item_4": "3",
            "item_5": ["2", "3"],
            "item_6": "Bene così",
        },
    )
    response = Response.objects.get()
    assert response.is_complete and response.score == 4

    api = reverse("api:outcomes-response-list", args=[referral.pk])
    created = client.post(
        api,
        {
            "instrument": instrument.code,
            "timepoint": "follow_up_3m",
            "administered_on": timezone.localdate().isoformat(),
            "answers": {"1": 3, "2": 1, "3": 20, "4": 1, "5": [1], "6": "Meglio"},
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["answers"]["5"] == [1] and created.json()["change"] == "2.00"
    bad = client.post(
        api,
        {
            "instrument": instrument.code,
            "timepoint": "other",
            "administered_on": timezone.localdate().isoformat(),
            "answers": {"4": [9]},
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "Item 4" in bad.content.decode()
    listed = client.get(api).json()
    assert [r["answers"]["6"] for r in listed] == ["Bene così", "Meglio"]


def test_translations_are_shown_in_the_users_language(client, care):
    instrument = _build(None)
    with translation.override("en"):
        assert instrument.localised_name == "Being together"
        item = instrument.items.get(number=1)
        assert item.localised_text == "How much company do you feel you have?"
        assert item.answer_label(3) == "A lot"
        assert item.section.localised_title == "How you are"
        # no English given: the Italian is shown rather than nothing
        assert instrument.items.get(number=4).option_label(1) == "A piedi"
    api = client.get(reverse("api:outcomes-instrument-detail", args=[instrument.code])).json()
    assert [i["kind"] for i in api["items"]][:3] == ["likert", "likert", "numeric"]
    assert api["items"][0]["section"] == "Come stai" and api["purpose"] == "person"


def test_erasure_removes_words_and_choices_the_export_shows_them(care):
    from legami.referrals.services import subject_erase, subject_export

    referral = engage(care)
    instrument = _build(None)
    _answer(care, referral, instrument, {1: 2, 2: 2, 5: [1, 2], 6: "Abito in via Roma 3"})
    exported = subject_export(by=care["dpo"], beneficiary=referral.beneficiary)
    answers = exported["questionnaires"][0]["answers"]
    assert answers["5"] == [1, 2] and answers["6"] == "Abito in via Roma 3"
    subject_erase(by=care["dpo"], beneficiary=referral.beneficiary, reason="Richiesta prot. 2026/7")
    kept = {a.item.number: a for a in Answer.objects.all()}
    assert kept[6].text == "" and kept[5].choices == [] and kept[1].value == 2
