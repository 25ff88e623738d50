"""Accounts in the back office: a role or a flag changed there goes through the service (the
superuser's alone, logged with the old and new value), the last superuser stays one, and
accounts are never deleted."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from legami.accounts import services
from legami.accounts.models import User
from legami.conftest import make_user
from legami.core import roles
from legami.core.models import AuditEvent

ADD = "/admin/accounts/user/add/"


def _events(**lookup):
    """The log's rows about accounts, but for the addresses the test accounts were given."""
    return AuditEvent.objects.filter(object_type="accounts.user", **lookup).exclude(
        purpose="e-mail address confirmed"
    )


def _change(user) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def _form(user, **changes) -> dict:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "role": user.role,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "is_demo": user.is_demo,
        **changes,
    }
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


@pytest.fixture
def staff(personas):
    """A territory administrator with back-office access and every Django permission on
    accounts: Django would let them in, the policy does not."""
    user = make_user(roles.TERRITORY_ADMIN, "staff@test.legami.example")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    client = Client()
    client.force_login(user)
    return client


def test_a_role_changed_in_the_admin_is_logged_with_old_and_new(personas, client_for):
    citizen = personas[roles.CITIZEN]
    response = client_for(roles.SUPERUSER).post(
        _change(citizen), _form(citizen, role=roles.LINK_WORKER)
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    citizen.refresh_from_db()
    assert citizen.role == roles.LINK_WORKER
    event = _events().get(action="update")
    assert event.object_id == str(citizen.pk)
    assert event.actor_label == "superuser@test.legami.example"
    assert event.changes == {"fields": ["role"], "role": [roles.CITIZEN, roles.LINK_WORKER]}


def test_staff_and_superuser_flags_are_logged(personas, client_for):
    worker = personas[roles.LINK_WORKER]
    response = client_for(roles.SUPERUSER).post(
        _change(worker), _form(worker, is_staff=True, is_superuser=True)
    )
    assert response.status_code == 302
    event = _events().get(action="update")
    assert event.changes == {
        "fields": ["is_staff", "is_superuser"],
        "is_staff": [False, True],
        "is_superuser": [False, True],
    }
    assert User.objects.get(pk=worker.pk).is_superuser


def test_an_account_opened_in_the_admin_goes_through_the_service(personas, client_for):
    client = client_for(roles.SUPERUSER)
    assert 'name="password1"' in client.get(ADD).content.decode()
    response = client.post(
        ADD,
        {
            "email": " Nuova@Test.Legami.Example ",
            "role": roles.PROVIDER,
            "password1": "",
            "password2": "",
            "first_name": "Nuova",
            "last_name": "Persona",
            "preferred_language": "it",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    user = User.objects.get(email="nuova@test.legami.example")
    assert user.role == roles.PROVIDER and not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    event = _events().get(action="create")
    assert event.object_id == str(user.pk)
    assert event.changes["role"] == [None, roles.PROVIDER]


def test_the_last_superuser_cannot_be_demoted_nor_switched_off(personas, client_for):
    superuser = personas[roles.SUPERUSER]
    client = client_for(roles.SUPERUSER)
    for changes in ({"is_superuser": False}, {"is_active": False}):
        response = client.post(
            _change(superuser), _form(superuser, **changes), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        assert "last active superuser" in response.content.decode()
    superuser.refresh_from_db()
    assert superuser.is_superuser and superuser.is_active
    assert not _events().exists()

    other = make_user(roles.SUPERUSER, "second@test.legami.example")
    services.user_update(by=other, user=superuser, is_superuser=False)
    with pytest.raises(ValidationError):
        services.user_update(by=other, user=other, is_active=False)


def test_a_staff_member_who_is_not_a_superuser_changes_no_account(personas, staff):
    citizen = personas[roles.CITIZEN]
    response = staff.post(_change(citizen), _form(citizen, role=roles.DPO))
    assert response.status_code == 403
    response = staff.post(
        ADD, {"email": "x@test.legami.example", "role": roles.DPO, "preferred_language": "it"}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=citizen.pk).role == roles.CITIZEN
    assert not User.objects.filter(email="x@test.legami.example").exists()
    assert not _events().exists()


@pytest.mark.parametrize("role", sorted(set(roles.ALL_ROLES) - {roles.SUPERUSER}))
def test_only_superusers_may_call_the_account_services(personas, role):
    with pytest.raises(PermissionDenied):
        services.user_update(by=personas[role], user=personas[role], role=roles.DPO)
    with pytest.raises(PermissionDenied):
        services.user_create(by=personas[role], email="y@test.legami.example", role=roles.DPO)


def test_accounts_are_never_deleted_in_the_admin(personas, client_for):
    citizen = personas[roles.CITIZEN]
    client = client_for(roles.SUPERUSER)
    response = client.post(f"/admin/accounts/user/{citizen.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=citizen.pk).exists()
    page = client.get(_change(citizen)).content.decode()
    assert 'name="email"' not in page  # the owner's to change, where allauth verifies it


def test_a_lost_second_factor_is_removed_through_the_service(personas, client_for):
    from allauth.mfa.models import Authenticator

    worker = personas[roles.LINK_WORKER]
    totp = Authenticator.objects.get(user=worker)
    client = client_for(roles.SUPERUSER)
    page = client.get(f"/admin/mfa/authenticator/{totp.pk}/change/").content.decode()
    assert totp.data["secret"] not in page  # it would sign in as her
    response = client.post(
        "/admin/mfa/authenticator/", {"action": "remove", "_selected_action": [totp.pk]}
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=worker).exists()
    event = _events().get(purpose="second factor removed")
    assert (event.object_id, event.action) == (str(worker.pk), "delete")
    worker_client = client_for(roles.LINK_WORKER)
    response = worker_client.get("/area-personale/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate" in response["Location"]


def test_addresses_second_factors_and_groups_are_not_written_in_the_admin(personas, client_for):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from legami.core.tests.read_only_admin import assert_read_only_in_admin

    client = client_for(roles.SUPERUSER)
    worker = personas[roles.LINK_WORKER]
    assert_read_only_in_admin(client, EmailAddress.objects.get(user=worker))
    assert_read_only_in_admin(client, Authenticator.objects.get(user=worker))
    assert client.get("/admin/auth/group/").status_code == 404


def test_an_address_is_vouched_for_through_the_service(personas, client_for):
    from allauth.account.models import EmailAddress

    worker = personas[roles.LINK_WORKER]
    address = EmailAddress.objects.get(user=worker)
    EmailAddress.objects.filter(pk=address.pk).update(verified=False)
    before = AuditEvent.objects.filter(purpose="e-mail address confirmed").count()
    response = client_for(roles.SUPERUSER).post(
        "/admin/account/emailaddress/", {"action": "confirm", "_selected_action": [address.pk]}
    )
    assert response.status_code == 302
    assert EmailAddress.objects.get(pk=address.pk).verified
    event = AuditEvent.objects.filter(purpose="e-mail address confirmed").latest("at")
    assert AuditEvent.objects.filter(purpose="e-mail address confirmed").count() == before + 1
    assert event.actor_label == "superuser@test.legami.example"
