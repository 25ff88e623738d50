"""Every write of qualitative evidence: checked, atomic, written to the access log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legami.core.audit import audit

from ..models.evidence import Code, Evidence
from ..permissions import policy

EVIDENCE_FIELDS = ("programme", "kind", "collected_on", "setting", "participants", "text")


@transaction.atomic
def evidence_record(*, by, data: dict, codes) -> Evidence:
    policy.authorize(by, "evidence")
    if data.get("programme") is not None:
        # Only for a programme one works on (the form offers no other).
        policy.authorize(by, "evidence", data["programme"])
    evidence = Evidence(recorded_by=by, **{k: data.get(k) for k in EVIDENCE_FIELDS})
    errors = {}
    if evidence.collected_on and evidence.collected_on > timezone.localdate():
        errors["collected_on"] = _("The date cannot be in the future.")
    if not (evidence.text or "").strip():
        errors["text"] = _("Write the transcript or the notes.")
    if errors:
        raise ValidationError(errors)
    evidence.full_clean()
    evidence.save()
    evidence.codes.set(codes or [])
    audit(by=by, action="create", obj=evidence, purpose="qualitative evidence")
    return evidence


@transaction.atomic
def code_create(*, by, name: str, description: str = "") -> Code:
    policy.authorize(by, "evidence")
    name = (name or "").strip()
    if Code.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("The codebook already has this code.")})
    code = Code(name=name, description=(description or "").strip())
    code.full_clean()
    code.save()
    audit(by=by, action="create", obj=code, purpose="codebook")
    return code
