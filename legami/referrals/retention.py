"""Who the retention job would anonymise: people whose referrals all ended before the limit.

The same rule as `services.subject.retention_run`, as a query the command's --dry-run can count
without changing anything.
"""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import OPEN_STATUSES, Beneficiary


def retention_candidates(*, older_than_days: int, now=None) -> QuerySet:
    now = now or timezone.now()
    limit = now - timedelta(days=older_than_days)
    return (
        Beneficiary.objects.filter(anonymised_at__isnull=True, referrals__isnull=False)
        .exclude(referrals__status__in=OPEN_STATUSES)
        .exclude(referrals__closed_at__gt=limit)
        .distinct()
    )
