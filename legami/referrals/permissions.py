from legami.core.permissions import Policy, only
from legami.core.roles import (
    ANONYMOUS,
    CITIZEN,
    DPO,
    EVALUATOR,
    LINK_WORKER,
    PRESCRIBER,
    PROVIDER,
    TERRITORY_ADMIN,
)

from .scopes import (
    beneficiaries_in_care,
    beneficiaries_of_citizen,
    enrolments_for_provider,
    referrals_counted,
    referrals_followed,
    referrals_visible,
    referrals_workable,
)

policy = Policy(
    "referrals",
    {
        "refer": only(PRESCRIBER, description="Refer a person to social prescribing"),
        # Asking help for oneself is a person's own act: staff (the superuser too) use the
        # referral form, which records who referred.
        "self_refer": only(
            ANONYMOUS,
            CITIZEN,
            superuser=False,
            description="Refer oneself through the public form",
        ),
        "view": only(
            PRESCRIBER,
            LINK_WORKER,
            CITIZEN,
            scope=referrals_visible,
            description="Read referrals: one's organisation's, one's territory's, one's own",
        ),
        "closing_summary": only(
            PRESCRIBER,
            LINK_WORKER,
            scope=referrals_visible,
            description="Download the closing summary of an ended referral one may read",
        ),
        "work": only(
            LINK_WORKER,
            scope=referrals_workable,
            description="Hold a caseload: assign, move through the lifecycle, notes, matching",
        ),
        "link_account": only(
            PRESCRIBER,
            LINK_WORKER,
            scope=referrals_followed,
            description="Link a person's record to the citizen account they name: the "
            "prescriber who referred them, a link worker of their territory",
        ),
        "consent": only(
            LINK_WORKER,
            CITIZEN,
            scope=beneficiaries_in_care,
            description="Record that a person gives or withdraws a consent: the person "
            "themselves, or a link worker of their territory",
        ),
        "claim_record": only(
            CITIZEN,
            superuser=False,
            description="Ask to see, with a code sent to its e-mail, a record that is one's own",
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
