from legami.core.permissions import Policy, anyone, only
from legami.core.roles import CITIZEN, DPO, TERRITORY_ADMIN

from .scopes import registrations_of_user, sessions_in_territory

policy = Policy(
    "learning",
    {
        "browse": anyone(description="See the courses and their coming sessions"),
        "register": anyone(description="Register for a session with places left"),
        "manage": only(
            TERRITORY_ADMIN,
            scope=sessions_in_territory,
            description="Run courses: sessions, registrations, attendance",
        ),
        "own_registrations": only(
            CITIZEN,
            superuser=False,  # "mine" is a person's own; the superuser's would be everyone's
            scope=registrations_of_user,
            description="See the sessions one registered for while signed in",
        ),
        "forget": only(DPO, description="Erase a person's registrations (right to erasure)"),
    },
)
