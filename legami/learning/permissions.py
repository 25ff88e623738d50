from legami.core.permissions import Policy, anyone, only
from legami.core.roles import DPO, TERRITORY_ADMIN

from .scopes import sessions_in_territory

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
        "forget": only(DPO, description="Erase a person's registrations (right to erasure)"),
    },
)
