"""The rules of queued e-mails that hold for every module: what is worth retrying, what a
queued e-mail may carry (references, never addresses or free values), and that a recipient
who is gone by the time the worker runs is sent nothing. The journeys (mail server down
during a referral, retries, the back office) are in referrals/tests/test_emails_queued.py."""

import smtplib
from datetime import date

import pytest
from django.core import mail
from django.template import TemplateDoesNotExist
from django_tasks_db.models import DBTaskResult

from legami.conftest import make_user
from legami.core import roles
from legami.core.emails import enqueue_templated_email
from legami.core.tasks import RETRY_DELAYS, backoff, mail_may_recover
from legami.core.tests.outbox import run_worker


@pytest.mark.parametrize(
    "error, recovers",
    [
        (ConnectionRefusedError("no server"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPServerDisconnected("closed"), True),
        (smtplib.SMTPResponseException(451, b"try again later"), True),
        (smtplib.SMTPResponseException(554, b"rejected"), False),
        (smtplib.SMTPRecipientsRefused({"a@x.it": (450, b"busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x.it": (550, b"no such user")}), False),
        (TemplateDoesNotExist("x.txt"), False),
    ],
)
def test_only_passing_mail_errors_are_retried(error, recovers):
    assert mail_may_recover(error) is recovers


def test_each_retry_waits_longer_than_the_last():
    waits = [backoff(attempt) for attempt in range(1, len(RETRY_DELAYS) + 1)]
    assert waits == sorted(waits) and len(set(waits)) == len(waits)


def test_a_queued_email_takes_records_not_addresses_or_loose_values(db, database_tasks):
    user = make_user(roles.LINK_WORKER)
    with pytest.raises(TypeError, match="never bare addresses"):
        enqueue_templated_email("core/emails/notice", [user.email], {})
    with pytest.raises(TypeError, match="not <class 'datetime.date'>"):
        enqueue_templated_email("core/emails/notice", [user], {"when": date(2026, 1, 1)})
    assert not DBTaskResult.objects.exists()


def test_a_recipient_gone_before_the_worker_runs_is_sent_nothing(db, database_tasks):
    user = make_user(roles.CITIZEN)
    enqueue_templated_email("core/emails/notice", [user], {"subject": "x", "url": "/"})
    user.delete()
    run_worker()
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL" and result.return_value == 0 and mail.outbox == []
