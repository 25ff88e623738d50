"""The demo commands run only where made-up data are wanted: they create accounts with a
published password and TOTP secret, which on a production database would be open doors."""

from django.conf import settings
from django.core.management.base import CommandError

REFUSAL = (
    "{command} writes made-up data and demo accounts with a published password and second "
    "factor: it runs only on a development or demo site. Set DEBUG=1 or LEGAMI_DEMO=1 to run "
    "it (make demo and make bench do)."
)


def refuse_outside_demo(command: str) -> None:
    if not (settings.DEBUG or settings.LEGAMI_DEMO):
        raise CommandError(REFUSAL.format(command=command))
