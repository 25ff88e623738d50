from legami.core.permissions import Policy, anyone, only
from legami.core.roles import PROVIDER, TERRITORY_ADMIN

from .queries import bodies_editable, organisations_editable, people_in_scope, programmes_editable

policy = Policy(
    "network",
    {
        # Organisations, programmes and their governance are public: transparency is part of
        # shared administration. People are personal data and stay with administrators.
        "view": anyone(description="See organisations, relationships, programmes and bodies"),
        "add_organisation": only(TERRITORY_ADMIN, description="Add an organisation"),
        "change_organisation": only(
            TERRITORY_ADMIN,
            PROVIDER,
            scope=organisations_editable,
            description="Edit an organisation and its relationships",
        ),
        "view_person": only(TERRITORY_ADMIN, scope=people_in_scope, description="See people"),
        # Scoped on the organisation the person joins.
        "add_person": only(
            TERRITORY_ADMIN,
            scope=organisations_editable,
            description="Add a person to an organisation",
        ),
        "change_person": only(TERRITORY_ADMIN, scope=people_in_scope, description="Edit a person"),
        # Scoped on the lead partner, when there is one.
        "add_programme": only(
            TERRITORY_ADMIN, scope=organisations_editable, description="Create a programme"
        ),
        "change_programme": only(
            TERRITORY_ADMIN, scope=programmes_editable, description="Edit a programme"
        ),
        "change_body": only(
            TERRITORY_ADMIN,
            scope=bodies_editable,
            description="Edit a governance body, its members, meetings and decisions",
        ),
    },
)
