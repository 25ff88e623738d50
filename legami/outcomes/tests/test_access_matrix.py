"""Every impact-measurement URL, as every role and as an anonymous visitor, against a declared
matrix (the project-wide test in core checks every URL has a line here or elsewhere)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from legami.core.roles import ALL_ROLES
from legami.core.tests.test_access_matrix import ANON, EVERYONE, api_only, signed_in
from legami.referrals.tests.conftest import engage

EVERY_CALLER = [ANON, *ALL_ROLES]


def with_(base: dict, **codes) -> dict:
    return {**base, **codes}


MATRIX = {
    "outcomes:dashboard": signed_in({"territory_admin", "evaluator"}),
    "outcomes:dashboard_xlsx": signed_in({"territory_admin", "evaluator"}),
    "outcomes:dashboard_pdf": signed_in({"territory_admin", "evaluator"}),
    "outcomes:due": signed_in({"link_worker"}),
    "outcomes:priorities": signed_in({"territory_admin", "evaluator"}),
    "outcomes:evidence": signed_in({"territory_admin", "evaluator"}),
    "outcomes:code_add": dict.fromkeys(EVERY_CALLER, 405),
    "outcomes:sroi_list": signed_in({"territory_admin", "evaluator"}),
    "outcomes:sroi_detail": signed_in({"territory_admin", "evaluator"}),
    "outcomes:sroi_outcome_remove": dict.fromkeys(EVERY_CALLER, 405),
    "outcomes:questionnaires": signed_in({"territory_admin", "evaluator"}),
    "outcomes:questionnaire": signed_in({"territory_admin", "evaluator"}),
    "outcomes:section_add": dict.fromkeys(EVERY_CALLER, 405),
    "outcomes:item_add": dict.fromkeys(EVERY_CALLER, 405),
    "outcomes:publish": dict.fromkeys(EVERY_CALLER, 405),
    "outcomes:copy": dict.fromkeys(EVERY_CALLER, 405),
    "outcomes:item_remove": dict.fromkeys(EVERY_CALLER, 405),
    "outcomes:item_move": dict.fromkeys(EVERY_CALLER, 405),
    "outcomes:surveys": signed_in({"territory_admin", "evaluator"}),
    "outcomes:survey": signed_in({"territory_admin", "evaluator"}),
    "outcomes:surveys_to_answer": signed_in({"provider"}),
    # the superuser belongs to no organisation: no survey asks them
    "outcomes:survey_answer": with_(signed_in({"provider"}), superuser=404),
    "outcomes:organisations": signed_in({"territory_admin", "evaluator"}),
    "outcomes:reading_add": dict.fromkeys(EVERY_CALLER, 405),
    # an open event-feedback form: anyone who took part answers, without an account
    "outcomes_public:feedback": EVERYONE,
    "outcomes:person": signed_in({"link_worker"}),
    # without a questionnaire chosen, the form sends the worker back to the person's page
    "outcomes:record": with_(signed_in({"link_worker"}), link_worker=302, superuser=302),
    "outcomes:link_create": dict.fromkeys(EVERY_CALLER, 405),
    "outcomes:research_csv": signed_in({"evaluator"}),
    "outcomes:answer_done": EVERYONE,
    # a token that was never issued: "gone", for everyone alike
    "outcomes_public:answer": dict.fromkeys(EVERY_CALLER, 410),
    "api:outcomes-instrument-list": EVERYONE,
    "api:outcomes-instrument-detail": EVERYONE,
    "api:outcomes-response-list": api_only({"link_worker"}),
    "api:outcomes-survey-list": api_only({"territory_admin", "evaluator"}),
    "api:outcomes-survey-detail": api_only({"territory_admin", "evaluator"}),
    "api:outcomes-survey-results": api_only({"territory_admin", "evaluator"}),
    # answering is a POST: a GET is no action of the policy, refused to all
    "api:outcomes-survey-answer": dict.fromkeys(EVERY_CALLER, 403),
    # allowed, but the programme is a required parameter
    "api:outcomes-indicator-list": with_(
        api_only({"territory_admin", "evaluator"}),
        territory_admin=400,
        evaluator=400,
        superuser=400,
    ),
    # allowed, but the questionnaire is a required parameter
    "api:outcomes-impact-list": with_(
        api_only({"territory_admin", "evaluator"}),
        territory_admin=400,
        evaluator=400,
        superuser=400,
    ),
}


def _kwargs(name, referral):
    analysis = _analysis(referral)
    built = _built()
    return {
        "outcomes:questionnaire": {"pk": built["instrument"].pk},
        "outcomes:section_add": {"pk": built["instrument"].pk},
        "outcomes:item_add": {"pk": built["instrument"].pk},
        "outcomes:publish": {"pk": built["instrument"].pk},
        "outcomes:copy": {"pk": built["instrument"].pk},
        "outcomes:item_remove": {"pk": built["item"].pk},
        "outcomes:item_move": {"pk": built["item"].pk},
        "outcomes:survey": {"pk": built["survey"].pk},
        "outcomes:survey_answer": {"pk": built["survey"].pk},
        "api:outcomes-survey-detail": {"pk": built["survey"].pk},
        "api:outcomes-survey-results": {"pk": built["survey"].pk},
        "api:outcomes-survey-answer": {"pk": built["survey"].pk},
        "outcomes:reading_add": {"pk": built["indicator"].pk},
        "outcomes_public:feedback": {"token": built["feedback"].token},
        "outcomes:sroi_detail": {"pk": analysis.pk},
        "outcomes:sroi_outcome_remove": {"pk": analysis.outcomes.get().pk},
        "outcomes:person": {"pk": referral.pk},
        "outcomes:record": {"pk": referral.pk},
        "outcomes:link_create": {"pk": referral.pk},
        "outcomes_public:answer": {"token": "never-issued-token"},
        "api:outcomes-instrument-detail": {"code": "who5"},
        "api:outcomes-response-list": {"referral_pk": referral.pk},
    }.get(name, {})


def _built():
    """A published organisation survey open to every organisation, an open event-feedback
    round and a manual indicator."""
    from legami.network.models import Organisation, Programme, ProgrammePartner
    from legami.outcomes.models import Indicator, Survey
    from legami.outcomes.services import builder as services_builder
    from legami.outcomes.services import indicators as services_indicators
    from legami.outcomes.services import surveys as services_surveys

    survey = Survey.objects.filter(token__isnull=True).first()
    if survey is None:
        today = timezone.localdate()
        made = {}
        programme = Programme.objects.first()
        ProgrammePartner.objects.get_or_create(
            programme=programme, organisation=Organisation.objects.get(name__contains="Amiata")
        )
        for purpose in ("organisation", "event"):
            questionnaire = services_builder.questionnaire_create(
                by=None, data={"name": f"Prova {purpose}", "purpose": purpose}
            )
            services_builder.item_add(
                by=None,
                instrument=questionnaire,
                data={"kind": "single", "text": "Com'è andata?", "options": "Bene\nMale"},
            )
            questionnaire = services_builder.questionnaire_publish(
                by=None, instrument=questionnaire, scored=False
            )
            made[purpose] = services_surveys.survey_open(
                by=None,
                data={
                    "instrument": questionnaire,
                    "title": f"Indagine {purpose}",
                    "programme": programme if purpose == "organisation" else None,
                    "opens_on": today,
                    "closes_on": today,
                },
            )
        services_indicators.indicator_create(
            by=None,
            data={
                "programme": Programme.objects.first(),
                "area": "competences",
                "name": "Ore di formazione",
                "target_value": 100,
                "target_date": today,
            },
        )
        survey = made["organisation"]
    return {
        "instrument": survey.instrument,
        "item": survey.instrument.items.get(),
        "survey": survey,
        "feedback": Survey.objects.get(token__isnull=False),
        "indicator": Indicator.objects.get(),
    }


def _analysis(referral):
    from legami.network.models import Programme
    from legami.outcomes.models import SroiAnalysis

    analysis = SroiAnalysis.objects.first()
    if analysis is None:
        analysis = SroiAnalysis.objects.create(
            programme=Programme.objects.first(),
            title="Prova",
            investment=1000,
            investment_note="Finanziamento",
        )
        analysis.outcomes.create(
            stakeholder="Persone",
            outcome="Meno sole",
            indicator="UCLA-3",
            quantity=10,
            proxy=100,
            proxy_source="Esempio",
        )
    return analysis


@pytest.mark.parametrize("role", EVERY_CALLER)
def test_every_outcomes_url_answers_each_role_as_declared(role, care, client_for):
    referral = engage(care)
    client = client_for(None if role == ANON else role)
    wrong = []
    for name, expected in MATRIX.items():
        url = reverse(name, kwargs=_kwargs(name, referral))
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{name} ({url}): {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", ["outcomes:person", "api:outcomes-response-list"])
def test_a_person_outside_the_workers_territory_is_404(name, care, client):
    referral = engage(care)
    client.force_login(care["outside_worker"])
    assert client.get(reverse(name, kwargs=_kwargs(name, referral))).status_code == 404
