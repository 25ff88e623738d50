from django.utils.translation import gettext_lazy as _

from legami.core.modules import Entry, Manifest
from legami.core.roles import ANONYMOUS, CITIZEN, PROVIDER, TERRITORY_ADMIN

from . import queries
from .permissions import policy

MODULE = Manifest(
    label="directory",
    title=_("Community directory"),
    menu=(Entry(_("Activities"), "directory:search", policy, "view", order=10),),
    work=(
        Entry(
            _("Find an activity"),
            "directory:search",
            policy,
            "view",
            description=_("Groups, courses and places near you, free ones too."),
            roles=frozenset({CITIZEN}),
            order=10,
        ),
        Entry(
            _("My listings"),
            "directory:manage",
            policy,
            "manage_listings",
            description=_("Your activities: schedules, places, costs, published or not."),
            roles=frozenset({PROVIDER}),
            count=queries.stale_activity_count,
            count_label=_("to verify"),
            order=20,
        ),
        Entry(
            _("Directory moderation"),
            "directory:manage",
            policy,
            "moderate",
            description=_("Listings of your territory: publish, suspend, check."),
            count=queries.stale_activity_count,
            count_label=_("to verify"),
            order=20,
        ),
        Entry(_("Places"), "directory:place_list", policy, "manage_places", order=30),
        Entry(
            _("Import activities"),
            "directory:import_upload",
            policy,
            "import",
            description=_("From a spreadsheet, with a dry run first."),
            order=40,
        ),
        Entry(
            _("Import HSDS"),
            "directory:hsds_import_upload",
            policy,
            "import_hsds",
            description=_("An Open Referral HSDS file or archive, with a dry run first."),
            order=45,
        ),
        Entry(
            _("Vocabularies"),
            "directory:taxonomy",
            policy,
            "manage_taxonomy",
            description=_("Domains, needs and target groups, in three languages."),
            order=50,
        ),
        Entry(
            _("Coverage gaps"),
            "directory:coverage",
            policy,
            "view_coverage",
            description=_("Comuni with no activity in a domain."),
            roles=frozenset({TERRITORY_ADMIN}),
            order=60,
        ),
    ),
    home=(
        Entry(
            _("Find an activity"),
            "directory:search",
            policy,
            "view",
            description=_(
                "Walks, choirs, reading groups, gardens, courses: what is on near you, on a "
                "list or a map, free ones too."
            ),
            cta=_("Search activities"),
            roles=frozenset({ANONYMOUS, CITIZEN}),
            group="citizen",
            order=10,
        ),
    ),
)
