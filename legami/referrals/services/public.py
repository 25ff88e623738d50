"""A person referring themselves through the public form."""

from django.db import transaction

from legami.directory.queries import published_activities

from ..models import Referral
from ..permissions import policy
from .lifecycle import referral_create


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
    activity=None,
) -> Referral:
    """The person's own request for help: a referral like any other (same duplicate check,
    consents and first-contact deadline), plus when they can take part and the activity whose
    page they came from, if any.

    An activity that is not published (any more) is left out rather than refused: it may
    have been withdrawn while the person filled the form, and their request for help stands
    without it; it is never recorded, so a request cannot point at a listing the person may
    not see."""
    policy.authorize(by, "self_refer")
    return referral_create(
        by=by,
        person=person,
        consents=consents,
        reasons=reasons,
        reason_text=reason_text,
        available_days=available_days,
        available_times=available_times,
        activity_of_interest=_published(activity),
    )


def _published(activity):
    if activity is None:
        return None
    return published_activities().filter(pk=getattr(activity, "pk", activity)).first()
