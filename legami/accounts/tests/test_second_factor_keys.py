"""Second-factor seeds are encrypted with FIELD_ENCRYPTION_KEY: a copy of the database alone
gives no one a second factor; seeds stored in clear before are encrypted by a migration; key
rotation rewrites them, after which the old key can go and the codes still work."""

import importlib
import io
import json
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client

from legami.conftest import PASSWORD, make_user
from legami.core import crypto

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _stored(authenticator) -> dict:
    """Authenticator.data as the database holds it, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        raw = cursor.fetchone()[0]
    return raw if isinstance(raw, dict) else json.loads(raw)


def _signs_in_with_code(user, secret=SECRET) -> bool:
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post("/accounts/2fa/authenticate/", {"code": code})
    return client.session.get("_auth_user_id") == str(user.pk)


def test_totp_and_recovery_seeds_are_not_stored_in_clear():
    user = make_user("link_worker", mfa=False)
    totp = TOTP.activate(user, SECRET).instance
    recovery = RecoveryCodes.activate(user).instance
    stored = _stored(totp)
    assert SECRET not in json.dumps(stored)
    assert crypto.decrypt(stored["secret"]) == SECRET
    seed = crypto.decrypt(_stored(recovery)["seed"])
    assert seed and seed not in json.dumps(_stored(recovery))
    assert _signs_in_with_code(user)


def test_seeds_stored_in_clear_before_are_encrypted_by_the_migration():
    user = make_user("provider", mfa=False)
    # As allauth's default adapter wrote them before this version.
    totp = Authenticator.objects.create(user=user, type="totp", data={"secret": SECRET})
    recovery = Authenticator.objects.create(
        user=user, type="recovery_codes", data={"seed": "ab" * 40, "used_mask": 0}
    )
    migration = importlib.import_module(
        "legami.accounts.migrations.0002_encrypt_second_factor_seeds"
    )
    migration.encrypt(apps, None)
    migration.encrypt(apps, None)  # safe to run again: nothing is encrypted twice
    assert crypto.decrypt(_stored(totp)["secret"]) == SECRET
    assert crypto.decrypt(_stored(recovery)["seed"]) == "ab" * 40
    assert _stored(recovery)["used_mask"] == 0
    assert _signs_in_with_code(user)
    migration.decrypt(apps, None)
    assert _stored(totp)["secret"] == SECRET


def test_after_rotation_the_old_key_can_go_and_totp_still_verifies(settings):
    user = make_user("territory_admin", mfa=False)
    totp = TOTP.activate(user, SECRET).instance
    RecoveryCodes.activate(user)
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    codes = codes.get_unused_codes()
    old_key = settings.FIELD_ENCRYPTION_KEY
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{old_key}"
    output = io.StringIO()
    call_command("rotate_encryption_key", stdout=output)
    assert "mfa.Authenticator: 2 rows re-encrypted" in output.getvalue()

    settings.FIELD_ENCRYPTION_KEY = new_key
    assert crypto.decrypt(_stored(totp)["secret"]) == SECRET
    assert _signs_in_with_code(user)
    recovery = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    assert recovery.get_unused_codes() == codes
    settings.FIELD_ENCRYPTION_KEY = old_key
    with pytest.raises(ValueError, match="cannot be read"):
        crypto.decrypt(_stored(totp)["secret"])
