"""TOTP and recovery-code seeds written in clear (allauth's default adapter) are encrypted with
FIELD_ENCRYPTION_KEY, as MFA_ADAPTER now writes them; reversing writes them in clear again."""

from django.db import migrations

from legami.core import crypto


def _encrypt_if_clear(value: str) -> str:
    try:
        crypto.decrypt(value)
    except ValueError:
        return crypto.encrypt(value)
    return value  # already encrypted (the migration ran on part of the rows before)


def _rewrite(apps, rewrite):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = crypto.authenticator_secrets_rewritten(authenticator.data, rewrite)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt(apps, schema_editor):
    _rewrite(apps, _encrypt_if_clear)


def decrypt(apps, schema_editor):
    _rewrite(apps, crypto.decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
