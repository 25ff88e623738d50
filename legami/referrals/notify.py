"""Telling people what happened to a referral: an in-app notification and an e-mail, with a
link and no health detail (the details stay behind the sign-in). The e-mail is queued in the
caller's transaction and sent by the task worker (core.emails)."""

from django.conf import settings
from django.urls import reverse

from legami.core.emails import enqueue_templated_email
from legami.core.models import Notification


def notify(users, subject: str, url_name: str, *args) -> None:
    url = reverse(url_name, args=args) if url_name else ""
    recipients = [user for user in users if user is not None and user.is_active]
    Notification.objects.bulk_create(
        [Notification(user=user, subject=str(subject)[:200], url=url) for user in recipients]
    )
    for user in recipients:
        enqueue_templated_email(
            "core/emails/notice",
            [user],
            {"subject": subject, "url": settings.SITE_URL + url},
            language=user.preferred_language,
        )
