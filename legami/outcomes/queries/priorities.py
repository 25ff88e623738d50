"""Social priorities: the needs social workers record in referrals, by comune and over time,
so that what they see steers which activities are planned. Counts under the small-cell
threshold (core.privacy) are hidden."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from legami.core.privacy import SMALL_CELL
from legami.directory.models import Taxonomy, TaxonomyTerm
from legami.referrals.models import Referral
from legami.territory.models import Comune

QUARTERS = 8


@dataclass
class Priorities:
    needs: list[TaxonomyTerm]
    quarters: list[date]
    # need id -> quarter -> count (None: fewer than SMALL_CELL)
    by_quarter: dict[int, dict[date, int | None]] = field(default_factory=dict)
    comuni: list[Comune] = field(default_factory=list)
    # comune id -> need id -> count (None: fewer than SMALL_CELL)
    by_comune: dict[int, dict[int, int | None]] = field(default_factory=dict)


def _hidden(count: int) -> int | None:
    return count if count >= SMALL_CELL else None


def _quarter_starts(today: date, count: int) -> list[date]:
    starts, year, month = [], today.year, 3 * ((today.month - 1) // 3) + 1
    for _ in range(count):
        starts.append(date(year, month, 1))
        month -= 3
        if month < 1:
            month, year = month + 12, year - 1
    return list(reversed(starts))


def priorities(referrals: QuerySet[Referral], *, top_comuni: int = 30) -> Priorities:
    """Needs of the referrals received in the last eight quarters: per quarter, and per comune
    for the `top_comuni` comuni with most referrals. Two grouped queries and two lookups."""
    quarters = _quarter_starts(timezone.localdate(), QUARTERS)
    recent = referrals.filter(received_at__date__gte=quarters[0])
    needs = list(
        TaxonomyTerm.objects.filter(taxonomy__code=Taxonomy.NEED).order_by("position", "name")
    )
    result = Priorities(needs=needs, quarters=quarters)
    rows = (
        recent.annotate(quarter=TruncQuarter("received_at"))
        .values("quarter", "reasons")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["reasons"] is None:
            continue
        quarter = row["quarter"]
        quarter = quarter.date() if hasattr(quarter, "date") else quarter
        result.by_quarter.setdefault(row["reasons"], {})[quarter] = _hidden(row["count"])
    per_comune = recent.values("comune", "reasons").annotate(count=Count("pk")).order_by()
    totals: dict[int, int] = {}
    for row in per_comune:
        if row["reasons"] is None:
            continue
        totals[row["comune"]] = totals.get(row["comune"], 0) + row["count"]
        result.by_comune.setdefault(row["comune"], {})[row["reasons"]] = _hidden(row["count"])
    busiest = sorted(totals, key=lambda pk: -totals[pk])[:top_comuni]
    result.comuni = sorted(Comune.objects.filter(pk__in=busiest), key=lambda c: c.name)
    return result
