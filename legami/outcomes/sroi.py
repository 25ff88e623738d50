"""Social return on investment, as the SROI Network's guide computes it (pure functions, no
Django).

For each outcome: impact per year = quantity × financial proxy × (1 − deadweight)
× (1 − displacement) × (1 − attribution); in year t (1 … duration) it is reduced by drop-off,
× (1 − drop-off)^(t − 1), and discounted, ÷ (1 + rate)^t. The present value is the sum over
outcomes and years; the SROI ratio is present value ÷ investment. Rates are fractions (0.1 for
10%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class OutcomeValue:
    quantity: float
    proxy: float  # euro per unit of quantity per year
    duration: int  # years
    deadweight: float = 0.0
    attribution: float = 0.0
    displacement: float = 0.0
    drop_off: float = 0.0

    def impact(self) -> float:
        return (
            self.quantity
            * self.proxy
            * (1 - self.deadweight)
            * (1 - self.displacement)
            * (1 - self.attribution)
        )


def check(outcome: OutcomeValue) -> list[str]:
    """What makes the outcome impossible to value, in words (English: the service translates
    field by field)."""
    problems = []
    if outcome.quantity < 0:
        problems.append("quantity")
    if outcome.proxy < 0:
        problems.append("proxy")
    if not 1 <= outcome.duration <= 50:
        problems.append("duration")
    for name in ("deadweight", "attribution", "displacement", "drop_off"):
        if not 0 <= getattr(outcome, name) <= 1:
            problems.append(name)
    return problems


def yearly_values(outcome: OutcomeValue, rate: float) -> list[float]:
    """The discounted value of the outcome in each year of its duration."""
    impact = outcome.impact()
    return [
        impact * (1 - outcome.drop_off) ** (year - 1) / (1 + rate) ** year
        for year in range(1, outcome.duration + 1)
    ]


def present_value(outcomes: Sequence[OutcomeValue], rate: float) -> float:
    return sum(sum(yearly_values(outcome, rate)) for outcome in outcomes)


def ratio(outcomes: Sequence[OutcomeValue], rate: float, investment: float) -> float | None:
    """Present value per euro invested; None without an investment to divide by."""
    if investment <= 0:
        return None
    return present_value(outcomes, rate) / investment


@dataclass(frozen=True)
class Sensitivity:
    label: str
    ratio: float | None


def sensitivity(
    outcomes: Sequence[OutcomeValue], rate: float, investment: float
) -> list[Sensitivity]:
    """The ratio when one assumption moves, all outcomes at once: what a reader should test
    before trusting the headline figure."""

    def moved(**change) -> list[OutcomeValue]:
        return [
            replace(o, **{k: min(1.0, max(0.0, f(o))) for k, f in change.items()}) for o in outcomes
        ]

    cases = [
        ("base", outcomes, rate),
        ("deadweight +10 points", moved(deadweight=lambda o: o.deadweight + 0.1), rate),
        ("attribution +10 points", moved(attribution=lambda o: o.attribution + 0.1), rate),
        ("drop-off +10 points", moved(drop_off=lambda o: o.drop_off + 0.1), rate),
        (
            "financial proxies −20%",
            [replace(o, proxy=o.proxy * 0.8) for o in outcomes],
            rate,
        ),
        ("duration 1 year", [replace(o, duration=1) for o in outcomes], rate),
        ("discount rate +2 points", outcomes, rate + 0.02),
    ]
    return [Sensitivity(label, ratio(values, r, investment)) for label, values, r in cases]
