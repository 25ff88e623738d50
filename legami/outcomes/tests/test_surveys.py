"""Organisation surveys and event feedback: who is asked, once per organisation, closed rounds
refused, anonymous feedback through the public link, results counted against hand counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from legami.network.models import Membership, Person, ProgrammePartner
from legami.outcomes.models import SurveyAnswer, SurveyResponse
from legami.outcomes.queries import surveys as queries_surveys
from legami.outcomes.services import builder as services_builder
from legami.outcomes.services import surveys as services_surveys

pytestmark = pytest.mark.django_db


def _questionnaire(purpose):
    draft = services_builder.questionnaire_create(by=None, data={"name": "Q", "purpose": purpose})
    for question in (
        {"kind": "likert", "text": "Soddisfazione", "scale_min": 1, "scale_max": 5},
        {"kind": "multiple", "text": "Cosa è cambiato?", "options": "Reti\nCompetenze\nPubblico"},
        {
            "kind": "numeric",
            "text": "Volontari attivi",
            "scale_min": 0,
            "scale_max": 100000,
            "required": True,
        },
        {"kind": "text", "text": "Commenti"},
    ):
        services_builder.item_add(by=None, instrument=draft, data=question)
    return services_builder.questionnaire_publish(by=None, instrument=draft, scored=False)


def _survey(purpose, programme=None, **dates):
    today = timezone.localdate()
    return services_surveys.survey_open(
        by=None,
        data={
            "instrument": _questionnaire(purpose),
            "title": "Indagine 2026",
            "programme": programme,
            "opens_on": dates.get("opens_on", today),
            "closes_on": dates.get("closes_on", today + timedelta(days=30)),
        },
    )


def test_only_the_programmes_partners_answer_and_each_once(client, care):
    survey = _survey("organisation", programme=care["programme"])
    client.force_login(care["provider"])
    url = reverse("outcomes:survey_answer", args=[survey.pk])
    assert client.get(url).status_code == 404  # the association is not a partner
    ProgrammePartner.objects.create(programme=care["programme"], organisation=care["association"])
    listed = client.get(reverse("outcomes:surveys_to_answer")).content.decode()
    assert "Indagine 2026" in listed
    answers = {
        "organisation": care["association"].pk,
        "item_1": "4",
        "item_2": ["1", "3"],
        "item_3": "12000",
        "item_4": "Più legami con la biblioteca",
    }
    assert client.post(url, answers).status_code == 302
    again = client.post(url, answers)
    assert again.status_code == 400 and "already answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    results = queries_surveys.survey_results(survey)
    assert [o.name for o in results["organisations"]] == [care["association"].name]


def test_bad_or_late_answers_are_refused_and_nothing_saved(care):
    ProgrammePartner.objects.create(programme=care["programme"], organisation=care["association"])
    survey = _survey("organisation", programme=care["programme"])
    org = care["association"]
    with pytest.raises(Exception, match="Item 3 needs an answer"):
        services_surveys.survey_answer_for_organisation(
            by=care["provider"], survey=survey, organisation=org, answers={1: 3}
        )
    with pytest.raises(Exception, match="between 1 and 5"):
        services_surveys.survey_answer_for_organisation(
            by=care["provider"], survey=survey, organisation=org, answers={1: 9, 3: 1}
        )
    with pytest.raises(Http404):  # not the provider's organisation
        services_surveys.survey_answer_for_organisation(
            by=care["provider"], survey=survey, organisation=care["outside_org"], answers={3: 1}
        )
    Membership.objects.create(
        person=Person.objects.get(user=care["provider"]),
        organisation=care["outside_org"],
        role_title="Volontario",
    )
    with pytest.raises(Exception, match="another programme"):
        services_surveys.survey_answer_for_organisation(
            by=care["provider"], survey=survey, organisation=care["outside_org"], answers={3: 1}
        )
    closed = _survey(
        "organisation",
        opens_on=timezone.localdate() - timedelta(days=10),
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(Exception, match="closed"):
        services_surveys.survey_answer_for_organisation(
            by=care["provider"], survey=closed, organisation=org, answers={3: 1}
        )
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()


def test_opening_a_survey_checks_its_questionnaire_and_dates(care):
    today = timezone.localdate()
    person = services_builder.questionnaire_create(by=None, data={"name": "P"})
    with pytest.raises(Exception, match="published questionnaire for organisations"):
        services_surveys.survey_open(
            by=None,
            data={"instrument": person, "title": "X", "opens_on": today, "closes_on": today},
        )
    with pytest.raises(Exception, match="close on or after"):
        _survey("event", opens_on=today, closes_on=today - timedelta(days=1))


def test_event_feedback_is_anonymous_and_counted(client, care):
    survey = _survey("event", programme=care["programme"])
    url = reverse("outcomes_public:feedback", args=[survey.token])
    given = [
        {"item_1": "5", "item_2": ["1", "2"], "item_3": "3"},
        {"item_1": "4", "item_2": ["2"], "item_3": "5", "item_4": "Bellissimo, torno!"},
        {"item_1": "5", "item_3": "10"},
    ]
    for answers in given:
        assert client.post(url, answers).status_code == 302
    bad = client.post(url, {"item_1": "7", "item_3": "1"})
    assert bad.status_code == 400 and SurveyResponse.objects.count() == 3
    assert SurveyResponse.objects.filter(submitted_by__isnull=False).count() == 0

    results = {row["item"].number: row for row in queries_surveys.survey_results(survey)["rows"]}
    assert results[1]["answered"] == 3 and results[1]["mean"] == pytest.approx(14 / 3)
    assert {c["value"]: c["count"] for c in results[1]["choices"]} == {1: 0, 2: 0, 3: 0, 4: 1, 5: 2}
    assert [(c["count"], c["share"]) for c in results[2]["choices"]] == [
        (1, 0.5),
        (2, 1.0),
        (0, 0.0),
    ]
    assert (results[3]["low"], results[3]["high"]) == (3, 10)
    assert results[4]["texts"] == ["Bellissimo, torno!"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM outcomes_surveyanswer WHERE text <> ''")
        assert all("torno" not in row[0] for row in cursor.fetchall())

    client.force_login(care["territory_admin"])
    page = client.get(reverse("outcomes:survey", args=[survey.pk])).content.decode()
    assert "Bellissimo, torno!" in page and survey.token in page and "<svg" in page

    survey.closes_on = survey.opens_on = timezone.localdate() - timedelta(days=1)
    survey.save()
    client.logout()
    assert client.get(url).status_code == 410
    assert client.get(reverse("outcomes_public:feedback", args=["nope"])).status_code == 410


def test_admin_opens_a_survey_from_the_page(client, care):
    instrument = _questionnaire("event")
    client.force_login(care["territory_admin"])
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("outcomes:surveys"),
        {
            "instrument": instrument.pk,
            "title": "Serata di lettura",
            "opens_on": today,
            "closes_on": today,
        },
    )
    assert response.status_code == 302
    listed = client.get(reverse("outcomes:surveys")).content.decode()
    assert "Serata di lettura" in listed


def test_api_answers_for_an_organisation_and_reads_results(client, care):
    ProgrammePartner.objects.create(programme=care["programme"], organisation=care["association"])
    survey = _survey("organisation", programme=care["programme"])
    url = reverse("api:outcomes-survey-answer", args=[survey.pk])
    body = {"organisation": care["association"].pk, "answers": {"1": 5, "2": [2], "3": 40}}
    client.force_login(care["provider"])
    assert client.post(url, body, content_type="application/json").status_code == 201
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "already answered" in again.content.decode()
    not_mine = {**body, "organisation": care["outside_org"].pk}
    refused = client.post(url, not_mine, content_type="application/json")
    assert refused.status_code == 400 and "not a member" in refused.content.decode()

    client.force_login(care["evaluator"])
    results = client.get(reverse("api:outcomes-survey-results", args=[survey.pk])).json()
    assert results["responses"] == 1 and results["organisations"] == [care["association"].name]
    assert results["rows"][0]["mean"] == 5.0 and results["rows"][1]["choices"][1]["count"] == 1


def test_results_page_queries_do_not_grow_with_answers(client, care, django_assert_num_queries):
    """The results are counted by the database: 3 or 30 answers, the same queries."""
    survey = _survey("event", programme=care["programme"])
    client.force_login(care["territory_admin"])
    url = reverse("outcomes:survey", args=[survey.pk])

    def answer(times):
        for n in range(times):
            services_surveys.feedback_submit(
                survey=survey, answers={1: 1 + n % 5, 2: [1 + n % 3], 3: n, 4: f"Nota {n}"}
            )

    answer(3)
    client.get(url)  # warm the session and the caches a first page fills
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    answer(27)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "answers",
    [{2: ["a", 1]}, {2: [{"x": 1}]}, {1: True}, {1: 2.5}, {4: ["testo"]}, {"x": 1}, {9: 1}],
)
def test_answers_of_any_wrong_type_are_refused_not_crashed(client, care, answers):
    survey = _survey("event")
    with pytest.raises(Exception) as raised:
        services_surveys.feedback_submit(survey=survey, answers=answers)
    assert "answers" in raised.value.message_dict
    assert not SurveyResponse.objects.exists()


def test_a_territory_admin_reads_only_the_surveys_of_programmes_it_runs(client, care):
    from legami.conftest import make_user
    from legami.territory.models import Jurisdiction

    survey = _survey("organisation", programme=care["programme"])
    client.force_login(care["territory_admin"])  # Tuscany: the programme's lead is theirs
    assert client.get(reverse("outcomes:survey", args=[survey.pk])).status_code == 200
    other = make_user("territory_admin", "territorio.altrove@test.legami.example")
    Jurisdiction.objects.create(user=other, comune=care["casalecchio"])
    client.force_login(other)
    assert client.get(reverse("outcomes:survey", args=[survey.pk])).status_code == 404
    assert "Indagine 2026" not in client.get(reverse("outcomes:surveys")).content.decode()
    api = client.get(reverse("api:outcomes-survey-results", args=[survey.pk]))
    assert api.status_code == 404


def test_one_connection_cannot_flood_event_feedback(client, care, monkeypatch):
    from legami.outcomes.views import surveys as views_surveys

    monkeypatch.setattr(views_surveys, "FEEDBACK_LIMIT", 2)
    survey = _survey("event")
    url = reverse("outcomes_public:feedback", args=[survey.token])
    for _ in range(2):
        assert client.post(url, {"item_1": "4", "item_3": "2"}).status_code == 302
    refused = client.post(url, {"item_1": "4", "item_3": "2"})
    assert refused.status_code == 429 and "many answers" in refused.content.decode()
    assert SurveyResponse.objects.count() == 2


def test_surveys_to_answer_take_the_same_queries_for_one_or_three(
    client, care, django_assert_num_queries
):
    ProgrammePartner.objects.create(programme=care["programme"], organisation=care["association"])
    client.force_login(care["provider"])
    url = reverse("outcomes:surveys_to_answer")
    _survey("organisation", programme=care["programme"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert "Indagine 2026" in client.get(url).content.decode()
    _survey("organisation")
    _survey("organisation", programme=care["programme"])
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("Indagine 2026") == 3
