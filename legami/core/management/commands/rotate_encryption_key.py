"""Re-encrypt every encrypted field, and the second-factor seeds, with the first key of
FIELD_ENCRYPTION_KEY.

Rotation: put the new key first and keep the old one after it (FIELD_ENCRYPTION_KEY=new,old),
run this command, then remove the old key. Safe to run twice; each row is rewritten in its own
short transaction, and only its encrypted columns.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from legami.core import crypto
from legami.core.crypto import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt sensitive fields with the first FIELD_ENCRYPTION_KEY (key rotation)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch, **options):
        total = 0
        for model in apps.get_models():
            fields = [
                f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if not fields:
                continue
            count = 0
            for obj in model._default_manager.only("pk", *fields).iterator(chunk_size=batch):
                with transaction.atomic():
                    # Reading decrypts with any key; saving encrypts with the first.
                    obj.save(update_fields=fields)
                count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
            total += count
        total += self._second_factors(batch)
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-encrypted"))

    def _second_factors(self, batch) -> int:
        """allauth keeps TOTP and recovery-code seeds in a JSON column, encrypted by
        MFA_ADAPTER with the same keys."""
        if not apps.is_installed("allauth.mfa"):
            return 0
        authenticator = apps.get_model("mfa", "Authenticator")
        count = 0
        rows = authenticator.objects.filter(type__in=["totp", "recovery_codes"])
        for row in rows.only("pk", "data").iterator(chunk_size=batch):
            with transaction.atomic():
                row.data = crypto.authenticator_secrets_rewritten(
                    row.data, lambda token: crypto.encrypt(crypto.decrypt(token))
                )
                row.save(update_fields=["data"])
            count += 1
        self.stdout.write(f"{authenticator._meta.label}: {count} rows re-encrypted")
        return count
