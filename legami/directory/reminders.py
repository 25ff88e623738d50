"""Reminders to keep listings current: a listing nobody has checked for six months is likely
wrong, and a wrong listing sends a fragile person to a closed door."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from legami.accounts.models import User
from legami.core.emails import enqueue_templated_email

from .models import Activity, ActivityStatus
from .services import REVERIFY_AFTER


def remind_stale_listings(today=None) -> int:
    """E-mail each provider the listings of their organisations that need verifying. A listing
    is claimed with a conditional UPDATE, so two runs (or two servers) never remind twice
    for the same verification, and each e-mail is queued in the transaction of its claim.
    Returns the number of e-mails queued."""
    today = today or timezone.localdate()
    due = Activity.objects.filter(
        status__in=[ActivityStatus.PUBLISHED, ActivityStatus.DRAFT],
        last_verified_on__lt=today - REVERIFY_AFTER,
    ).filter(
        Q(reverify_reminded_on__isnull=True) | Q(reverify_reminded_on__lt=today - REVERIFY_AFTER)
    )
    with transaction.atomic():
        claimed = []
        for activity in due.select_related("organisation"):
            if (
                Activity.objects.filter(pk=activity.pk)
                .filter(
                    Q(reverify_reminded_on__isnull=True)
                    | Q(reverify_reminded_on__lt=today - REVERIFY_AFTER)
                )
                .update(reverify_reminded_on=today)
            ):
                claimed.append(activity)
        by_user = {}
        keepers = User.objects.filter(
            is_active=True,
            role="provider",
            person__memberships__organisation__in={a.organisation_id for a in claimed},
        ).values_list("pk", "person__memberships__organisation")
        for pk, organisation in keepers:
            items = by_user.setdefault(pk, [])
            items += [a for a in claimed if a.organisation_id == organisation]
        for user in User.objects.filter(pk__in=by_user).order_by("pk"):
            enqueue_templated_email(
                "directory/emails/reverify",
                [user],
                {"activities": by_user[user.pk]},
                language=user.preferred_language,
            )
    return len(by_user)
