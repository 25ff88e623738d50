"""Every impact-measurement URL, as every role and as an anonymous visitor, against a declared
matrix (the project-wide test in core checks every URL has a line here or elsewhere)."""

import pytest
from django.urls import reverse

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
    return {
        "outcomes:sroi_detail": {"pk": analysis.pk},
        "outcomes:sroi_outcome_remove": {"pk": analysis.outcomes.get().pk},
        "outcomes:person": {"pk": referral.pk},
        "outcomes:record": {"pk": referral.pk},
        "outcomes:link_create": {"pk": referral.pk},
        "outcomes_public:answer": {"token": "never-issued-token"},
        "api:outcomes-instrument-detail": {"code": "who5"},
        "api:outcomes-response-list": {"referral_pk": referral.pk},
    }.get(name, {})


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
