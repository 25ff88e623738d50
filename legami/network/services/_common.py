from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _


def check_dates(start, end, field="end_date"):
    if start and end and end < start:
        raise ValidationError({field: _("The end date comes before the start date.")})


def save_clean(instance, unique_message: str):
    """full_clean then save; a unique clash that slips past the checks (two people saving the
    same thing at once) becomes a clear message instead of an error page."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(unique_message) from None
    return instance
