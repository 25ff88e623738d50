from legami.core.permissions import Policy, anyone, only
from legami.core.roles import TERRITORY_ADMIN

from .queries import district_in_scope

policy = Policy(
    "territory",
    {
        # ISTAT geography and districts are public open data.
        "view": anyone(description="Browse regions, provinces, comuni and districts"),
        "add_district": only(TERRITORY_ADMIN, description="Define a district"),
        "change_district": only(
            TERRITORY_ADMIN, scope=district_in_scope, description="Edit a district"
        ),
    },
)
