"""The one boundary the task tests mock: the SMTP server. `MailServer` is an e-mail backend
(settings.EMAIL_BACKEND) that refuses every message while it is down, as smtplib does when the
server does not answer, and delivers to django.core.mail.outbox once it is back up. Everything
between the service and this boundary is real: the task row in the database, the worker.
`RunAtOnce` is the task backend of the rest of the suite (legami/conftest.py)."""

import signal
import smtplib

from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.management.commands import db_worker

PATH = "legami.core.tests.outbox.MailServer"


class TaskFailed(AssertionError):
    pass


class RunAtOnce(ImmediateBackend):
    """The rest of the suite's backend: a task runs where it is enqueued, and a task that
    fails fails the test (the backend it extends would only log it), as a send inside the
    service did before e-mails were queued."""

    def enqueue(self, task, args, kwargs):
        result = super().enqueue(task, args, kwargs)
        if result.status == TaskResultStatus.FAILED:
            raise TaskFailed(f"{task.module_path} failed:\n{result.errors[-1].traceback}")
        return result


class MailServer(EmailBackend):
    down = False  # True: the server does not answer; an exception: what the server answers
    refused = 0  # messages refused while down

    def send_messages(self, messages):
        if MailServer.down:
            MailServer.refused += len(messages)
            if isinstance(MailServer.down, Exception):
                raise MailServer.down
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)

    @classmethod
    def reset(cls):
        cls.down, cls.refused = False, 0


def run_worker() -> None:
    """What `manage.py db_worker` does, once: run every task that is due, then return.
    Two things of a long-running process are kept out of the test run, as Django's test client
    keeps them out of a request: closing the database connection between tasks (it would end
    the test's transaction, which each test rolls back) and the worker's signal handlers."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    closing = db_worker.close_old_connections
    db_worker.close_old_connections = lambda **kwargs: None
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        db_worker.close_old_connections = closing
        for number, handler in handlers.items():
            signal.signal(number, handler)
