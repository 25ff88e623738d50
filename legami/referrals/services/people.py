"""The person referred: validation, duplicate detection, consents, export and erasure."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.it import codicefiscale

from legami.core.audit import audit
from legami.core.crypto import keyed_hash
from legami.directory.text import fold

from ..consent import CONSENT_VERSION, GIVE, WITHDRAW
from ..models import (
    OPEN_STATUSES,
    Beneficiary,
    Consent,
    ConsentPurpose,
    ContactChannel,
    EnrolmentStatus,
    Gender,
    Status,
)
from ..permissions import policy
from .timeline import record_transition

BENEFICIARY_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "tax_code",
    "comune",
    "phone",
    "email",
    "preferred_contact",
    "languages",
    "access_needs",
    "needs_step_free",
)


def actor_label(by) -> str:
    return by.email if by is not None and by.is_authenticated else ""


def normalise_person_tax_code(value: str) -> str:
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        return ""
    if len(value) != 16:
        raise ValidationError(
            {
                "tax_code": _("A person's codice fiscale has 16 characters; this one has %(n)d.")
                % {"n": len(value)}
            }
        )
    if not codicefiscale.is_valid(value):
        raise ValidationError(
            {"tax_code": _("This codice fiscale is not valid: check it letter by letter.")}
        )
    return codicefiscale.compact(value)


def identity_hash(first_name: str, last_name: str, birth_date) -> str:
    if not (first_name and last_name and birth_date):
        return ""
    return keyed_hash(f"{fold(first_name).strip()}|{fold(last_name).strip()}|{birth_date}")


def clean_beneficiary(data: dict) -> dict:
    data = {key: data[key] for key in BENEFICIARY_FIELDS if key in data}
    errors = {}
    for key in ("first_name", "last_name"):
        data[key] = (data.get(key) or "").strip()
        if not data[key]:
            errors[key] = _("This field is required.")
    birth_date = data.get("birth_date")
    if birth_date and not isinstance(birth_date, date):
        errors["birth_date"] = _("Enter a valid date.")
    elif birth_date and birth_date > timezone.localdate():
        errors["birth_date"] = _("The birth date cannot be in the future.")
    try:
        data["tax_code"] = normalise_person_tax_code(data.get("tax_code", ""))
    except ValidationError as error:
        errors.update(error.message_dict)
    if (
        data.get("tax_code")
        and birth_date
        and "birth_date" not in errors
        and "tax_code" not in errors
        and codicefiscale.get_birth_date(data["tax_code"]) != birth_date
    ):
        errors["birth_date"] = _("The birth date does not match the codice fiscale.")
    if not data.get("comune"):
        errors["comune"] = _("Choose the comune where the person lives.")
    if "gender" in data:
        data["gender"] = data["gender"] or ""
        if data["gender"] not in Gender.values:
            errors["gender"] = _("Choose a gender from the list, or leave it blank.")
    contact = data.get("preferred_contact") or ContactChannel.PHONE
    if contact == ContactChannel.PHONE and not (data.get("phone") or "").strip():
        errors["phone"] = _("Give a phone number, or choose another way to be contacted.")
    if contact == ContactChannel.EMAIL and not (data.get("email") or "").strip():
        errors["email"] = _("Give an e-mail address, or choose another way to be contacted.")
    if errors:
        raise ValidationError(errors)
    return data


def _same_person(data: dict):
    """Records that may be this person: same codice fiscale, or same name and birth date when
    at most one of the two records has a codice fiscale. Checked records first."""
    active = Beneficiary.objects.filter(anonymised_at__isnull=True)
    match = same_code = Q(pk__in=[])
    if data.get("tax_code"):
        same_code = Q(tax_code_hash=keyed_hash(data["tax_code"]))
        match |= same_code
    key = identity_hash(data["first_name"], data["last_name"], data.get("birth_date"))
    if key:
        same_name = Q(identity_hash=key)
        if data.get("tax_code"):
            same_name &= Q(tax_code_hash="")
        match |= same_name
    # The same codice fiscale outranks the same name: filling a name match with a code another
    # checked record holds would break their uniqueness.
    code_first = Case(When(same_code, then=Value(0)), default=Value(1))
    return active.filter(match).order_by("self_declared", code_first, "pk")


def find_duplicate(data: dict) -> Beneficiary | None:
    """The record this person most likely already has (a checked one before a self-declared
    one), or None."""
    return _same_person(data).first()


def _fill_blanks(*, by, existing: Beneficiary, data: dict) -> Beneficiary:
    """A professional referral of a person already known: blanks of the record are filled with
    what the professional typed; nothing already there is overwritten (contacts included)."""
    filled = [k for k, v in data.items() if v and not getattr(existing, k)]
    for key in filled:
        setattr(existing, key, data[key])
    if data.get("tax_code") and not existing.tax_code_hash:
        existing.tax_code_hash = keyed_hash(data["tax_code"])
        filled.append("tax_code_hash")
    if filled:
        existing.save(update_fields=[*filled, "updated_at"])
    audit(
        by=by,
        action="update",
        obj=existing,
        purpose="duplicate detected on referral",
        changes={"fields": sorted(filled)},
    )
    return existing


def _new_beneficiary(
    *, by, data: dict, user, is_demo: bool, self_declared: bool, duplicate_of
) -> tuple[Beneficiary, bool]:
    beneficiary = Beneficiary(
        **data,
        user=user,
        is_demo=is_demo,
        self_declared=self_declared,
        possible_duplicate_of=duplicate_of,
    )
    beneficiary.tax_code_hash = keyed_hash(data["tax_code"])
    beneficiary.identity_hash = identity_hash(
        data["first_name"], data["last_name"], data.get("birth_date")
    )
    beneficiary.full_clean(
        exclude=["tax_code_hash", "identity_hash", "pseudonym", "possible_duplicate_of"],
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            beneficiary.save()
    except IntegrityError:
        if self_declared:
            # The same citizen's other request, a moment ago, made their record: use it.
            return Beneficiary.objects.get(user=user), False
        # Someone saved the same codice fiscale a moment ago (only checked records are unique):
        # use theirs, as a found duplicate.
        existing = Beneficiary.objects.get(
            tax_code_hash=beneficiary.tax_code_hash, self_declared=False
        )
        return _fill_blanks(by=by, existing=existing, data=data), False
    audit(
        by=by,
        action="create",
        obj=beneficiary,
        purpose="self-referral" if self_declared else "referral",
        changes={"possible_duplicate_of": duplicate_of.pk} if duplicate_of else None,
    )
    return beneficiary, True


def beneficiary_find_or_create(
    *, by, public: bool = False, is_demo: bool = False, user=None, **fields
) -> tuple[Beneficiary, bool]:
    """The person's record. Returns (beneficiary, created).

    A professional referral (`public` False) joins the checked record of the same person and
    fills its blanks. Input from a public form never touches an existing record: it always
    makes a new, self-declared one (linked to `user`, the citizen who typed it), flagged as a
    possible duplicate of the record it resembles, for the link worker to check. Both paths
    run the same queries and answer the same way, so the form cannot tell whether a match
    exists. A professional referral resembling only a self-declared record is flagged too."""
    data = clean_beneficiary(fields)
    match = find_duplicate(data)
    if not public and match is not None and not match.self_declared:
        return _fill_blanks(by=by, existing=match, data=data), False
    return _new_beneficiary(
        by=by,
        data=data,
        user=user if public else None,
        is_demo=is_demo,
        self_declared=public,
        duplicate_of=match,
    )


# --- consent --------------------------------------------------------------------------------
def active_consents(beneficiary: Beneficiary) -> set[str]:
    return set(
        beneficiary.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)
    )


@transaction.atomic
def consent_give(*, by, beneficiary: Beneficiary, purpose: str, version: str = CONSENT_VERSION):
    """The person, or a link worker of their territory, records a consent they give."""
    policy.authorize(by, "consent", beneficiary)
    return consent_record(by=by, beneficiary=beneficiary, purpose=purpose, version=version)


def consent_record(*, by, beneficiary: Beneficiary, purpose: str, version: str = CONSENT_VERSION):
    """A consent written down without asking who may: for referral_create, whose caller has
    already been allowed to refer and gathers the consents on the referral form."""
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": _("Unknown purpose of consent.")})
    current = beneficiary.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    if current is not None and current.text_version == version:
        return current
    if current is not None:
        current.withdrawn_at = timezone.now()
        current.withdrawn_by_label = actor_label(by)
        current.save(update_fields=["withdrawn_at", "withdrawn_by_label"])
    consent = Consent.objects.create(
        beneficiary=beneficiary,
        purpose=purpose,
        text_version=version,
        recorded_by=by if by is not None and by.is_authenticated else None,
        recorded_by_label=actor_label(by),
    )
    audit(by=by, action="create", obj=beneficiary, purpose=f"consent given: {purpose}")
    return consent


@transaction.atomic
def consent_withdraw(*, by, beneficiary: Beneficiary, purpose: str) -> None:
    """One action, and what depended on the consent stops: without care coordination the open
    referrals close and their places are released; without contact, providers stop seeing the
    person's phone and e-mail (queries read the consent); without outcome measurement no new
    questionnaire is recorded; without research the person leaves research extracts."""
    policy.authorize(by, "consent", beneficiary)
    updated = beneficiary.consents.filter(purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by_label=actor_label(by)
    )
    if not updated:
        raise ValidationError({"purpose": _("There is no active consent for this purpose.")})
    audit(by=by, action="update", obj=beneficiary, purpose=f"consent withdrawn: {purpose}")
    if purpose == ConsentPurpose.CARE:
        now = timezone.now()
        for referral in beneficiary.referrals.filter(status__in=OPEN_STATUSES):
            referral.enrolments.filter(
                status__in=[EnrolmentStatus.PENDING, EnrolmentStatus.ACCEPTED]
            ).update(status=EnrolmentStatus.WITHDRAWN, responded_at=now)
            record_transition(
                referral, by=by, to=Status.CLOSED, note=_("consent withdrawn"), now=now
            )
            referral.closure_reason = _("The person withdrew consent to care coordination.")
            referral.save(update_fields=["closure_reason"])


def consent_change(*, by, beneficiary: Beneficiary, purpose: str, action: str):
    """The one dispatch of the consent form (citizen page, link worker page, API): `action` is
    "give" or "withdraw" (consent.CONSENT_ACTIONS)."""
    policy.authorize(by, "consent", beneficiary)
    if action == GIVE:
        return consent_give(by=by, beneficiary=beneficiary, purpose=purpose)
    if action == WITHDRAW:
        return consent_withdraw(by=by, beneficiary=beneficiary, purpose=purpose)
    raise ValidationError({"action": _("Choose whether to give or withdraw the consent.")})
