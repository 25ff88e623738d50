"""Reminders to keep listings current: a listing nobody has checked for six months is likely
wrong, and a wrong listing sends a fragile person to a closed door."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from legami.accounts.models import User
from legami.core.emails import send_templated_email

from .models import Activity, ActivityStatus
from .services import REVERIFY_AFTER


def remind_stale_listings(today=None) -> int:
    """E-mail each provider the listings of their organisations that need verifying. A listing
    is claimed with a conditional UPDATE, so two runs (or two servers) never remind twice
    for the same verification. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    due = Activity.objects.filter(
        status__in=[ActivityStatus.PUBLISHED, ActivityStatus.DRAFT],
        last_verified_on__lt=today - REVERIFY_AFTER,
    ).filter(
        Q(reverify_reminded_on__isnull=True) | Q(reverify_reminded_on__lt=today - REVERIFY_AFTER)
    )
    sent = 0
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
        ).values_list("pk", "email", "preferred_language", "person__memberships__organisation")
        for pk, email, language, organisation in keepers:
            entry = by_user.setdefault(pk, {"email": email, "language": language, "items": []})
            entry["items"] += [a for a in claimed if a.organisation_id == organisation]
    for entry in by_user.values():
        sent += send_templated_email(
            "directory/emails/reverify",
            [entry["email"]],
            {"activities": entry["items"]},
            language=entry["language"],
        )
    return sent
