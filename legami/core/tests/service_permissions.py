"""Calling a write service directly as every persona: the harness each module's
test_service_permissions.py uses. A service answers "allowed", "403" (PermissionDenied: a role
that may not act) or "404" (Http404: an object outside the persona's scope); each call is undone
so the next persona meets the same world."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from legami.core import roles

EVERY_ROLE = (roles.ANONYMOUS, *roles.ALL_ROLES)


def outcome(call, *args, input_refusal_passes=False) -> str:
    """What the call did (its last argument is `by`), leaving the database as it was. With
    `input_refusal_passes`, a ValidationError counts as allowed: the caller got past the
    permission check and was refused for what they sent (a table whose calls send input that
    only some worlds accept)."""
    savepoint = transaction.savepoint()
    try:
        call(*args)
        return "allowed"
    except ValidationError:
        if input_refusal_passes:
            return "allowed"
        raise
    except PermissionDenied:
        return "403"
    except Http404:
        return "404"
    finally:
        transaction.savepoint_rollback(savepoint)


def as_every_persona(call, personas, *args, input_refusal_passes=False) -> dict[str, str]:
    people = {**personas, roles.ANONYMOUS: AnonymousUser()}
    return {
        role: outcome(call, *args, people[role], input_refusal_passes=input_refusal_passes)
        for role in EVERY_ROLE
    }


def expected(allowed, hidden=frozenset()) -> dict[str, str]:
    """The superuser may always act; roles in `hidden` do not find the object."""
    return {
        role: "allowed"
        if role in set(allowed) | {roles.SUPERUSER}
        else "404"
        if role in hidden
        else "403"
        for role in EVERY_ROLE
    }
