"""Signing in: the back office goes through allauth (second factor, throttle), every sign-in,
failed sign-in and failed second factor is in the audit log without naming addresses that
have no account, and sign-up does not tell whether an address has one."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import reverse

from legami.accounts.models import User
from legami.conftest import PASSWORD, make_user
from legami.core import crypto
from legami.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _admin_pages() -> list[str]:
    """The back office's home and the list page of every model it shows."""
    return ["/admin/"] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def _code(secret=SECRET, offset=0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def _superuser(*, totp: bool) -> User:
    user = make_user("superuser", mfa=False)
    if totp:
        TOTP.activate(user, SECRET)
    return user


def _english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _back_office_sign_in_page(client) -> str:
    """Where a person typing the back office's address is sent to sign in."""
    response = client.get("/admin/", follow=True)
    return response.redirect_chain[-1][0]


def _sign_in_login_events():
    return AuditEvent.objects.filter(action="login")


# --- the back office --------------------------------------------------------------------------


def test_the_back_office_signs_in_through_allauth_and_its_second_factor():
    user = _superuser(totp=True)
    client = _english()
    page = _back_office_sign_in_page(client)
    assert page.startswith("/accounts/login/") and "next=%2Fadmin%2F" in page
    # Django's own form is gone: the password posted to it signs no one in.
    old_form = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert old_form.status_code == 302 and old_form["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session

    response = client.post(page, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "/accounts/2fa/authenticate" in response["Location"]
    # The right password alone opens no back-office page.
    for url in _admin_pages():
        answer = client.get(url)
        assert answer.status_code == 302 and "/login/" in answer["Location"], url
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/2fa/authenticate/", {"code": _code()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    for url in _admin_pages():
        assert client.get(url).status_code == 200, url


def test_a_superuser_without_a_second_factor_is_sent_to_set_one_up():
    user = _superuser(totp=False)
    client = _english()
    response = client.post(
        _back_office_sign_in_page(client), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    for url in _admin_pages():
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert "/accounts/2fa/totp/activate" in answer["Location"], url


def test_signed_in_without_back_office_rights_is_refused_not_looped():
    client = Client()
    client.force_login(make_user("citizen"))
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_back_office_sign_out_is_allauths():
    user = _superuser(totp=True)
    client = Client()
    client.force_login(user)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.shared_cache
def test_wrong_passwords_on_the_back_office_sign_in_are_throttled():
    """25 wrong passwords in a row: allauth's login_failed limit (5 per address in 5 minutes
    by default) stops checking them, and then stops the right one too until it cools off."""
    user = _superuser(totp=True)
    client = _english()
    page = _back_office_sign_in_page(client)
    answers = [
        client.post(page, {"login": user.email, "password": f"sbagliata-{n}"}) for n in range(25)
    ]
    assert all(a.status_code == 200 for a in answers)
    assert "Too many failed login attempts" in answers[-1].content.decode()
    assert "Too many failed login attempts" not in answers[0].content.decode()
    # Passwords were checked (and each failure logged) only until the throttle closed.
    failed = _sign_in_login_events().filter(purpose="failed sign-in", object_id=str(user.pk))
    assert failed.count() == 5
    right = client.post(page, {"login": user.email, "password": PASSWORD})
    assert right.status_code == 200 and "/accounts/2fa" not in right.get("Location", "")
    assert "Too many failed login attempts" in right.content.decode()


# --- the sign-in log --------------------------------------------------------------------------


def test_a_sign_in_is_recorded_once_the_second_factor_is_passed():
    user = make_user("territory_admin", mfa=False)
    TOTP.activate(user, SECRET)
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert not _sign_in_login_events().filter(purpose="sign-in").exists()
    client.post("/accounts/2fa/authenticate/", {"code": _code()})
    event = _sign_in_login_events().get(purpose="sign-in")
    assert event.actor == user and event.actor_role == "territory_admin"
    assert (event.object_type, event.object_id) == ("accounts.user", str(user.pk))


def test_a_failed_sign_in_names_the_account_tried_never_the_address():
    user = make_user("citizen")
    Client().post("/accounts/login/", {"login": user.email.upper(), "password": "sbagliata"})
    event = _sign_in_login_events().get()
    assert event.purpose == "failed sign-in" and event.actor is None
    assert event.actor_role == "anonymous" and event.object_id == str(user.pk)
    assert _row_text(event).count(user.email) == 0


def test_a_failed_sign_in_with_an_unknown_address_records_nothing_of_it():
    """No enumeration through the log: an address that belongs to nobody is not kept, not even
    as a keyed hash that could be compared with a guess."""
    unknown = "nessuno@example.org"
    Client().post("/accounts/login/", {"login": unknown, "password": "sbagliata"})
    event = _sign_in_login_events().get()
    assert event.purpose == "failed sign-in" and event.object_id == ""
    row = _row_text(event)
    for trace in (unknown, "nessuno", crypto.keyed_hash(unknown)):
        assert trace not in row


def test_a_wrong_second_factor_code_is_recorded():
    user = make_user("dpo", mfa=False)
    TOTP.activate(user, SECRET)
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": _code(offset=-100)})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    event = _sign_in_login_events().get()
    assert event.purpose == "second factor failed" and event.actor is None
    assert event.object_id == str(user.pk)


def _row_text(event) -> str:
    return " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields)


# --- sign-up and verification -----------------------------------------------------------------


def _sign_up(client, email):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_signing_up_with_a_known_address_answers_as_a_new_sign_up():
    """On a platform for vulnerable people, whether someone has an account is sensitive: the
    page answers the same and the truth goes to the address by e-mail."""
    existing = make_user("citizen", email="giulia@example.org")
    new = _sign_up(_english(), "nuova@example.org")
    mail.outbox.clear()
    again = _sign_up(_english(), "Giulia@example.org")
    assert again.status_code == new.status_code == 302
    assert again["Location"] == new["Location"]
    assert User.objects.filter(email__iexact=existing.email).count() == 1
    [told] = mail.outbox
    assert told.to == [existing.email] and "already exists" in told.body
    # ...while the new address must be verified before it signs in.
    assert not EmailAddress.objects.get(email="nuova@example.org").verified


def test_an_unverified_address_does_not_sign_in_until_confirmed():
    user = User.objects.create_user("nuovo@example.org", PASSWORD)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session
    [message] = mail.outbox
    assert message.to == [user.email]
