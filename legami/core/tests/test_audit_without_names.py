"""The one-off rewrite of the access log (migration core 0005): rows written before the log
stopped recording names lose them, say whose data they are about, and the log is append-only
again afterwards."""

import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from legami.core.audit import audit
from legami.core.models import AuditEvent
from legami.referrals.tests.conftest import _english  # noqa: F401 - pages in English

migration = importlib.import_module("legami.core.migrations.0005_audit_without_names")

pytestmark = pytest.mark.django_db


def old_row(**fields) -> AuditEvent:
    """A row as the log wrote it before: bulk_create, as nothing else may write it so now."""
    (row,) = AuditEvent.objects.bulk_create([AuditEvent(**fields)])
    return AuditEvent.objects.get(pk=row.pk)


def test_old_rows_lose_names_and_say_whose_data_they_are_about(care):
    referral = care["referral"]
    person = referral.beneficiary
    named = old_row(
        actor=care["link_worker"],
        actor_label=care["link_worker"].email,
        actor_role="link_worker",
        action="view",
        object_type="referrals.beneficiary",
        object_id=str(person.pk),
        object_repr="Maria Rossi",
        purpose="referral detail",
    )
    of_referral = old_row(
        action="view",
        object_type="referrals.referral",
        object_id=str(referral.pk),
        object_repr=f"Referral #{referral.pk}",
    )
    by_citizen = old_row(
        actor=care["citizen"],
        actor_label=care["citizen"].email,
        actor_role="citizen",
        action="view",
        object_type="referrals.beneficiary",
        object_id=str(person.pk),
        object_repr="Maria Rossi",
        purpose="own data (citizen)",
    )
    gone = old_row(
        actor_label="ex.cittadina@example.org",
        actor_role="citizen",
        action="view",
        object_type="referrals.beneficiary",
        object_id=str(person.pk),
        purpose="own data (citizen)",
    )
    erased = old_row(
        action="erase",
        object_type="referrals.beneficiary",
        object_id=str(person.pk),
        object_repr="Maria Rossi",
        purpose="erasure: richiesta di Maria Rossi",
    )
    listed = old_row(action="list", object_type="referrals.referral", purpose="caseload")

    counts = migration.scrub(connection)

    named.refresh_from_db()
    assert named.object_repr == f"referrals.beneficiary #{person.pk}"
    assert named.person_id == person.pk and named.actor_label == care["link_worker"].email
    of_referral.refresh_from_db()
    assert of_referral.person_id == person.pk
    by_citizen.refresh_from_db()
    assert by_citizen.actor_label == f"citizen account #{care['citizen'].pk}"
    gone.refresh_from_db()
    assert gone.actor_label == "citizen account"
    erased.refresh_from_db()
    assert "Rossi" not in erased.purpose and erased.purpose.startswith("erasure")
    listed.refresh_from_db()
    assert listed.object_repr == "" and listed.person_id is None
    assert not AuditEvent.objects.filter(object_repr__icontains="rossi").exists()
    assert counts["labels"] >= 4 and counts["citizens"] >= 2 and counts["erasures"] == 1
    record = AuditEvent.objects.filter(object_type="core.auditevent").order_by("-pk").first()
    assert "migration core 0005" in record.purpose and record.changes == counts

    # Append-only again, below the ORM.
    for sql in ("UPDATE core_auditevent SET purpose = 'x'", "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_new_rows_never_hold_a_name(care):
    person = care["referral"].beneficiary
    event = audit(by=care["citizen"], action="view", obj=person, purpose="own data (citizen)")
    assert event.object_repr == f"beneficiary #{person.pk}"
    assert event.actor_label == f"citizen account #{care['citizen'].pk}"
    assert event.person_id == person.pk
    staff = audit(by=care["link_worker"], action="view", obj=care["referral"], purpose="x")
    assert staff.actor_label == care["link_worker"].email
    assert staff.object_repr == f"referral #{care['referral'].pk}"
    assert staff.person_id == person.pk
