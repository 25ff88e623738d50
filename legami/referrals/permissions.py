from legami.core.permissions import Policy, anyone, only
from legami.core.roles import (
    CITIZEN,
    DPO,
    EVALUATOR,
    LINK_WORKER,
    PRESCRIBER,
    PROVIDER,
    TERRITORY_ADMIN,
)

from .scopes import (
    beneficiaries_of_citizen,
    enrolments_for_provider,
    referrals_counted,
    referrals_visible,
    referrals_workable,
)

policy = Policy(
    "referrals",
    {
        "refer": only(PRESCRIBER, description="Refer a person to social prescribing"),
        "self_refer": anyone(description="Refer oneself through the public form"),
        "view": only(
            PRESCRIBER,
            LINK_WORKER,
            CITIZEN,
            scope=referrals_visible,
            description="Read referrals: one's organisation's, one's territory's, one's own",
        ),
        "work": only(
            LINK_WORKER,
            scope=referrals_workable,
            description="Hold a caseload: assign, move through the lifecycle, notes, matching",
        ),
        "link_account": only(
            PRESCRIBER,
            LINK_WORKER,
            scope=referrals_visible,
            description="Link a person's record to the citizen account they name",
        ),
        "respond": only(
            PROVIDER,
            scope=enrolments_for_provider,
            description="Answer referrals sent to one's activities and keep the register",
        ),
        "own_data": only(
            CITIZEN,
            scope=beneficiaries_of_citizen,
            description="See one's own record, consents and who accessed it",
        ),
        "configure": only(
            TERRITORY_ADMIN, description="Set service levels and matching weights of a district"
        ),
        "demand": only(
            TERRITORY_ADMIN,
            scope=referrals_counted,
            description="Count referred people per comune and need, small counts hidden",
        ),
        "subject_requests": only(DPO, description="Export or erase a person's data; run retention"),
        "research": only(EVALUATOR, description="Pseudonymised referral data, no identity"),
    },
)
