"""Core's tasks (Django's tasks API: `@task()`, `.enqueue()`, run by `manage.py db_worker`),
and the one retry rule every module's tasks use (docs/tasks.md).

django-tasks retries nothing by itself. A task that may meet a passing failure (a mail server
down, a network timeout) wraps its work in `retried(context, when=...)`: on such a failure the
same task with the same arguments is queued again, not before a growing delay, and this
attempt is recorded as failed with `RetryScheduled`; after the last attempt the error itself
is recorded, which is what the back office lists as needing attention (core/admin.py)."""

import smtplib
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

# Waits before the 2nd, 3rd... attempt: about ten hours in all, so a mail server down for the
# night still delivers in the morning; then a person looks (the back office can queue it again).
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
ATTEMPTS = len(RETRY_DELAYS) + 1


class RetryScheduled(Exception):
    """This attempt failed on a passing error; the next attempt is queued (see the message)."""


def backoff(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt` (1 for the first)."""
    return RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]


@contextmanager
def retried(context, *, when, attempts: int = ATTEMPTS):
    """Run the block of a task that takes context and an `attempt=1` keyword; `when(error)`
    says whether an error may pass by itself. Yields the attempt number."""
    result = context.task_result
    attempt = int(result.kwargs.get("attempt", 1))
    try:
        yield attempt
    except Exception as error:
        backend = result.task.get_backend()
        if attempt >= attempts or not when(error) or not backend.supports_defer:
            raise
        not_before = timezone.now() + backoff(attempt)
        again = result.task.using(run_after=not_before).enqueue(
            *result.args, **{**result.kwargs, "attempt": attempt + 1}
        )
        raise RetryScheduled(
            f"attempt {attempt} of {attempts} failed ({type(error).__name__}: {error}); "
            f"attempt {attempt + 1} is task {again.id}, not before {not_before.isoformat()}"
        ) from error


def mail_may_recover(error: BaseException) -> bool:
    """A server away or busy may come back; an address or message refused for good (SMTP
    5xx) will be refused again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, OSError | smtplib.SMTPException)


@task(takes_context=True)
def send_email_task(context, template: str, to: list, data: dict, language: str = "", attempt=1):
    """Render and send one templated e-mail (core.emails); arguments hold references only."""
    from .emails import deliver_templated_email

    with retried(context, when=mail_may_recover):
        return deliver_templated_email(template, to, data, language)
