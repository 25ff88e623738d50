"""The directory's slow jobs, run by the task worker (`manage.py db_worker`): a spreadsheet
import of thousands of activities is confirmed on the page and done here, so the request
answers at once and the person is told, in Legami and by e-mail, when it is done."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from legami.accounts.models import User
from legami.core.emails import enqueue_templated_email
from legami.core.models import Notification

from .spreadsheet.importer import import_activities
from .uploads import import_directory

# From how many activities a confirmed import goes to the task worker instead of the request.
QUEUED_FROM_DEFAULT = 2000


def queued_from() -> int:
    return getattr(settings, "LEGAMI_IMPORT_QUEUED_FROM", QUEUED_FROM_DEFAULT)


@task()
def import_spreadsheet(*, user_id: int, token: str, filename: str) -> dict:
    """Write the activities of the file previewed as `token`, as the person who confirmed it
    (the import checks again that they may), all or nothing; then tell them."""
    user = User.objects.get(pk=user_id)
    path = import_directory() / f"{token}.upload"
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        if not path.exists():
            report = None
            subject = _("The import of %(file)s could not start: upload the file again.") % {
                "file": filename
            }
        else:
            try:
                report = import_activities(by=user, file=path, filename=filename, dry_run=False)
            finally:
                path.unlink(missing_ok=True)
            if report.committed:
                subject = ngettext(
                    "%(count)s activity imported from %(file)s.",
                    "%(count)s activities imported from %(file)s.",
                    report.activities,
                ) % {"count": report.activities, "file": filename}
            else:
                subject = _(
                    "The import of %(file)s saved nothing: something changed since the check. "
                    "Upload the file again to see why."
                ) % {"file": filename}
        url = reverse("directory:import_upload")
        Notification.objects.create(user=user, subject=subject[:200], url=url)
        enqueue_templated_email(
            "core/emails/notice",
            [user],
            {"subject": subject, "url": settings.SITE_URL + url},
            language=user.preferred_language,
        )
    committed = bool(report and report.committed)
    return {"committed": committed, "activities": report.activities if committed else 0}
