"""The in-app notifications page and the unread count in the header."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legami.core import roles
from legami.core.models import Notification

NOTIFICATIONS = reverse("core:notifications")
READ_ALL = reverse("core:notifications_read_all")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_user_sees_only_their_notifications_and_the_unread_count(personas):
    worker, prescriber = personas[roles.LINK_WORKER], personas[roles.PRESCRIBER]
    Notification.objects.create(user=worker, subject="Nuovo invio nel tuo territorio", url="/x/")
    Notification.objects.create(user=worker, subject="Invio assegnato a te", url="")
    Notification.objects.create(user=prescriber, subject="Notizia per il medico", url="/y/")

    response = signed_in(worker).get(NOTIFICATIONS)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nuovo invio nel tuo territorio" in page
    assert '<a href="/x/">' in page
    assert "Invio assegnato a te" in page
    assert "Notizia per il medico" not in page
    assert "(2)" in page  # header link: two unread


def test_mark_all_read_marks_only_the_users_own(personas):
    worker, prescriber = personas[roles.LINK_WORKER], personas[roles.PRESCRIBER]
    Notification.objects.create(user=worker, subject="Uno")
    Notification.objects.create(user=worker, subject="Due")
    theirs = Notification.objects.create(user=prescriber, subject="Tre")
    client = signed_in(worker)

    response = client.post(READ_ALL, follow=True)

    assert response.status_code == 200
    assert not Notification.objects.filter(user=worker, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "(0)" in response.content.decode()


def test_mark_all_read_is_post_only_and_signed_in_only(personas, client):
    assert signed_in(personas[roles.CITIZEN]).get(READ_ALL).status_code == 405
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.post(READ_ALL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unsafe_links_are_not_rendered(personas):
    citizen = personas[roles.CITIZEN]
    Notification.objects.create(user=citizen, subject="Strano", url="//evil.example/")
    page = signed_in(citizen).get(NOTIFICATIONS).content.decode()
    assert "Strano" in page
    assert "evil.example" not in page


def test_header_count_costs_anonymous_visitors_no_query(db, personas):
    with CaptureQueriesContext(connection) as anonymous:
        assert Client().get(reverse("core:home")).status_code == 200
    assert not [q for q in anonymous.captured_queries if "notification" in q["sql"]]
    assert NOTIFICATIONS not in Client().get(reverse("core:home")).content.decode()

    citizen = personas[roles.CITIZEN]
    Notification.objects.create(user=citizen, subject="Uno")
    client = signed_in(citizen)
    with CaptureQueriesContext(connection) as signed:
        response = client.get(reverse("core:home"))
    assert len([q for q in signed.captured_queries if "notification" in q["sql"]]) == 1
    assert "(1)" in response.content.decode()
