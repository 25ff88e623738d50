"""Data-subject rights and retention: what we hold about a person, and forgetting it."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from legami.core import subject_data
from legami.core.audit import audit
from legami.core.models import AuditEvent

from ..models import (
    HOLDING_PLACE,
    OPEN_STATUSES,
    AccountLinkCode,
    Attendance,
    Beneficiary,
    CaseNote,
    Enrolment,
    EnrolmentStatus,
    Referral,
    Status,
)
from .timeline import record_transition

RETENTION_DEFAULT_DAYS = 5 * 365


def _iso(value):
    return value.isoformat() if value else None


def subject_export(*, by, beneficiary: Beneficiary) -> dict:
    """Everything Legami holds about the person, readable by them and by a machine (GDPR
    art. 15 and 20). The export itself is logged."""
    referrals = (
        Referral.objects.filter(beneficiary=beneficiary)
        .select_related("referring_organisation", "programme", "comune")
        .prefetch_related(
            "reasons", "events", "notes", "enrolments__activity", "enrolments__attendance"
        )
    )
    data = {
        "person": {
            "pseudonymous_id": str(beneficiary.pseudonym),
            "first_name": beneficiary.first_name,
            "last_name": beneficiary.last_name,
            "birth_date": _iso(beneficiary.birth_date),
            "codice_fiscale": beneficiary.tax_code,
            "comune": str(beneficiary.comune),
            "phone": beneficiary.phone,
            "email": beneficiary.email,
            "preferred_contact": beneficiary.preferred_contact,
            "languages": beneficiary.languages,
            "access_needs": beneficiary.access_needs,
            "needs_step_free": beneficiary.needs_step_free,
            "created_at": _iso(beneficiary.created_at),
        },
        "consents": [
            {
                "purpose": c.purpose,
                "text_version": c.text_version,
                "given_at": _iso(c.given_at),
                "recorded_by": c.recorded_by_label,
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in beneficiary.consents.all()
        ],
        "referrals": [
            {
                "id": r.pk,
                "received_at": _iso(r.received_at),
                "source": r.source,
                "referring_organisation": str(r.referring_organisation or ""),
                "programme": str(r.programme or ""),
                "status": r.status,
                "needs": [term.name for term in r.reasons.all()],
                "reason": r.reason_text,
                "urgency": r.urgency,
                "known_risks": r.risks,
                "what_matters": r.what_matters,
                "goals": r.goals,
                "closed_at": _iso(r.closed_at),
                "closure_reason": r.closure_reason,
                "timeline": [
                    {
                        "at": _iso(e.at),
                        "by": e.by_label,
                        "from": e.from_status,
                        "to": e.to_status,
                        "note": e.note,
                    }
                    for e in r.events.all()
                ],
                "notes": [
                    {"at": _iso(n.at), "by": n.author_label, "text": n.text} for n in r.notes.all()
                ],
                "activities": [
                    {
                        "activity": e.activity.name,
                        "status": e.status,
                        "sent_at": _iso(e.sent_at),
                        "attendance": [
                            {"date": _iso(a.session_date), "present": a.present}
                            for a in e.attendance.all()
                        ],
                    }
                    for e in r.enrolments.all()
                ],
            }
            for r in referrals
        ],
        **{entry.key: entry.export(beneficiary) for entry in subject_data.registered()},
        "access_log": access_log_of(beneficiary),
    }
    audit(by=by, action="export", obj=beneficiary, purpose="data-subject access request")
    return data


def access_log_rows(beneficiary: Beneficiary):
    """Every access to the person's record or to one of their referrals."""
    referral_ids = [str(pk) for pk in beneficiary.referrals.values_list("pk", flat=True)]
    enrolment_ids = [
        str(pk)
        for pk in Enrolment.objects.filter(referral__beneficiary=beneficiary).values_list(
            "pk", flat=True
        )
    ]
    return AuditEvent.objects.filter(
        Q(object_type="referrals.beneficiary", object_id=str(beneficiary.pk))
        | Q(object_type="referrals.referral", object_id__in=referral_ids)
        | Q(object_type="referrals.enrolment", object_id__in=enrolment_ids)
    ).order_by("-at", "-id")


