"""Writes on accounts that are not allauth's own forms."""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction

from legami.core.audit import audit
from legami.core.roles import SUPERUSER, effective_role

from .models import User


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
