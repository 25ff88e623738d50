"""Where to act: for each comune of a territory, its remoteness (inner-area class, minutes to
the pole), the published activities per need and the people referred with that need (the
demand, which the referrals module counts and hides when small). A need asked for where no
activity answers it is where to act; the comuni with most of those come first, the most
remote before the others."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from legami.core.modules import metric
from legami.territory.models import Comune
from legami.territory.text import KIND, minutes, remoteness_rank

from ..models import Activity, ActivityStatus, TaxonomyTerm

# The referrals module's count of people per (comune, need); see referrals/demand.py.
NEED_DEMAND = "need_demand"


@dataclass
class NeedCell:
    need: TaxonomyTerm
    activities: int
    # People referred with this need: 0 none, None fewer than SMALL_CELL (not shown), else n.
    demand: int | None

    @property
    def to_act(self) -> bool:
        return self.activities == 0 and self.demand != 0


@dataclass
class ComuneNeeds:
    comune: Comune
    cells: list[NeedCell] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return KIND.get(self.comune.inner_area_class, "")

    @property
    def minutes(self) -> int | None:
        return minutes(self.comune)

    @property
    def to_act(self) -> list[NeedCell]:
        return [cell for cell in self.cells if cell.to_act]

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if not cell.activities)


def _priority(row: ComuneNeeds) -> tuple:
    acting = row.to_act
    # Hidden small counts weigh nothing here: the order must not tell 1 from 4.
    shown = sum(cell.demand or 0 for cell in acting)
    return (-len(acting), -shown, *remoteness_rank(row.comune), row.comune.name)


def need_coverage(user, comuni: QuerySet[Comune], needs: list[TaxonomyTerm]) -> list[ComuneNeeds]:
    """One row per comune of `comuni` (already limited to the user's territory), where to act
    first on top. Three queries whatever the number of comuni: the comuni, the activities per
    comune and need, the demand (with the referrals module's own scope check)."""
    need_ids = [need.pk for need in needs]
    rows = (
        Activity.terms.through.objects.filter(
            activity__status=ActivityStatus.PUBLISHED,
            activity__place__comune__in=comuni,
            taxonomyterm_id__in=need_ids,
        )
        .values("activity__place__comune_id", "taxonomyterm_id")
        .annotate(n=Count("activity_id", distinct=True))
        .order_by()
    )
    offer = {(row["activity__place__comune_id"], row["taxonomyterm_id"]): row["n"] for row in rows}
    counted = metric(NEED_DEMAND)
    demand = counted(user, comuni) if counted is not None else {}
    table = []
    for comune in comuni.select_related("province"):
        table.append(
            ComuneNeeds(
                comune=comune,
                cells=[
                    NeedCell(
                        need=need,
                        activities=offer.get((comune.pk, need.pk), 0),
                        demand=demand.get((comune.pk, need.pk), 0),
                    )
                    for need in needs
                ],
            )
        )
    table.sort(key=_priority)
    return table
