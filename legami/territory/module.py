from django.utils.translation import gettext_lazy as _

from legami.core.modules import Entry, Manifest

from .permissions import policy

MODULE = Manifest(
    label="territory",
    title=_("Territory"),
    menu=(Entry(_("Territory"), "territory:region_list", policy, "view", order=90),),
    work=(
        Entry(
            _("Districts"),
            "territory:district_list",
            policy,
            "add_district",
            description=_("The comuni of each district and its planning office."),
        ),
    ),
    home=(
        Entry(
            _("Territory"),
            "territory:region_list",
            policy,
            "view",
            description=_("Regions, provinces, comuni and districts."),
            cta=_("Browse the territory"),
            order=90,
        ),
    ),
)
