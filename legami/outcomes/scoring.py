"""The scoring engine: reads an instrument's rule (JSON in `Instrument.scoring`) and turns answers
into scores. Nothing here knows any instrument by name; a new instrument is new data.

Rules understood:

    {"method": "sum", "items": [1, 2, 3], "multiplier": 4, "missing": "none_allowed"}
        score = (sum of the items, reverse items flipped) x multiplier
    {"method": "sum_then_table", "table": {"7": 7.0, ...}, "missing": "none_allowed"}
        raw sum looked up in a conversion table (e.g. a Rasch transformation)
    {"method": "per_item", "subscales": {"anxiety": {"items": [4], "higher_is_better": false}},
     "missing": "each_item"}
        no total: each subscale gets its own score (the sum of its items)
    {"method": "none"}
        no score (a built questionnaire of choices and words): complete when every item marked
        as needed has an answer

`items` defaults to every item of the instrument. `missing`:
    "none_allowed"  any unanswered item leaves the score uncomputed (the response is incomplete)
    "each_item"     (per_item only) each subscale is scored if all its own items are answered
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

METHODS = ("sum", "sum_then_table", "per_item", "none")
# The kinds of item whose answer is one number (scales, numbers, one choice); free text and
# multiple choices are recorded but never scored.
SCORABLE = ("likert", "numeric", "single")
MISSING_RULES = ("none_allowed", "each_item")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemSpec:
    number: int
    scale_min: int
    scale_max: int
    reverse: bool = False
    subscale: str = ""


@dataclass(frozen=True)
class Result:
    is_complete: bool
    raw_score: Decimal | None = None
    score: Decimal | None = None
    subscale_scores: dict[str, Decimal | None] = field(default_factory=dict)


def _specs(instrument, items=None) -> dict[int, ItemSpec]:
    """The items a rule may score: those with one numeric answer and a range."""
    return {
        item.number: ItemSpec(
            item.number, item.scale_min, item.scale_max, item.reverse, item.subscale
        )
        for item in (items if items is not None else instrument.items.all())
        if item.kind in SCORABLE and item.scale_min is not None and item.scale_max is not None
    }


def _decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _rule_items(rule: dict, specs: dict[int, ItemSpec]) -> list[int]:
    return list(rule.get("items") or sorted(specs))


def subscales(rule: dict, specs: dict[int, ItemSpec]) -> dict[str, dict]:
    """The subscales of a per-item rule: named in the rule, or else one per item (by the item's
    `subscale`, or "item_<n>")."""
    declared = rule.get("subscales")
    if declared:
        return {
            name: spec if isinstance(spec, dict) else {"items": spec}
            for name, spec in declared.items()
        }
    return {(specs[n].subscale or f"item_{n}"): {"items": [n]} for n in _rule_items(rule, specs)}


def rule_errors(rule: dict, specs: dict[int, ItemSpec]) -> list[str]:
    """What is wrong with a scoring rule, in English (for the instrument check)."""
    if not isinstance(rule, dict):
        return ["the scoring rule must be an object"]
    method = rule.get("method")
    if method not in METHODS:
        return [f"unknown scoring method {method!r}"]
    if method == "none":
        return []
    errors = []
    missing = rule.get("missing", "none_allowed")
    if missing not in MISSING_RULES:
        errors.append(f"unknown missing-answer rule {missing!r}")
    elif missing == "each_item" and method != "per_item":
        errors.append('the missing-answer rule "each_item" only applies to per-item scoring')
    referenced = list(rule.get("items") or [])
    if method == "per_item":
        for name, sub in (rule.get("subscales") or {}).items():
            sub_items = sub.get("items") if isinstance(sub, dict) else sub
            if not sub_items:
                errors.append(f"subscale {name!r} names no items")
            referenced += list(sub_items or [])
    for number in referenced:
        if number not in specs:
            errors.append(
                f"the rule refers to item {number}, which the instrument does not have "
                "as a scale, number or single choice"
            )
    if not specs:
        errors.append("the instrument has no item that can be scored")
    if errors:
        return errors
    if "multiplier" in rule:
        try:
            Decimal(str(rule["multiplier"]))
        except InvalidOperation:
            errors.append("the multiplier must be a number")
    if method == "sum_then_table":
        numbers = _rule_items(rule, specs)
        low = sum(specs[n].scale_min for n in numbers)
        high = sum(specs[n].scale_max for n in numbers)
        table = rule.get("table") or {}
        absent = [raw for raw in range(low, high + 1) if str(raw) not in table]
        if absent:
            errors.append(
                "the conversion table lacks raw scores " + ", ".join(str(r) for r in absent)
            )
        for key, value in table.items():
            try:
                Decimal(str(value))
                int(key)
            except (InvalidOperation, ValueError):
                errors.append(f"the conversion table entry {key!r}: {value!r} is not a number")
    return errors


def _item_value(spec: ItemSpec, value: int) -> int:
    return spec.scale_min + spec.scale_max - value if spec.reverse else value


def compute(rule: dict, specs: dict[int, ItemSpec], answers: dict[int, int | None]) -> Result:
    """Score `answers` (item number -> value or None) by `rule`. Values are assumed in range
    (services check them first)."""
    method = rule["method"]
    if method == "none":
        return Result(is_complete=True)
    numbers = _rule_items(rule, specs)
    if method == "per_item":
        all_items = set(numbers)
        scores = {}
        for name, sub in subscales(rule, specs).items():
            sub_items = sub["items"]
            all_items.update(sub_items)
            values = [answers.get(n) for n in sub_items]
            if any(v is None for v in values):
                scores[name] = None
            else:
                scores[name] = _decimal(
                    sum(_item_value(specs[n], v) for n, v in zip(sub_items, values, strict=True))
                )
        complete = all(answers.get(n) is not None for n in all_items)
        if rule.get("missing", "each_item") == "none_allowed" and not complete:
            scores = dict.fromkeys(scores)
        return Result(is_complete=complete, subscale_scores=scores)

    complete = all(answers.get(n) is not None for n in numbers)
    if not complete:  # "none_allowed", the only rule for totals
        return Result(is_complete=False)
    raw = sum(_item_value(specs[n], answers[n]) for n in numbers)
    if method == "sum":
        score = Decimal(raw) * Decimal(str(rule.get("multiplier", 1)))
    else:  # sum_then_table
        score = Decimal(str(rule["table"][str(raw)]))
    return Result(is_complete=True, raw_score=_decimal(raw), score=_decimal(score))


def score_answers(instrument, answers: dict) -> Result:
    """Score, then add the questionnaire's own demand: every item marked as needed answered."""
    items = list(instrument.items.all())
    result = compute(instrument.scoring, _specs(instrument, items), answers)
    needed = [item.number for item in items if item.required]
    if result.is_complete and any(is_blank(answers.get(n)) for n in needed):
        return Result(
            is_complete=False,
            raw_score=result.raw_score,
            score=result.score,
            subscale_scores=result.subscale_scores,
        )
    return result


def is_blank(value) -> bool:
    return value is None or value == "" or value == []


def band_for(instrument, score, subscale: str = ""):
    """The interpretation band a score falls in, or None."""
    if score is None:
        return None
    return (
        instrument.bands.filter(subscale=subscale, low__lte=score, high__gte=score)
        .order_by("low")
        .first()
    )


def meaningful_change(instrument, before, after, *, higher_is_better=None) -> int | None:
    """+1 for an improvement of at least the minimal important change, -1 for a worsening of at
    least that much, 0 otherwise; None when it cannot be said (no score or no MIC)."""
    mic = instrument.minimal_important_change
    if before is None or after is None or mic is None:
        return None
    better = instrument.higher_is_better if higher_is_better is None else higher_is_better
    delta = Decimal(str(after)) - Decimal(str(before))
    if not better:
        delta = -delta
    if delta >= mic:
        return 1
    if delta <= -mic:
        return -1
    return 0
