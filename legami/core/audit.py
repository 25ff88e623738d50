"""The one way every module writes to the audit and access log.

The log is append-only and outlives the erasure of the people it is about, so it never holds
a person's name: an object is recorded by type, id and a label such as "referral #12" (never
`str(obj)`); a citizen is recorded by account number, not e-mail. A row about a referred
person carries their id (`person_id`), whichever object was shown (the person, a referral, an
enrolment, a questionnaire), so that "who saw my data" reads one index.

Reads are logged as what they showed: a page of a list writes one row per person on it, in
one insert (`audit_shown`), so the log can answer "who saw this person" and not only "someone
opened a list".
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import models

from .models import AuditAction, AuditEvent
from .roles import CITIZEN, effective_role
from .subject_data import PERSON_MODEL

# Rows per INSERT for long exports; a page of a list (50 rows) is always one statement.
SHOWN_BATCH = 500


def object_label(obj: models.Model) -> str:
    """What the log says about an object: its kind and number, never its text."""
    return f"{obj._meta.verbose_name} #{obj.pk}"[:200]


def person_of(obj: models.Model | None) -> int | None:
    """The referred person `obj` is about: the person themselves, the person a record points
    to (`beneficiary`), or the person of the referral it belongs to (`referral`). Lists pass
    objects with that relation already loaded, so this costs no query."""
    if obj is None:
        return None
    if obj._meta.label_lower == PERSON_MODEL:
        return obj.pk
    if hasattr(obj, "beneficiary_id"):
        return obj.beneficiary_id
    if getattr(obj, "referral_id", None) is not None:
        return getattr(obj.referral, "beneficiary_id", None)
    return None


def _actor(by) -> dict:
    authenticated = by is not None and by.is_authenticated
    role = effective_role(by)
    if not authenticated:
        label = ""
    elif role == CITIZEN:
        # A citizen's e-mail would stay in the log after their erasure: their account number
        # says the same to the log's readers (and "you" on their own page).
        label = f"citizen account #{by.pk}"
    else:
        label = by.email
    return {"actor": by if authenticated else None, "actor_label": label, "actor_role": role}


def _check(action: str) -> None:
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")


def audit(
    *,
    by,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    changes: dict | None = None,
    person_id: int | None = None,
) -> AuditEvent:
    """Record that `by` did `action` on `obj` (or on a list of `object_type`)."""
    _check(action)
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        person_id = person_of(obj)
    return AuditEvent.objects.create(
        **_actor(by),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_label(obj) if obj is not None else "",
        person_id=person_id,
        purpose=purpose[:200],
        changes=changes or {},
    )


def _people_of(objects: list[models.Model]) -> list[int | None]:
    """`person_of` for a list, in at most one more query per related model when the rows
    came without their referral (a back-office list)."""
    pending: dict[type, set] = {}
    for obj in objects:
        if (
            obj._meta.label_lower != PERSON_MODEL
            and not hasattr(obj, "beneficiary_id")
            and getattr(obj, "referral_id", None) is not None
        ):
            field = obj._meta.get_field("referral")
            if not field.is_cached(obj):
                pending.setdefault(field.related_model, set()).add(obj.referral_id)
    found = {}
    for model, ids in pending.items():
        found[model] = dict(
            model._default_manager.filter(pk__in=ids).values_list("pk", "beneficiary_id")
        )
    people = []
    for obj in objects:
        field = obj._meta.get_field("referral") if hasattr(obj, "referral_id") else None
        if field is not None and field.related_model in found and not field.is_cached(obj):
            people.append(found[field.related_model].get(obj.referral_id))
        else:
            people.append(person_of(obj))
    return people


def audit_shown(
    *, by, purpose: str, objects: Iterable[models.Model], action: str = AuditAction.LIST
) -> list[AuditEvent]:
    """Record that `by` was shown each of `objects` (the rows of a page, of an export): one
    row per object, all in one insert; nothing when nothing was shown."""
    _check(action)
    actor = _actor(by)
    unique = {}
    for obj in objects:
        unique.setdefault((obj._meta.label_lower, obj.pk), obj)
    shown = list(unique.values())
    rows = [
        AuditEvent(
            **actor,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=object_label(obj),
            person_id=person,
            purpose=purpose[:200],
        )
        for obj, person in zip(shown, _people_of(shown), strict=True)
    ]
    return AuditEvent.objects.bulk_create(rows, batch_size=SHOWN_BATCH) if rows else []


def audit_people_shown(
    *, by, purpose: str, person_ids: Iterable[int], action: str = AuditAction.EXPORT
) -> list[AuditEvent]:
    """`audit_shown` for reads that hold the people's ids only (a pseudonymised extract)."""
    _check(action)
    actor = _actor(by)
    kind = apps.get_model(PERSON_MODEL)._meta.verbose_name
    rows = [
        AuditEvent(
            **actor,
            action=action,
            object_type=PERSON_MODEL,
            object_id=str(pk),
            object_repr=f"{kind} #{pk}",
            person_id=pk,
            purpose=purpose[:200],
        )
        for pk in sorted(set(person_ids))
    ]
    return AuditEvent.objects.bulk_create(rows, batch_size=SHOWN_BATCH) if rows else []


def changed_fields(instance: models.Model, data: dict) -> dict:
    """Names of the fields whose value `data` changes; values are not logged (they may be
    personal data and the log is read by more people than the record)."""
    return {
        "fields": sorted(
            name for name, value in data.items() if getattr(instance, name, None) != value
        )
    }
