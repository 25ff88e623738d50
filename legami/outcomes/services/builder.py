"""The questionnaire builder: every write to a built questionnaire. A questionnaire is edited
while it is a draft and frozen once published, so that all its answers were given to the same
questions; a new version starts as a copy."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from legami.core.audit import audit

from .. import questions
from ..models import Instrument, InstrumentItem, InstrumentSection, ItemKind, Purpose
from ..permissions import policy

QUESTIONNAIRE_FIELDS = (
    "name",
    "name_en",
    "name_fr",
    "purpose",
    "instructions",
    "instructions_en",
    "instructions_fr",
)
ITEM_FIELDS = ("section", "kind", "text", "text_en", "text_fr", "scale_min", "scale_max")
SECTION_FIELDS = ("title", "title_en", "title_fr")
LARGEST_SCALE = 11  # points: 0–10 is the widest scale in common use
MOST_OPTIONS = 20


def check_draft(instrument: Instrument) -> None:
    if not instrument.is_draft:
        raise ValidationError(
            _(
                "This questionnaire is published (or part of the validated library) and can no "
                "longer change: make a copy to prepare a new version."
            )
        )


def _code(name: str) -> str:
    base = slugify(name)[:20] or "questionario"
    return f"{base}-{get_random_string(6, 'abcdefghijkmnpqrstuvwxyz23456789')}"


@transaction.atomic
def questionnaire_create(*, by, data: dict) -> Instrument:
    policy.authorize(by, "build")
    instrument = Instrument(
        code=_code(data.get("name") or ""),
        is_custom=True,
        is_active=False,
        created_by=by,
        scoring={"method": "none"},
        **{k: (data.get(k) or "") for k in QUESTIONNAIRE_FIELDS},
    )
    instrument.purpose = instrument.purpose or Purpose.PERSON
    instrument.full_clean()
    instrument.save()
    audit(by=by, action="create", obj=instrument, purpose="questionnaire builder")
    return instrument


@transaction.atomic
def questionnaire_update(*, by, instrument: Instrument, data: dict) -> Instrument:
    policy.authorize(by, "build")
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    check_draft(instrument)
    for key in QUESTIONNAIRE_FIELDS:
        if key in data:
            setattr(instrument, key, data[key] or "")
    instrument.full_clean()
    instrument.save()
    audit(by=by, action="update", obj=instrument, purpose="questionnaire builder")
    return instrument


@transaction.atomic
def section_add(*, by, instrument: Instrument, data: dict) -> InstrumentSection:
    policy.authorize(by, "build")
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    check_draft(instrument)
    number = (instrument.sections.aggregate(n=Max("number"))["n"] or 0) + 1
    section = InstrumentSection(
        instrument=instrument,
        number=number,
        **{k: (data.get(k) or "").strip() for k in SECTION_FIELDS},
    )
    section.full_clean()
    section.save()
    audit(by=by, action="create", obj=section, purpose="questionnaire builder")
    return section


def _item_errors(item: InstrumentItem, options_text: str) -> dict:
    errors = {}
    if not (item.text or "").strip():
        errors["text"] = _("Write the question in Italian.")
    if item.section_id and item.section.instrument_id != item.instrument_id:
        errors["section"] = _("The section belongs to another questionnaire.")
    if item.kind in (ItemKind.LIKERT, ItemKind.NUMERIC):
        if item.scale_min is None or item.scale_max is None:
            errors["scale_max"] = _("Give the lowest and the highest answer.")
        elif item.scale_min >= item.scale_max:
            errors["scale_max"] = _("The highest answer must be above the lowest.")
        elif item.kind == ItemKind.LIKERT and item.scale_max - item.scale_min + 1 > LARGEST_SCALE:
            errors["scale_max"] = _("A scale has at most %(n)s points.") % {"n": LARGEST_SCALE}
    options, option_errors = questions.parse_options(options_text)
    if option_errors:
        errors["options"] = option_errors
    elif item.kind in (ItemKind.SINGLE, ItemKind.MULTIPLE):
        if not 2 <= len(options) <= MOST_OPTIONS:
            errors["options"] = _("Give between 2 and %(n)s answers, one per line.") % {
                "n": MOST_OPTIONS
            }
    elif item.kind == ItemKind.LIKERT and options and "scale_max" not in errors:
        points = item.scale_max - item.scale_min + 1
        if len(options) != points:
            errors["options"] = _(
                "The scale has %(points)s points: give one label per point, or none."
            ) % {"points": points}
        else:  # the labels name the scale's points, lowest first
            options = [
                {"value": item.scale_min + i, "label": o["label"]} for i, o in enumerate(options)
            ]
    elif item.kind in (ItemKind.NUMERIC, ItemKind.TEXT) and options:
        errors["options"] = _("Only choices and scales have answers to list.")
    if item.kind in (ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.TEXT):
        item.scale_min = item.scale_max = None
    if item.reverse and item.kind != ItemKind.LIKERT:
        errors["reverse"] = _("Only a scale can be reverse scored.")
    item.options = options
    return errors


@transaction.atomic
def item_add(*, by, instrument: Instrument, data: dict) -> InstrumentItem:
    policy.authorize(by, "build")
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    check_draft(instrument)
    item = InstrumentItem(
        instrument=instrument,
        number=(instrument.items.aggregate(n=Max("number"))["n"] or 0) + 1,
        required=bool(data.get("required")),
        reverse=bool(data.get("reverse")),
        **{k: data.get(k) for k in ITEM_FIELDS},
    )
    for key in ("text", "text_en", "text_fr"):
        setattr(item, key, (getattr(item, key) or "").strip())
    errors = _item_errors(item, data.get("options") or "")
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    item.save()
    audit(by=by, action="create", obj=item, purpose="questionnaire builder")
    return item


@transaction.atomic
def item_remove(*, by, item: InstrumentItem) -> None:
    policy.authorize(by, "build")
    instrument = Instrument.objects.select_for_update().get(pk=item.instrument_id)
    check_draft(instrument)
    item = InstrumentItem.objects.filter(pk=item.pk).first()  # as it is now, under the lock
    if item is None:  # removed meanwhile by a second click
        return
    number = item.number
    audit(by=by, action="delete", obj=item, purpose="questionnaire builder")
    item.delete()
    # Numbers stay 1..n: the questions are numbered on the form as they are stored.
    for later in instrument.items.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])


@transaction.atomic
def item_move(*, by, item: InstrumentItem, up: bool) -> None:
    policy.authorize(by, "build")
    instrument = Instrument.objects.select_for_update().get(pk=item.instrument_id)
    check_draft(instrument)
    item = InstrumentItem.objects.filter(pk=item.pk).first()  # its number may have changed
    if item is None:
        return
    other = instrument.items.filter(number=item.number + (-1 if up else 1)).first()
    if other is None:
        return
    first, second = item.number, other.number
    item.number = 0  # free the number while the two swap (numbers are unique)
    item.save(update_fields=["number"])
    other.number = first
    other.save(update_fields=["number"])
    item.number = second
    item.save(update_fields=["number"])
    audit(by=by, action="update", obj=item, purpose="questionnaire builder")


@transaction.atomic
def questionnaire_publish(*, by, instrument: Instrument, scored: bool) -> Instrument:
    """Freeze the questionnaire and put it in use. `scored`: its score is the sum of its scale
    questions (reverse ones flipped); otherwise the answers are kept without a score."""
    policy.authorize(by, "build")
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    check_draft(instrument)
    items = list(instrument.items.all())
    if not items:
        raise ValidationError(_("Add at least one question before publishing."))
    scales = [item for item in items if item.kind == ItemKind.LIKERT]
    if scored:
        if instrument.purpose != Purpose.PERSON:
            raise ValidationError(
                {"scored": _("Only questionnaires answered by a person have a score.")}
            )
        if not scales:
            raise ValidationError(
                {"scored": _("A score adds up scale questions: this questionnaire has none.")}
            )
        instrument.scoring = {"method": "sum", "items": [item.number for item in scales]}
        instrument.min_score = sum(item.scale_min for item in scales)
        instrument.max_score = sum(item.scale_max for item in scales)
    else:
        instrument.scoring = {"method": "none"}
    instrument.is_active = True
    instrument.published_at = timezone.now()
    instrument.full_clean()
    instrument.save()
    audit(by=by, action="update", obj=instrument, purpose="questionnaire published")
    return instrument


@transaction.atomic
def questionnaire_copy(*, by, instrument: Instrument) -> Instrument:
    """A new draft with the same sections and questions, to prepare a new version."""
    policy.authorize(by, "build")
    if not instrument.is_custom:
        raise ValidationError(
            _("The validated instruments are used as published: they cannot be copied.")
        )
    copy = questionnaire_create(
        by=by,
        data={
            **{k: getattr(instrument, k) for k in QUESTIONNAIRE_FIELDS},
            "name": (_("%(name)s (copy)") % {"name": instrument.name})[:200],
        },
    )
    sections = {}
    for section in instrument.sections.all():
        sections[section.pk] = InstrumentSection.objects.create(
            instrument=copy, **{k: getattr(section, k) for k in ("number", *SECTION_FIELDS)}
        )
    for item in instrument.items.all():
        InstrumentItem.objects.create(
            instrument=copy,
            section=sections.get(item.section_id),
            **{
                k: getattr(item, k)
                for k in (
                    "number",
                    "kind",
                    "text",
                    "text_en",
                    "text_fr",
                    "scale_min",
                    "scale_max",
                    "options",
                    "required",
                    "reverse",
                )
            },
        )
    return copy
