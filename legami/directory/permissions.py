from legami.core.permissions import Policy, anyone, only
from legami.core.roles import PROVIDER, TERRITORY_ADMIN

from .scopes import activities_editable, activities_in_territory, places_editable

policy = Policy(
    "directory",
    {
        # The offer is public: a citizen must find it without an account.
        "view": anyone(description="Search and read published activities"),
        "manage_listings": only(
            PROVIDER,
            TERRITORY_ADMIN,
            scope=activities_editable,
            description="Create and edit the activities of one's organisations",
        ),
        "manage_places": only(
            PROVIDER,
            TERRITORY_ADMIN,
            scope=places_editable,
            description="Create and edit the places of one's organisations",
        ),
        "moderate": only(
            TERRITORY_ADMIN,
            scope=activities_in_territory,
            description="Publish or suspend listings in one's territory",
        ),
        "manage_taxonomy": only(TERRITORY_ADMIN, description="Edit domains, needs, target groups"),
        "view_coverage": only(TERRITORY_ADMIN, description="See comuni without activities"),
        "import": only(PROVIDER, TERRITORY_ADMIN, description="Import activities from a file"),
    },
)
