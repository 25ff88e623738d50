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
        # A jurisdiction is the scope of everything an administrator or a link worker may see
        # and change: only a superuser grants or revokes it.
        "grant_jurisdiction": only(
            description="Grant or revoke the part of Italy a person works on"
        ),
        "load_comuni": only(description="Load ISTAT's list of comuni and the territory files"),
    },
)
