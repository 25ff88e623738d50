"""Rotating the field-encryption key: new key first, old key after, re-encrypt, drop the old."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from legami.referrals import services
from legami.referrals.models import Beneficiary, CaseNote, Referral

from .conftest import TAX_CODE


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_rotation_re_encrypts_everything_and_the_old_key_can_go(care, settings):
    referral = care["referral"]
    services.case_note_add(by=care["link_worker"], referral=referral, text="Nota riservata")
    note = CaseNote.objects.get()
    old_key = settings.FIELD_ENCRYPTION_KEY
    before = stored("referrals_referral", "risks", referral.pk)
    new_key = Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{old_key}"
    output = io.StringIO()
    call_command("rotate_encryption_key", stdout=output)
    settings.FIELD_ENCRYPTION_KEY = new_key

    assert "referrals.Referral: 1 rows re-encrypted" in output.getvalue()
    assert stored("referrals_referral", "risks", referral.pk) != before
    assert Beneficiary.objects.get().tax_code == TAX_CODE
    assert Referral.objects.get().risks == "Caduta recente."
    assert CaseNote.objects.get(pk=note.pk).text == "Nota riservata"


def test_without_the_right_key_nothing_is_readable(care, settings):
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(ValueError, match="cannot be read"):
        Referral.objects.get().risks  # noqa: B018
