"""Writes on accounts that are not allauth's own forms: the back office's, which decide who
reads personal data (a role, a superuser flag, an account switched off)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from legami.core.audit import audit
from legami.core.roles import SUPERUSER, effective_role

from .models import Role, User
from .permissions import policy

# What grants access: each change is logged with its old and new value (a role or a flag is
# no personal data, and "who made her a link worker, when" is the question the log answers).
ACCESS_FIELDS = ("role", "is_active", "is_staff", "is_superuser")
PROFILE_FIELDS = ("first_name", "last_name", "preferred_language", "is_demo")
USER_FIELDS = PROFILE_FIELDS + ACCESS_FIELDS


@transaction.atomic
def email_address_confirm(*, by, user: User) -> EmailAddress:
    """Vouch that `user`'s sign-in address is theirs, as the link in allauth's e-mail would:
    with mandatory verification an account signs in only with a verified address. For the
    system (by=None: the demo, a command) and superusers; everyone else clicks the link."""
    if by is not None and effective_role(by) != SUPERUSER:
        raise PermissionDenied
    address, _created = EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True}
    )
    address.set_as_primary(conditional=True)
    audit(
        by=by,
        action="update",
        object_type="accounts.user",
        object_id=str(user.pk),
        purpose="e-mail address confirmed",
        changes={"fields": ["email_verified"]},
    )
    return address


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})


@transaction.atomic
def user_create(
    *,
    by,
    email: str,
    role: str,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "it",
) -> User:
    """Open an account with `role` (never a superuser's: that is a change, logged as one).
    Without `password` the account has none usable until its owner chooses one through
    "forgotten password"; either way, mandatory verification asks them to confirm the
    address at their first sign-in (unless a superuser vouches: `email_address_confirm`)."""
    policy.authorize(by, "manage_accounts")
    email = User.objects.normalize_email(email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("An e-mail address is required.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this address already exists.")})
    _check_role(role)
    user = User(
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
    )
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit(by=by, action="create", obj=user, changes={"fields": ["role"], "role": [None, role]})
    return user


@transaction.atomic
def user_update(*, by, user: User, **fields) -> User:
    """Change an account's profile and access (`USER_FIELDS`). The last active superuser
    cannot be switched off nor lose the flag: nobody would be left to grant it back but
    the command line. The address is its owner's to change (allauth verifies it)."""
    policy.authorize(by, "manage_accounts")
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"user_update() got unexpected fields {sorted(unknown)}")
    # Locked together, so that two superusers demoting each other at once cannot both pass.
    superusers = list(User.objects.select_for_update().filter(is_superuser=True, is_active=True))
    user = User.objects.select_for_update().get(pk=user.pk)
    if "role" in fields:
        _check_role(fields["role"])
    was_superuser = user.is_superuser and user.is_active
    stays_superuser = fields.get("is_superuser", user.is_superuser) and fields.get(
        "is_active", user.is_active
    )
    if was_superuser and not stays_superuser and all(u.pk == user.pk for u in superusers):
        field = "is_active" if fields.get("is_superuser", True) else "is_superuser"
        raise ValidationError(
            {field: _("This is the last active superuser: make another one first.")}
        )
    changed = sorted(k for k, v in fields.items() if getattr(user, k) != v)
    if not changed:
        return user
    changes: dict = {"fields": changed}
    for key in ACCESS_FIELDS:
        if key in changed:
            changes[key] = [getattr(user, key), fields[key]]
    for key in changed:
        setattr(user, key, fields[key])
    user.save(update_fields=changed)
    purpose = "access changed" if set(changed) & set(ACCESS_FIELDS) else ""
    audit(by=by, action="update", obj=user, purpose=purpose, changes=changes)
    return user


@transaction.atomic
def second_factor_remove(*, by, user: User) -> int:
    """Take away `user`'s second factor (a lost phone): on their next page they set up a new
    one before reading anything, as the middleware asks of every personal-data role. The
    number of authenticators removed (the app, its recovery codes, security keys)."""
    from allauth.mfa.models import Authenticator

    policy.authorize(by, "manage_accounts")
    removed, _per_model = Authenticator.objects.filter(user=user).delete()
    if removed:
        audit(
            by=by,
            action="delete",
            object_type="accounts.user",
            object_id=str(user.pk),
            purpose="second factor removed",
            changes={"fields": ["second_factor"], "authenticators": removed},
        )
    return removed
