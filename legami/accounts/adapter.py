"""Where Legami meets allauth: who may sign up, the client address, the encryption of
second-factor seeds, and the sign-in log. Every sign-in, failed sign-in and failed second
factor is written to the audit log here and nowhere else.

A failed sign-in names the account it was tried on (its id, for "who tried to enter my
account") only when the address belongs to one; an address that belongs to nobody is not
recorded at all, not even hashed, so the log cannot tell which addresses have an account to
anyone who reads it (docs/decisions.md, 2026-12-03).
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from legami.core import crypto, ratelimit
from legami.core.audit import audit

from .models import Role, User

USER_TYPE = "accounts.user"
SIGNED_IN = "sign-in"
SIGN_IN_FAILED = "failed sign-in"
SECOND_FACTOR_FAILED = "second factor failed"


class AccountAdapter(DefaultAccountAdapter):
    """Anyone may open a citizen account; every other role is given by an administrator."""

    def save_user(self, request, user, form, commit=True):
        user.role = Role.CITIZEN
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        # allauth's sign-in throttle counts per the same address as Legami's own limits.
        return ratelimit.client_address(request)

    def login(self, request, user):
        # Called once the last stage (the second factor, where there is one) is passed.
        super().login(request, user)
        audit(
            by=user,
            action="login",
            object_type=USER_TYPE,
            object_id=str(user.pk),
            purpose=SIGNED_IN,
        )

    def authentication_failed(self, request, **credentials):
        email = (credentials.get("email") or credentials.get("username") or "").strip()
        account = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
        audit(
            by=None,
            action="login",
            object_type=USER_TYPE,
            object_id=str(account) if account else "",
            purpose=SIGN_IN_FAILED,
        )


class MFAAdapter(DefaultMFAAdapter):
    """TOTP seeds and recovery-code seeds are stored encrypted with FIELD_ENCRYPTION_KEY: a
    copy of the database alone gives no one a second factor. Seeds written in clear before
    (accounts migration 0002) were encrypted in place."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)


def second_factor_failed(sender, request, user, reauthentication=False, **kwargs):
    """allauth.mfa's `authentication_failed` signal (it has no adapter hook for it): the
    password was right, the code was not."""
    audit(
        # Confirming identity, the person is already signed in; at sign-in, not yet.
        by=user if reauthentication else None,
        action="login",
        object_type=USER_TYPE,
        object_id=str(user.pk),
        purpose=SECOND_FACTOR_FAILED + (" (confirming identity)" if reauthentication else ""),
    )
