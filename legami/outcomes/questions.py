"""What each kind of question accepts as an answer, said once for the worker's form, the phone
form, organisation surveys, event feedback and the API.

An answer is None (not answered), an int (a scale point, a number, one choice), a list of ints
(several choices) or a str (free text)."""

from django.utils.translation import gettext as _

from .models import InstrumentItem, ItemKind
from .scoring import is_blank

TEXT_MAX = 4000


def option_values(item: InstrumentItem) -> list[int]:
    return [option["value"] for option in item.options]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def answer_error(item: InstrumentItem, value) -> str | None:
    """Why `value` is not an answer to `item`, in the user's language; None when it is."""
    if is_blank(value):
        return None
    names = {"number": item.number}
    if item.kind in (ItemKind.LIKERT, ItemKind.NUMERIC):
        if not (_is_int(value) and item.scale_min <= value <= item.scale_max):
            return _("Item %(number)s: the answer must be between %(min)s and %(max)s.") % {
                **names,
                "min": item.scale_min,
                "max": item.scale_max,
            }
    elif item.kind == ItemKind.SINGLE:
        if not (_is_int(value) and value in option_values(item)):
            return _("Item %(number)s: choose one of the answers shown.") % names
    elif item.kind == ItemKind.MULTIPLE:
        allowed = option_values(item)
        if not (
            isinstance(value, list)
            and all(_is_int(v) and v in allowed for v in value)
            and len(set(value)) == len(value)
        ):
            return _("Item %(number)s: choose among the answers shown, each at most once.") % names
    elif item.kind == ItemKind.TEXT:
        if not isinstance(value, str):
            return _("Item %(number)s: the answer must be text.") % names
        if len(value) > TEXT_MAX:
            return _("Item %(number)s: at most %(max)s characters.") % {**names, "max": TEXT_MAX}
    return None


def answers_errors(items: dict[int, InstrumentItem], answers: dict) -> list[str]:
    """What is wrong with `answers` ({item number: answer}) for these items, in words."""
    errors = []
    for number, value in answers.items():
        item = items.get(_as_int(number))
        if item is None:
            errors.append(
                _("Item %(number)s is not part of this questionnaire.") % {"number": number}
            )
            continue
        error = answer_error(item, value)
        if error:
            errors.append(error)
    return errors


def normalised(items: dict[int, InstrumentItem], answers: dict) -> dict:
    """{number: answer} for every item, keys as ints, text stripped, blanks as None."""
    # Keys as they were checked ("1", 1, "01" are item 1): read through the same conversion.
    given = {_as_int(key): value for key, value in answers.items()}
    values = {}
    for number, item in items.items():
        value = given.get(number)
        if isinstance(value, str):
            value = value.strip()
        if item.kind == ItemKind.MULTIPLE and isinstance(value, list):
            value = sorted(value)
        values[number] = None if is_blank(value) else value
    return values


def answer_columns(item: InstrumentItem, value) -> dict:
    """How an answer is stored in a row: `value`, `choices` or `text`."""
    if item.kind == ItemKind.MULTIPLE:
        return {"value": None, "choices": value or [], "text": ""}
    if item.kind == ItemKind.TEXT:
        return {"value": None, "choices": [], "text": value or ""}
    return {"value": value, "choices": [], "text": ""}


def stored_answer(answer) -> object:
    """The answer an Answer row holds, in the form `answer_error` accepts."""
    kind = answer.item.kind
    if kind == ItemKind.MULTIPLE:
        return answer.choices or None
    if kind == ItemKind.TEXT:
        return answer.text or None
    return answer.value


def _as_int(number) -> int | None:
    try:
        return int(number)
    except (TypeError, ValueError):
        return None


def parse_options(text: str) -> tuple[list[dict], list[str]]:
    """Options typed one per line, languages separated by "|": "Sì | Yes | Oui". Values are
    numbered 1, 2, 3... in the order given. Returns (options, errors)."""
    options, errors = [], []
    for line_number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        labels = [part.strip() for part in line.split("|")]
        if len(labels) > 3:
            errors.append(
                _("Line %(line)s: at most three labels (Italian | English | French).")
                % {"line": line_number}
            )
            continue
        if not labels[0]:
            errors.append(_("Line %(line)s: the Italian label is missing.") % {"line": line_number})
            continue
        if labels[0].lower() in {o["label"][0].lower() for o in options}:
            errors.append(
                _("Line %(line)s: “%(label)s” is already an option.")
                % {"line": line_number, "label": labels[0]}
            )
            continue
        options.append({"value": len(options) + 1, "label": labels})
    return options, errors


def options_text(options: list[dict]) -> str:
    return "\n".join(" | ".join(label for label in o["label"]) for o in options)
