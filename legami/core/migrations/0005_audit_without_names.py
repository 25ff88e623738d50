"""One-off: take people's names out of the rows written before the log stopped recording them,
and say, on the old rows too, which referred person each row is about.

The log is append-only (0002), so this is the one documented exception (docs/decisions.md,
"The access log holds no names"): inside the migration's transaction the triggers are lifted,
three label columns are rewritten, the triggers are put back, and a row of the log records that
it happened. What each row says happened (who, role, when, action, object type and id) is left
as it was:

- `object_repr`, which copied `str(obj)` (a person's full name), becomes "<type> #<id>";
- `actor_label` of a citizen (their e-mail) becomes "citizen account #<id>";
- the free-text reference of an erasure, which could name the person, is removed;
- `person_id` is filled from the object (a person, or a referral, enrolment, questionnaire or
  link of theirs) where those tables exist.

Not reversible: the names are not kept anywhere to be put back.
"""

import importlib

from django.db import migrations

append_only = importlib.import_module("legami.core.migrations.0002_audit_append_only")

# object type -> the query that finds the person of the object whose id is {id}
PERSON_OF = {
    "referrals.referral": "SELECT r.beneficiary_id FROM referrals_referral r WHERE r.id = {id}",
    "referrals.enrolment": (
        "SELECT r.beneficiary_id FROM referrals_enrolment e "
        "JOIN referrals_referral r ON r.id = e.referral_id WHERE e.id = {id}"
    ),
    "outcomes.response": "SELECT x.beneficiary_id FROM outcomes_response x WHERE x.id = {id}",
    "outcomes.selfcompletionlink": (
        "SELECT x.beneficiary_id FROM outcomes_selfcompletionlink x WHERE x.id = {id}"
    ),
}
TABLES_NEEDED = {
    "referrals.referral": {"referrals_referral"},
    "referrals.enrolment": {"referrals_enrolment", "referrals_referral"},
    "outcomes.response": {"outcomes_response"},
    "outcomes.selfcompletionlink": {"outcomes_selfcompletionlink"},
}
ERASURE_PURPOSE = "erasure: reference removed (core 0005)"


def _triggers(cursor, vendor: str, *, on: bool) -> None:
    if vendor == "sqlite":
        if on:
            for statement in append_only.SQLITE:
                cursor.execute(statement)
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
    elif vendor == "postgresql":
        if on:
            for statement in append_only.POSTGRES:
                cursor.execute(statement)
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent")


def scrub(connection) -> dict:
    """Rewrite the rows (see the module's text); returns how many of each changed. Called
    inside a transaction: if anything fails, the triggers and the rows stay as they were."""
    vendor = connection.vendor
    numeric = (
        "object_id ~ '^[0-9]+$'"
        if vendor == "postgresql"
        else "object_id <> '' AND object_id NOT GLOB '*[^0-9]*'"
    )
    as_id = "CAST(core_auditevent.object_id AS BIGINT)"
    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        _triggers(cursor, vendor, on=False)
        cursor.execute(
            "UPDATE core_auditevent SET object_repr = object_type || ' #' || object_id "
            "WHERE object_repr <> ''"
        )
        counts["labels"] = cursor.rowcount
        cursor.execute(
            "UPDATE core_auditevent SET actor_label = CASE WHEN actor_id IS NULL "
            "THEN 'citizen account' "
            "ELSE 'citizen account #' || CAST(actor_id AS VARCHAR(20)) END "
            "WHERE actor_role = 'citizen' AND actor_label <> ''"
        )
        counts["citizens"] = cursor.rowcount
        cursor.execute(
            "UPDATE core_auditevent SET purpose = %s "
            "WHERE action = 'erase' AND purpose LIKE 'erasure: %%'",
            [ERASURE_PURPOSE],
        )
        counts["erasures"] = cursor.rowcount
        cursor.execute(
            f"UPDATE core_auditevent SET person_id = {as_id} "
            f"WHERE person_id IS NULL AND object_type = 'referrals.beneficiary' AND {numeric}"
        )
        counts["people"] = cursor.rowcount
        for object_type, select in PERSON_OF.items():
            if not TABLES_NEEDED[object_type] <= tables:
                continue
            cursor.execute(
                f"UPDATE core_auditevent SET person_id = ({select.format(id=as_id)}) "
                f"WHERE person_id IS NULL AND object_type = %s AND {numeric}",
                [object_type],
            )
            counts["people"] += cursor.rowcount
        _triggers(cursor, vendor, on=True)
        if not any(counts.values()):
            return counts  # a new installation: nothing was rewritten, nothing to record
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_label, actor_role, action, object_type, "
            "object_id, object_repr, purpose, changes) VALUES (%s, '', 'anonymous', 'update', "
            "'core.auditevent', '', '', %s, %s)",
            [
                _now(),
                "one-off: names removed from the access log (migration core 0005)",
                _json(counts),
            ],
        )
    return counts


def _now():
    from django.utils import timezone

    return timezone.now()


def _json(value) -> str:
    import json

    return json.dumps(value)


def forwards(apps, schema_editor):
    scrub(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_auditevent_person")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
