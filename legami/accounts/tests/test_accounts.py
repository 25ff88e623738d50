import pytest
from django.test import override_settings

from legami.conftest import PASSWORD, make_user


@pytest.mark.parametrize(
    "role", ["prescriber", "link_worker", "provider", "territory_admin", "evaluator", "dpo"]
)
def test_personal_data_roles_must_enable_a_second_factor(client, db, role):
    user = make_user(role, mfa=False)
    client.force_login(user)
    response = client.get("/area-personale/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate" in response["Location"]
    assert client.get("/api/v1/network/people/").status_code == 403


@pytest.mark.parametrize("role", ["citizen"])
def test_other_roles_work_without_a_second_factor(client, db, role):
    client.force_login(make_user(role, mfa=False))
    assert client.get("/area-personale/").status_code == 200


def test_sign_in_by_email_then_totp_for_staff(client, db):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    user = make_user("territory_admin", mfa=False)
    from allauth.mfa.totp.internal.auth import TOTP

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "/accounts/2fa/authenticate" in response["Location"]
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/area-personale/").status_code == 200


@pytest.mark.shared_cache
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "100/m/ip,3/5m/key"})
def test_repeated_failed_sign_ins_are_throttled_not_locked(client, db):
    from django.core.cache import cache

    user = make_user("citizen")
    for _ in range(3):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong-password"})
    blocked = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert blocked.status_code == 200  # form shown again with the throttle message
    assert "_auth_user_id" not in client.session
    # The throttle lives in the cache with a time-out: when it expires (simulated by
    # clearing it) the right password works again; nothing was locked in the database.
    cache.clear()
    ok = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_self_signup_always_makes_a_citizen(client, db):
    from legami.accounts.models import User

    client.post(
        "/accounts/signup/",
        {
            "email": "nuovo@test.legami.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "dpo",
        },
    )
    assert User.objects.get(email="nuovo@test.legami.example").role == "citizen"
