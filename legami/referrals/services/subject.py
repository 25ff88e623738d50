"""Data-subject rights and retention: what we hold about a person, and forgetting it."""

import re
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from legami.core import subject_data
from legami.core.audit import audit
from legami.core.models import AuditEvent
from legami.directory.text import fold

from .. import disclosure, retention
from ..models import (
    HOLDING_PLACE,
    OPEN_STATUSES,
    AccountLinkCode,
    Attendance,
    Beneficiary,
    CaseNote,
    Enrolment,
    EnrolmentStatus,
    Goal,
    GoalRating,
    Referral,
    Status,
)
from ..permissions import policy
from .timeline import record_transition


def _iso(value):
    return value.isoformat() if value else None


def subject_export(*, by, beneficiary: Beneficiary) -> dict:
    """Everything Legami holds about the person, readable by them and by a machine (GDPR
    art. 15 and 20), for the DPO who answers the request. The export itself is logged."""
    policy.authorize(by, "subject_requests")
    data = _everything(beneficiary)
    audit(by=by, action="export", obj=beneficiary, purpose="data-subject access request")
    return data


def _everything(beneficiary: Beneficiary) -> dict:
    referrals = (
        Referral.objects.filter(beneficiary=beneficiary)
        .select_related("referring_organisation", "programme", "comune", "activity_of_interest")
        .prefetch_related(
            "reasons",
            "events",
            "notes",
            "enrolments__activity",
            "enrolments__attendance",
            Prefetch("personal_goals", queryset=Goal.objects.order_by("created_at", "pk")),
            Prefetch(
                "personal_goals__ratings", queryset=GoalRating.objects.order_by("rated_at", "pk")
            ),
        )
    )
    return {
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
                "activity_of_interest": str(r.activity_of_interest or ""),
                "known_risks": r.risks,
                "what_matters": r.what_matters,
                "goals": r.goals,
                "personal_goals": [
                    {
                        "goal": g.text,
                        "set_on": _iso(g.created_at),
                        "set_aside_on": _iso(g.archived_at),
                        "ratings": [
                            {
                                "rating": x.rating,
                                "rated_at": _iso(x.rated_at),
                                "by": x.rated_by_label,
                            }
                            for x in g.ratings.all()
                        ],
                    }
                    for g in r.personal_goals.all()
                ],
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
                            {
                                "date": _iso(a.session_date),
                                "status": a.status,
                                "present": a.present,
                            }
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


# What each private text of disclosure.py is called in the export.
_EXPORTED_TEXTS = {
    disclosure.REASON: ("reason",),
    disclosure.RISKS: ("known_risks",),
    disclosure.WHAT_MATTERS: ("what_matters",),
    disclosure.GOALS: ("goals", "personal_goals"),
    disclosure.NOTES: ("notes",),
    disclosure.WHY: ("closure_reason",),
}


def own_export(*, by, beneficiary: Beneficiary) -> dict:
    """The citizen's own download (`/invii/miei-dati/dati.json`): what the "my data" page shows
    them, no more. The private texts follow disclosure.py (what matters and the goals they
    agreed, not the referrer's reasons, the known risks or the case notes), and the staff are
    named by role, never by e-mail. The DPO's export (subject_export) stays complete: the page
    tells the person they may ask the DPO for it."""
    from legami.core.audit_words import role_label

    policy.authorize(by, "own_data", beneficiary)
    data = _everything(beneficiary)
    audit(by=by, action="export", obj=beneficiary, purpose="data-subject access request")
    reads = disclosure.Disclosure(by)
    referrals = {r.pk: r for r in Referral.objects.filter(beneficiary=beneficiary)}
    for row in data["referrals"]:
        readable = reads.texts(referrals[row["id"]])
        for text, keys in _EXPORTED_TEXTS.items():
            if text not in readable:
                for key in keys:
                    row[key] = [] if isinstance(row.get(key), list) else ""
        for event in row["timeline"]:
            event["by"] = ""
            if disclosure.WHY not in readable:
                event["note"] = ""
        for goal in row.get("personal_goals", []):
            for rating in goal["ratings"]:
                rating["by"] = ""
    for consent in data["consents"]:
        consent["recorded_by"] = ""
    for event in data["access_log"]:
        event["who"] = role_label(event["role"])
    return data


def access_log_rows(beneficiary: Beneficiary):
    """Every access to the person's data: their record, a referral, an enrolment or a
    questionnaire of theirs, alone or on a list (core.audit names the person on each row)."""
    return AuditEvent.objects.filter(person_id=beneficiary.pk).order_by("-at", "-id")


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


# --- erasure ------------------------------------------------------------------------------------
class ErasureGround(models.TextChoices):
    """Why a person is erased, as the access log keeps it (it outlives the erasure, so the
    DPO chooses a ground and gives a reference, never a description of the person)."""

    REQUEST = "request", gettext_lazy("the person's request (GDPR art. 17)")
    CONSENT = "consent", gettext_lazy("consent withdrawn, no other lawful basis")
    UNLAWFUL = "unlawful", gettext_lazy("data processed unlawfully")
    ORDER = "order", gettext_lazy("order of the Garante or of a court")


REFERENCE_MAX = 40
REFERENCE_PATTERN = re.compile(r"[A-Za-z0-9 /._#:-]+")


def erasure_reference_check(reference: str, beneficiary: Beneficiary) -> str:
    """The request's reference (its protocol number), as the log may keep it: short, made of
    letters, digits and a few signs, with a digit, and naming neither the person nor their
    codice fiscale, e-mail or phone."""
    reference = " ".join((reference or "").split())
    if not reference:
        raise ValidationError({"reason": _("Write the request this erasure answers.")})
    if (
        len(reference) > REFERENCE_MAX
        or not REFERENCE_PATTERN.fullmatch(reference)
        or not any(c.isdigit() for c in reference)
    ):
        raise ValidationError(
            {
                "reason": _(
                    "Write the reference of the request (e.g. its protocol number, “prot. "
                    "2026/123”): at most %(n)d letters, digits, spaces and / . - _ # :, with a "
                    "digit."
                )
                % {"n": REFERENCE_MAX}
            }
        )
    words = set(fold(reference).lower().replace("_", " ").split())
    words |= {w for word in list(words) for w in re.split(r"[/.#:-]", word) if w}
    names = {
        w
        for w in fold(f"{beneficiary.first_name} {beneficiary.last_name}").lower().split()
        if len(w) > 1
    }
    compact = re.sub(r"[^A-Za-z0-9@]", "", reference).upper()
    identifiers = [
        re.sub(r"[^A-Za-z0-9@]", "", value).upper()
        for value in (beneficiary.tax_code, beneficiary.email, beneficiary.phone)
    ]
    if words & names or any(len(v) >= 6 and v in compact for v in identifiers):
        raise ValidationError(
            {
                "reason": _(
                    "The reference must not contain the person's name, codice fiscale, e-mail "
                    "or phone: the access log keeps it after the erasure."
                )
            }
        )
    return reference


@transaction.atomic
def subject_erase(
    *, by, beneficiary: Beneficiary, reason: str, ground: str = ErasureGround.REQUEST
) -> Beneficiary:
    """Anonymise the person (GDPR art. 17): identity, contacts, free texts and notes go, in
    every module, and so does their citizen account; the counts that reports rely on (a
    referral happened, in that comune, with that outcome) stay, attached to a record that no
    longer says who. Open referrals are closed first. `reason` is the request's reference."""
    if ground not in ErasureGround.values:
        raise ValidationError({"ground": _("Choose the ground of the erasure from the list.")})
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    reference = erasure_reference_check(reason, beneficiary)
    if beneficiary.anonymised_at:
        raise ValidationError({"reason": _("This person has already been anonymised.")})
    now = timezone.now()
    for referral in beneficiary.referrals.filter(status__in=OPEN_STATUSES):
        record_transition(referral, by=by, to=Status.CLOSED, note=_("erasure request"), now=now)
    account = beneficiary.user
    _anonymise(beneficiary, now)
    if account is not None:
        _forget_account(account)
    audit(by=by, action="erase", obj=beneficiary, purpose=f"erasure ({ground}): {reference}")
    return beneficiary


def _anonymise(beneficiary: Beneficiary, now) -> None:
    """Every text about the person goes, whoever wrote it: the modules' parts first (they may
    match on the e-mail or the account), then the referrals, then the identity."""
    for entry in subject_data.registered():
        entry.erase(beneficiary)
    enrolments = Enrolment.objects.filter(referral__beneficiary=beneficiary)
    enrolments.filter(status__in=HOLDING_PLACE).update(status=EnrolmentStatus.WITHDRAWN)
    # A provider's reason for declining can describe the person; who answered, with the
    # referral, says which activity they were sent to.
    enrolments.update(decline_reason="", responded_by_label="")
    CaseNote.objects.filter(referral__beneficiary=beneficiary).delete()
    # The person's goals are their words; their ratings go with them (cascade).
    Goal.objects.filter(referral__beneficiary=beneficiary).delete()
    for referral in beneficiary.referrals.all():
        referral.reason_text = ""
        referral.risks = ""
        referral.what_matters = ""
        referral.goals = ""
        referral.closure_reason = referral.closure_reason and _("anonymised")
        # The activity whose page they asked from (a support group) says something of them.
        referral.activity_of_interest = None
        referral.save(
            update_fields=[
                "reason_text",
                "risks",
                "what_matters",
                "goals",
                "closure_reason",
                "activity_of_interest",
            ]
        )
        referral.events.update(note="", by_label="")
    Attendance.objects.filter(enrolment__referral__beneficiary=beneficiary).update(
        recorded_by_label=""
    )
    # Who recorded a consent may be the person themselves (their e-mail, from their account).
    beneficiary.consents.update(recorded_by_label="", withdrawn_by_label="")
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
    # Extracts already downloaded carry the old pseudonymous id: nothing leads back from them.
    beneficiary.pseudonym = uuid.uuid4()
    beneficiary.anonymised_at = now
    beneficiary.save()


def _forget_account(user) -> None:
    """The citizen account of an erased person: it goes with them (its e-mail and name are
    theirs). The row stays, as the access log points to it, but says nobody and opens nothing.
    A staff account is only unlinked: it belongs to the person's work, not to their care."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from legami.core.models import Notification
    from legami.core.roles import CITIZEN

    if user.role != CITIZEN or user.is_staff or user.is_superuser:
        return
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).update(object_repr="")
    user.email = f"erased-{secrets.token_hex(8)}@invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def retention_run(*, by=None, older_than_days: int | None = None, now=None) -> int:
    """Anonymise people whose referrals all ended more than `older_than_days` ago (default:
    the setting; the rule and its floor live in referrals.retention). Safe to run twice:
    anonymised people are skipped. Returns how many were anonymised."""
    older_than_days = retention.days_checked(older_than_days)
    now = now or timezone.now()
    count = 0
    candidates = retention.retention_candidates(older_than_days=older_than_days, now=now)
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
