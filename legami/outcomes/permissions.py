from legami.core.permissions import Policy, anyone, only
from legami.core.roles import EVALUATOR, LINK_WORKER, PROVIDER, TERRITORY_ADMIN

from .scopes import (
    evidence_in_scope,
    indicators_in_territory,
    organisations_answering,
    referrals_in_territory,
    referrals_to_measure,
    responses_in_territory,
    surveys_in_territory,
)

policy = Policy(
    "outcomes",
    {
        "library": anyone(description="Read the instrument library (no personal data)"),
        "administer": only(
            LINK_WORKER,
            scope=referrals_to_measure,
            description="Give questionnaires to the people of one's caseload; see their scores",
        ),
        "self_complete": anyone(description="Answer a questionnaire through a single-use link"),
        "dashboard": only(
            TERRITORY_ADMIN,
            EVALUATOR,
            scope=responses_in_territory,
            description="Impact on people: aggregate change, small cells suppressed",
        ),
        "research": only(EVALUATOR, description="Pseudonymised responses, no identity"),
        "evidence": only(
            TERRITORY_ADMIN,
            EVALUATOR,
            scope=evidence_in_scope,
            description=(
                "Record and read interviews and observations of one's programmes, code them, "
                "count themes"
            ),
        ),
        "sroi_read": only(
            TERRITORY_ADMIN, EVALUATOR, description="Read SROI analyses of the programmes"
        ),
        "sroi_edit": only(
            TERRITORY_ADMIN, description="Build SROI analyses: outcome map, proxies, investment"
        ),
        "priorities": only(
            TERRITORY_ADMIN,
            EVALUATOR,
            scope=referrals_in_territory,
            description="Needs recorded in referrals by comune and over time, small counts hidden",
        ),
        "build": only(
            TERRITORY_ADMIN,
            EVALUATOR,
            description="Build questionnaires: sections, questions, translations; publish them",
        ),
        "surveys": only(
            TERRITORY_ADMIN,
            EVALUATOR,
            scope=surveys_in_territory,
            description="Open organisation surveys and event feedback; read their results",
        ),
        "survey_answer": only(
            PROVIDER,
            scope=organisations_answering,
            description="Answer an organisation survey on behalf of one's organisation",
        ),
        "feedback": anyone(description="Give anonymous feedback on an event through its link"),
        "indicators_read": only(
            TERRITORY_ADMIN, EVALUATOR, description="Impact on organisations: indicators, targets"
        ),
        "indicators_edit": only(
            TERRITORY_ADMIN,
            scope=indicators_in_territory,
            description="Define indicators with targets and record their values",
        ),
    },
)
