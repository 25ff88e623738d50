"""A person referring themselves through the public form."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legami.core.roles import ANONYMOUS, CITIZEN, effective_role

from .models import Referral
from .services import referral_create


@transaction.atomic
def self_referral_create(
    *,
    by,
    person: dict,
    consents,
    reasons=(),
    reason_text: str = "",
    available_days=(),
    available_times=(),
) -> Referral:
    """The person's own request for help: a referral like any other (same duplicate check,
    consents and first-contact deadline), plus when they can take part."""
    if effective_role(by) not in (ANONYMOUS, CITIZEN):
        raise ValidationError(
            _("This form is for people asking help for themselves: use the referral form.")
        )
    return referral_create(
        by=by,
        person=person,
        consents=consents,
        reasons=reasons,
        reason_text=reason_text,
        available_days=available_days,
        available_times=available_times,
    )
