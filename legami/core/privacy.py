"""What figures and research extracts may show without singling anyone out: one threshold for
every module (dashboards, counts, indicators, extracts) and the generalisations the extracts use.

- An aggregate about fewer than `SMALL_CELL` people is not shown.
- A pseudonymised extract is k-anonymous with k = `SMALL_CELL` on its quasi-identifiers (what
  someone who knows the person could know: age, gender, where they live, the programme): ages
  become bands, comuni become their province and inner-area class, dates become months, and
  every row whose combination is shared by fewer than `SMALL_CELL` people is left out
  (generalise, then suppress).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Value, When

SMALL_CELL = 5

AGE_BANDS = ((0, 18, "0–17"), (18, 35, "18–34"), (35, 65, "35–64"), (65, 80, "65–79"))
OLDEST_BAND = "80+"
NOT_RECORDED = "-"


def age_band(birth_date: date | None, today: date) -> str:
    if birth_date is None:
        return NOT_RECORDED
    age = relativedelta(today, birth_date).years
    for low, high, label in AGE_BANDS:
        if low <= age < high:
            return label
    return OLDEST_BAND


def age_band_expression(birth_date: str, today: date) -> Case:
    """`age_band` computed by the database from the date field at the path `birth_date`."""
    whens = [
        When(
            **{
                f"{birth_date}__gt": today - relativedelta(years=high),
                f"{birth_date}__lte": today - relativedelta(years=low),
            },
            then=Value(label),
        )
        for low, high, label in AGE_BANDS
    ]
    return Case(
        *whens,
        When(**{f"{birth_date}__isnull": True}, then=Value(NOT_RECORDED)),
        default=Value(OLDEST_BAND),
        output_field=CharField(),
    )


def month(value) -> str:
    """A date (or time) generalised to its month, as research extracts give it."""
    return f"{value:%Y-%m}" if value else ""


def k_anonymous(people: Iterable[Sequence], k: int = SMALL_CELL) -> tuple[set, set]:
    """From (person, *quasi-identifiers) tuples, the combinations that at least `k` distinct
    people share and the people who appear under at least one of them."""
    by_class = defaultdict(set)
    for person, *quasi in people:
        by_class[tuple(quasi)].add(person)
    kept = {quasi for quasi, members in by_class.items() if len(members) >= k}
    shown = set().union(*(by_class[quasi] for quasi in kept)) if kept else set()
    return kept, shown
