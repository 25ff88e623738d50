from legami.core.permissions import Policy, only
from legami.core.roles import ALL_ROLES, SUPERUSER

policy = Policy(
    "accounts",
    {
        "own_account": only(*ALL_ROLES, description="Change one's password and second factor"),
        "back_office": only(SUPERUSER, description="Use the Django back office"),
        "manage_accounts": only(
            description="Open accounts, change their role, switch them off (the back office)"
        ),
    },
)
