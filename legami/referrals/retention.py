"""How long closed cases are kept, and who the retention job anonymises: the one home of the
rule, read by `services.subject.retention_run` (the real run) and by the command's --dry-run
(a count), so that the two cannot disagree.

The period is the setting `REFERRALS_RETENTION_DAYS` (5 years unless the deployment says
otherwise); below `MIN_DAYS` a closed case could vanish before its closing summary is filed.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OPEN_STATUSES, Beneficiary

MIN_DAYS = 30


def default_days() -> int:
    return settings.REFERRALS_RETENTION_DAYS


def days_checked(days: int | None) -> int:
    """The period asked for (the setting when None), refused under the floor."""
    days = default_days() if days is None else days
    if days < MIN_DAYS:
        raise ValidationError(
            {"older_than_days": _("Keep closed cases at least %(n)d days.") % {"n": MIN_DAYS}}
        )
    return days


def retention_candidates(*, older_than_days: int, now=None) -> QuerySet:
    """People not yet anonymised whose referrals all ended more than `older_than_days` ago."""
    now = now or timezone.now()
    limit = now - timedelta(days=older_than_days)
    return (
        Beneficiary.objects.filter(anonymised_at__isnull=True, referrals__isnull=False)
        .exclude(referrals__status__in=OPEN_STATUSES)
        .exclude(referrals__closed_at__gt=limit)
        .distinct()
        .order_by("pk")
    )
