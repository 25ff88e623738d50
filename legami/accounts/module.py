from django.utils.translation import gettext_lazy as _

from legami.core.modules import Entry, Manifest

from .permissions import policy

MODULE = Manifest(
    label="accounts",
    title=_("Your account"),
    work=(
        Entry(_("Two-factor authentication"), "mfa_index", policy, "own_account", order=80),
        Entry(_("Change password"), "account_change_password", policy, "own_account", order=81),
        Entry(_("Back office"), "admin:index", policy, "back_office", order=90),
    ),
)
