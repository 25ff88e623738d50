"""Role names shared by every module's permission rules.

The role of a signed-in user is a field of accounts.User; core only reads it, so that the
permission machinery here needs nothing from the modules below.
"""

from django.utils.translation import gettext_lazy as _

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
# The titles of the roles, in one place: accounts' choices and the access log read them.
LABELS = {
    CITIZEN: _("citizen"),
    PRESCRIBER: _("prescriber"),
    LINK_WORKER: _("link worker"),
    PROVIDER: _("provider"),
    TERRITORY_ADMIN: _("territory administrator"),
    EVALUATOR: _("evaluator"),
    DPO: _("data protection officer"),
    SUPERUSER: _("system administrator"),
    ANONYMOUS: _("the service (automatic)"),
}
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
