"""Encryption of sensitive fields and keyed hashes (docs/security.md).

The key comes from the environment (FIELD_ENCRYPTION_KEY), never from the database, so a copy
of the database alone does not reveal notes or tax codes. Several keys may be given, separated
by commas: the first encrypts, all decrypt, which is how a key is rotated.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])


def encrypt(text: str) -> str:
    if not text:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("encrypted field cannot be read with the configured keys") from error


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of `value` under PSEUDONYM_KEY: equal inputs give equal hashes (duplicate
    detection) but the input cannot be recovered or guessed offline without the key."""
    if not value:
        return ""
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. It cannot be searched or ordered in the database, which
    is the point: only code holding the key reads it."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(value)


def authenticator_secrets_rewritten(data: dict, rewrite) -> dict:
    """A copy of an allauth `Authenticator.data` with each secret it holds passed through
    `rewrite`: the TOTP seed, the recovery-code seed and recovery codes migrated from elsewhere
    (allauth encrypts exactly these through MFA_ADAPTER). For the migration that encrypted the
    seeds written in clear and for key rotation."""
    data = dict(data)
    for name in ("secret", "seed"):
        if data.get(name):
            data[name] = rewrite(data[name])
    if data.get("migrated_codes"):
        data["migrated_codes"] = [rewrite(code) for code in data["migrated_codes"]]
    return data
