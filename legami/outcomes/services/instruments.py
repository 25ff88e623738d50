"""The validated library's names and wording, loaded in the back office: an organisation
enters a licensed instrument's items under its own licence (SWEMWBS). The scoring rule,
scales and bands' bounds are the manual's and are not written here; questionnaires built in
Legami are edited on their own pages, and frozen once published."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from legami.accounts.permissions import policy as accounts_policy
from legami.core.audit import audit

from ..models import Instrument, InstrumentItem, InterpretationBand

INSTRUMENT_FIELDS = ("name", "name_en", "name_fr", "licence", "source", "is_active")
ITEM_TEXT_FIELDS = ("text", "text_en", "text_fr")
BAND_LABEL_FIELDS = ("label", "label_en", "label_fr")


def _write(model, instrument, fields: tuple, changes: dict[int, dict]) -> list[int]:
    """Set `fields` of `instrument`'s rows named by pk in `changes`; the pks changed."""
    rows = model.objects.select_for_update().filter(instrument=instrument, pk__in=changes)
    rows = {row.pk: row for row in rows}
    if set(changes) - set(rows):
        raise ValidationError(_("A row of another questionnaire was sent."))
    written = []
    for pk, values in sorted(changes.items()):
        row = rows[pk]
        values = {k: values[k] for k in fields if k in values}
        if any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.save(update_fields=list(values))
            written.append(pk)
    return written


@transaction.atomic
def instrument_wording_update(
    *, by, instrument: Instrument, items=None, bands=None, **fields
) -> Instrument:
    """Change a library instrument's `INSTRUMENT_FIELDS`, its items' wording (`items`:
    {item pk: {"text": ..., "text_en": ..., "text_fr": ...}}) and its bands' labels
    (`bands`, likewise). The back office's alone: the library is everyone's."""
    accounts_policy.authorize(by, "back_office")
    unknown = set(fields) - set(INSTRUMENT_FIELDS)
    if unknown:
        raise TypeError(f"instrument_wording_update() got unexpected fields {sorted(unknown)}")
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.is_custom:
        raise ValidationError(_("A questionnaire built in Legami is edited on its own page."))
    changed = sorted(k for k, v in fields.items() if getattr(instrument, k) != v)
    for key in changed:
        setattr(instrument, key, fields[key])
    if changed:
        instrument.save(update_fields=changed)
    written_items = _write(InstrumentItem, instrument, ITEM_TEXT_FIELDS, items or {})
    written_bands = _write(InterpretationBand, instrument, BAND_LABEL_FIELDS, bands or {})
    if changed or written_items or written_bands:
        audit(
            by=by,
            action="update",
            obj=instrument,
            changes={"fields": changed, "items": written_items, "bands": written_bands},
        )
    return instrument
