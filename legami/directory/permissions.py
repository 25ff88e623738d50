from legami.core.permissions import Policy, anyone, only
from legami.core.roles import PROVIDER, TERRITORY_ADMIN
from legami.network.queries import organisations_editable

from .scopes import activities_editable, activities_in_territory, places_editable

policy = Policy(
    "directory",
    {
        # The offer is public: a citizen must find it without an account.
        "view": anyone(description="Search and read published activities"),
        # Scoped on the organisation the new activity or place belongs to.
        "add_listing": only(
            PROVIDER,
            TERRITORY_ADMIN,
            scope=organisations_editable,
            description="Create an activity for one of one's organisations",
        ),
        "manage_listings": only(
            PROVIDER,
            TERRITORY_ADMIN,
            scope=activities_editable,
            description="Create and edit the activities of one's organisations",
        ),
        "add_place": only(
            PROVIDER,
            TERRITORY_ADMIN,
            scope=organisations_editable,
            description="Create a place for one of one's organisations",
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
        # An HSDS bundle brings organisations and vocabulary for the whole network, beyond any
        # one territory: the system administrator's (or the command line's) alone.
        "import_hsds": only(description="Import an Open Referral HSDS bundle"),
        # The same files as `hsds_export`: drafts and suspended listings of every organisation.
        "export_hsds": only(description="Download the whole directory as HSDS files"),
    },
)
