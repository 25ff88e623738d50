"""A person referring themselves through the public form."""

from django.db import transaction

from .models import Referral
from .permissions import policy
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
    policy.authorize(by, "self_refer")
    return referral_create(
        by=by,
        person=person,
        consents=consents,
        reasons=reasons,
        reason_text=reason_text,
        available_days=available_days,
        available_times=available_times,
    )
