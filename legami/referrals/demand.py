"""Demand for the directory's coverage page: how many people living in each comune were
referred with each need. The directory sits above referrals in the module order and may not
import it, so the count reaches it through this module's manifest (`metrics["need_demand"]`,
read with `core.modules.metric`). Raw counts never leave this module: a count of fewer than
`SMALL_CELL` people comes out as None (shown as "fewer than" the threshold), a zero is simply
absent."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from legami.core.privacy import SMALL_CELL
from legami.directory.models import Taxonomy

from .models import OPEN_STATUSES, Referral
from .permissions import policy

# Besides the open referrals, those received this recently still say what the comune asks for.
RECENT_DAYS = 365
NEED_DEMAND = "need_demand"


def need_demand(user, comuni: QuerySet) -> dict[tuple[int, int], int | None]:
    """{(comune id, need term id): people} for the open or recent referrals of people living
    in `comuni`, within what `user` may count (the territory admin's jurisdictions). People,
    not referrals: someone referred twice for the same need is one person asking. One grouped
    query."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    referrals = policy.scope(
        user,
        "demand",
        Referral.objects.filter(
            Q(status__in=OPEN_STATUSES) | Q(received_at__gte=since), comune__in=comuni
        ),
    )
    rows = (
        Referral.reasons.through.objects.filter(
            referral__in=referrals, taxonomyterm__taxonomy__code=Taxonomy.NEED
        )
        .values("referral__comune_id", "taxonomyterm_id")
        .annotate(people=Count("referral__beneficiary_id", distinct=True))
        .order_by()
    )
    return {
        (row["referral__comune_id"], row["taxonomyterm_id"]): (
            row["people"] if row["people"] >= SMALL_CELL else None
        )
        for row in rows
    }
