"""E-mails about referrals leave after the change commits, through the task queue, whatever the
mail server does: with the server down a self-referral, an assignment and a referral to an
activity are saved and answered as usual; the e-mails wait, are retried with growing delays,
and go out once when the server is back; a change rolled back sends nothing; an e-mail that
keeps failing stops after the last attempt and is listed for the back office.

Everything is real (the task rows of the database backend, `manage.py db_worker`) except the
SMTP server, the one boundary (legami/core/tests/outbox.py)."""

import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from legami.core.models import AuditEvent, Notification
from legami.core.tasks import ATTEMPTS, RETRY_DELAYS
from legami.core.tests.outbox import run_worker
from legami.referrals import services
from legami.referrals.models import Enrolment, Referral

from .conftest import engage, person_data
from .test_views_public import SELF_REFER, self_referral_post


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def waiting():
    return DBTaskResult.objects.filter(status="READY")


def retries_fall_due():
    """The clock moves past every waiting retry's "not before"."""
    waiting().update(run_after=timezone.now())


def sent_once_the_server_is_back(mail_server):
    mail_server.down = False
    retries_fall_due()
    run_worker()
    run_worker()  # nothing is left for a second pass: each e-mail leaves once
    assert not waiting().exists()
    return [(m.to, m.subject) for m in mail.outbox]


@pytest.fixture
def queue(care, database_tasks, mail_server):
    """The referral world with tasks as in production, the mail server up, the queue empty
    (the fixtures' own e-mails were sent at once, before the queue was switched on)."""
    mail.outbox.clear()
    assert not DBTaskResult.objects.exists()
    return mail_server


def test_self_referral_with_the_mail_server_down_is_saved_and_told_later(care, queue, client):
    queue.down = True
    response = client.post(SELF_REFER, self_referral_post(care))

    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:self_refer_done")
    referral = Referral.objects.get(beneficiary__last_name="Bianchi")
    assert Notification.objects.filter(user=care["link_worker"]).exists()
    assert mail.outbox == [] and queue.refused == 0  # nothing tried during the request
    run_worker()
    assert queue.refused == 1 and mail.outbox == []
    retry = waiting().get()
    # The queue the back office reads holds references, never the person or the text.
    assert "Bianchi" not in str(retry.args_kwargs)
    assert care["link_worker"].email not in str(retry.args_kwargs)

    assert sent_once_the_server_is_back(queue) == [
        (["link_worker@test.legami.example"], "Legami: New referral waiting in your territory")
    ]
    assert f"/invii/{referral.pk}/" in mail.outbox[0].body


def test_assignment_with_the_mail_server_down_answers_and_tells_the_prescriber_later(
    care, queue
):
    queue.down = True
    worker, referral = care["link_worker"], care["referral"]
    response = signed_in(worker).post(
        reverse("referrals:assign"), {"ids": [referral.pk], "link_worker": worker.pk}, follow=True
    )

    assert response.status_code == 200 and "1 referral assigned" in response.content.decode()
    referral.refresh_from_db()
    assert referral.link_worker == worker
    run_worker()
    assert waiting().count() == 1 and mail.outbox == []
    assert sent_once_the_server_is_back(queue) == [
        (
            ["prescriber@test.legami.example"],
            "Legami: Your referral has been accepted by a link worker",
        )
    ]


def test_referral_to_an_activity_with_the_mail_server_down_reaches_the_provider_later(
    care, queue
):
    referral = engage(care)
    run_worker()  # the assignment's e-mail to the prescriber, sent while the server is up
    mail.outbox.clear()
    queue.down = True
    response = signed_in(care["link_worker"]).post(
        reverse("referrals:enrol", args=[referral.pk]),
        {"activity": care["activity"].pk},
        follow=True,
    )

    assert response.status_code == 200 and "the organisers will answer" in response.content.decode()
    assert Enrolment.objects.get(referral=referral).status == "pending"
    run_worker()
    assert waiting().count() == 1 and mail.outbox == []
    assert sent_once_the_server_is_back(queue) == [
        (["provider@test.legami.example"], "Legami: A new referral for “Camminata nei castagneti”")
    ]


def test_a_change_rolled_back_sends_nothing(care, queue):
    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        services.referral_create(
            by=care["prescriber"],
            person=person_data(care["arcidosso"], last_name="Verdi", tax_code=""),
            consents=["care"],
        )
        assert DBTaskResult.objects.count() == 1  # queued with the referral...
        raise Undone  # ...and undone with it, e.g. a later step of the same request failed

    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == [] and not Referral.objects.filter(beneficiary__last_name="Verdi")


def test_retries_wait_longer_each_time_then_stop_and_show_in_the_back_office(
    care, queue, personas
):
    queue.down = True
    services.referral_create(
        by=care["prescriber"],
        person=person_data(care["arcidosso"], last_name="Verdi", tax_code=""),
        consents=["care"],
    )

    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        run_worker()
        retry = waiting().get()
        assert retry.args_kwargs["kwargs"]["attempt"] == attempt + 1
        assert abs((retry.run_after - retry.enqueued_at) - delay).total_seconds() < 5
        run_worker()  # not yet due: nothing runs before its time
        assert waiting().get() == retry and queue.refused == attempt
        retries_fall_due()
    run_worker()  # the last attempt

    assert queue.refused == ATTEMPTS and not waiting().exists() and mail.outbox == []
    gave_up = DBTaskResult.objects.exclude(exception_class_path__endswith="RetryScheduled")
    assert gave_up.get().exception_class_path == "smtplib.SMTPServerDisconnected"

    superuser = signed_in(personas["superuser"])
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    attention = superuser.get(url, {"outcome": "attention"}).content.decode()
    assert attention.count("Failed: needs attention") == 2  # the filter's name and one row
    assert "send_email_task" in attention
    retried = superuser.get(url, {"outcome": "retrying"}).content.decode()
    assert retried.count("Attempt failed, another is queued") == 1 + len(RETRY_DELAYS)
    detail = superuser.get(reverse(
        "admin:django_tasks_database_dbtaskresult_change", args=[gave_up.get().pk]
    ))
    assert detail.status_code == 200 and "SMTPServerDisconnected" in detail.content.decode()
    assert AuditEvent.objects.filter(
        actor=personas["superuser"], object_type="django_tasks_database.dbtaskresult"
    ).count() == 1 + len(RETRY_DELAYS) + 1  # each task the two lists showed, and the one opened
    # Only the superuser reads the queue.
    assert signed_in(personas["dpo"]).get(url).status_code == 302


def test_an_address_refused_for_good_is_not_retried(care, queue):
    queue.down = smtplib.SMTPRecipientsRefused(
        {"link_worker@test.legami.example": (550, b"5.1.1 mailbox unavailable")}
    )
    services.referral_create(
        by=care["prescriber"],
        person=person_data(care["arcidosso"], last_name="Verdi", tax_code=""),
        consents=["care"],
    )
    run_worker()
    assert queue.refused == 1 and not waiting().exists()
    assert DBTaskResult.objects.get().exception_class_path == "smtplib.SMTPRecipientsRefused"
