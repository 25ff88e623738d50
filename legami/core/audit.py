"""The one way every module writes to the audit and access log."""

from django.db import models

from .models import AuditAction, AuditEvent
from .roles import effective_role


def audit(
    *,
    by,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Record that `by` did `action` on `obj` (or on a list of `object_type`)."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    authenticated = by is not None and by.is_authenticated
    return AuditEvent.objects.create(
        actor=by if authenticated else None,
        actor_label=by.email if authenticated else "",
        actor_role=effective_role(by),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        purpose=purpose[:200],
        changes=changes or {},
    )


def changed_fields(instance: models.Model, data: dict) -> dict:
    """Names of the fields whose value `data` changes; values are not logged (they may be
    personal data and the log is read by more people than the record)."""
    return {
        "fields": sorted(
            name for name, value in data.items() if getattr(instance, name, None) != value
        )
    }
