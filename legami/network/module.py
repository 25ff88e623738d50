from django.utils.translation import gettext_lazy as _

from legami.core.modules import Entry, Manifest

from .permissions import policy

MODULE = Manifest(
    label="network",
    title=_("Network and programmes"),
    menu=(
        Entry(_("Network of actors"), "network:organisation_list", policy, "view", order=80),
        Entry(_("Programmes"), "network:programme_list", policy, "view", order=85),
    ),
    work=(
        Entry(
            _("Programmes"),
            "network:programme_list",
            policy,
            "add_programme",
            description=_("Partners, funders, territory and governance bodies."),
            order=10,
        ),
        Entry(
            _("Organisations"),
            "network:organisation_list",
            policy,
            "add_organisation",
            order=20,
        ),
        Entry(
            _("People"),
            "network:person_list",
            policy,
            "view_person",
            description=_("The people of the organisations and their roles."),
            order=30,
        ),
    ),
    home=(
        Entry(
            _("Network of actors"),
            "network:organisation_list",
            policy,
            "view",
            description=_(
                "Organisations, their relationships and the programmes they run together."
            ),
            cta=_("Explore the network"),
            order=80,
        ),
        Entry(
            _("Programmes"),
            "network:programme_list",
            policy,
            "view",
            description=_(
                "Partners, funders, territory covered and governance bodies of each programme."
            ),
            cta=_("See the programmes"),
            order=85,
        ),
    ),
)
