"""Role names shared by every module's permission rules.

The role of a signed-in user is a field of accounts.User; core only reads it, so that the
permission machinery here needs nothing from the modules below.
"""

ANONYMOUS = "anonymous"
SUPERUSER = "superuser"
CITIZEN = "citizen"
PRESCRIBER = "prescriber"
LINK_WORKER = "link_worker"
PROVIDER = "provider"
TERRITORY_ADMIN = "territory_admin"
EVALUATOR = "evaluator"
DPO = "dpo"

ALL_ROLES = (
    CITIZEN,
    PRESCRIBER,
    LINK_WORKER,
    PROVIDER,
    TERRITORY_ADMIN,
    EVALUATOR,
    DPO,
    SUPERUSER,
)
STAFF_ROLES = frozenset(ALL_ROLES) - {CITIZEN}
# Roles that see personal data and therefore must sign in with a second factor. Evaluators
# too: pseudonymised extracts and interview transcripts are still personal data.
PERSONAL_DATA_ROLES = frozenset(
    {PRESCRIBER, LINK_WORKER, PROVIDER, TERRITORY_ADMIN, EVALUATOR, DPO, SUPERUSER}
)


def effective_role(user) -> str:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    if user.is_superuser:
        return SUPERUSER
    return user.role
