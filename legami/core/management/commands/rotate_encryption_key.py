"""Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEY.

Rotation: put the new key first and keep the old one after it (FIELD_ENCRYPTION_KEY=new,old),
run this command, then remove the old key. Safe to run twice; each row is rewritten in its own
short transaction, and only its encrypted columns.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

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
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-encrypted"))