def access_log_of(beneficiary: Beneficiary) -> list[dict]:
    return [
        {
            "at": _iso(e.at),
            "who": e.actor_label or "—",
            "role": e.actor_role,
            "action": e.action,
            "purpose": e.purpose,
        }
        for e in access_log_rows(beneficiary)
    ]


@transaction.atomic
def subject_erase(*, by, beneficiary: Beneficiary, reason: str) -> Beneficiary:
    """Anonymise the person (GDPR art. 17): identity, contacts, free texts and notes go; the
    counts that reports rely on (a referral happened, in that comune, with that outcome) stay,
    attached to a record that no longer says who. Open referrals are closed first."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the request this erasure answers.")})
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if beneficiary.anonymised_at:
        raise ValidationError({"reason": _("This person has already been anonymised.")})
    now = timezone.now()
    for referral in beneficiary.referrals.filter(status__in=OPEN_STATUSES):
        record_transition(referral, by=by, to=Status.CLOSED, note=_("erasure request"), now=now)
    _anonymise(beneficiary, now)
    audit(by=by, action="erase", obj=beneficiary, purpose=f"erasure: {reason}"[:200])
    return beneficiary


def _anonymise(beneficiary: Beneficiary, now) -> None:
    for entry in subject_data.registered():
        entry.erase(beneficiary)
    Enrolment.objects.filter(referral__beneficiary=beneficiary, status__in=HOLDING_PLACE).update(
        status=EnrolmentStatus.WITHDRAWN
    )
    CaseNote.objects.filter(referral__beneficiary=beneficiary).delete()
    for referral in beneficiary.referrals.all():
        referral.reason_text = ""
        referral.risks = ""
        referral.what_matters = ""
        referral.goals = ""
        referral.closure_reason = referral.closure_reason and _("anonymised")
        referral.save(
            update_fields=["reason_text", "risks", "what_matters", "goals", "closure_reason"]
        )
        referral.events.update(note="", by_label="")
    Attendance.objects.filter(enrolment__referral__beneficiary=beneficiary).update(
        recorded_by_label=""
    )
    beneficiary.first_name = "—"
    beneficiary.last_name = "—"
    # Keep the year only: age bands in aggregate reports survive, the person does not.
    if beneficiary.birth_date:
        beneficiary.birth_date = beneficiary.birth_date.replace(month=1, day=1)
    beneficiary.tax_code = ""
    beneficiary.tax_code_hash = ""
    beneficiary.identity_hash = ""
    beneficiary.phone = ""
    beneficiary.email = ""
    beneficiary.access_needs = ""
    beneficiary.languages = ""
    beneficiary.user = None
    # Identity (wave1-identity): pending account-link codes go, and no duplicate flag points
    # to or from the person any more (a flag names a record a link worker would compare).
    AccountLinkCode.objects.filter(beneficiary=beneficiary).delete()
    Beneficiary.objects.filter(possible_duplicate_of=beneficiary).update(possible_duplicate_of=None)
    beneficiary.possible_duplicate_of = None
    beneficiary.anonymised_at = now
    beneficiary.save()


def retention_run(*, by=None, older_than_days: int = RETENTION_DEFAULT_DAYS, now=None) -> int:
    """Anonymise people whose referrals all ended more than `older_than_days` ago. Safe to run
    twice: anonymised people are skipped. Returns how many were anonymised."""
    if older_than_days < 30:
        raise ValidationError({"older_than_days": _("Keep closed cases at least 30 days.")})
    now = now or timezone.now()
    limit = now - timedelta(days=older_than_days)
    candidates = (
        Beneficiary.objects.filter(anonymised_at__isnull=True, referrals__isnull=False)
        .exclude(referrals__status__in=OPEN_STATUSES)
        .exclude(referrals__closed_at__gt=limit)
        .distinct()
    )
    count = 0
    for beneficiary in candidates.iterator():
        with transaction.atomic():
            claimed = Beneficiary.objects.filter(
                pk=beneficiary.pk, anonymised_at__isnull=True
            ).update(anonymised_at=now)
            if not claimed:
                continue
            beneficiary.refresh_from_db()
            _anonymise(beneficiary, now)
            audit(
                by=by,
                action="erase",
                obj=beneficiary,
                purpose=f"retention: closed more than {older_than_days} days ago",
            )
            count += 1
    return count
