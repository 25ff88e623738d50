from django.utils.translation import gettext_lazy as _

from .modules import Entry, Manifest
from .policy import policy

MODULE = Manifest(
    label="core",
    title=_("Data protection"),
    menu=(Entry(_("Access log"), "core:audit_log", policy, "view_audit_log", order=61),),
    work=(
        Entry(
            _("Audit and access log"),
            "core:audit_log",
            policy,
            "view_audit_log",
            description=_("Who read or changed a person's data, when and why."),
        ),
    ),
)
