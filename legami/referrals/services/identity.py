"""Whose record is whose. A record is joined to another, or to a citizen account, only by
someone who has checked: the link worker who merges a possible duplicate after speaking with
the person, staff who link an account the person names, or the person proving they hold the
e-mail already on the record (a one-time code). Knowing a name and a birth date is never
enough (docs/decisions.md, "Self-referral never takes over a record")."""

import hmac
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from legami.accounts.models import User
from legami.core.audit import audit
from legami.core.crypto import keyed_hash
from legami.core.emails import send_templated_email
from legami.core.roles import CITIZEN

from ..models import AccountLinkCode, Beneficiary, Consent, Referral
from ..permissions import policy
from .people import identity_hash

# What a link worker may carry over from the duplicate onto the record kept, one by one.
MERGEABLE_FIELDS = (
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
    "user",
)

CODE_DIGITS = 6
CODE_MINUTES = 15
CODE_ATTEMPTS = 5  # wrong codes typed before a code stops working
# Codes sent per day: to one record by one account, and to one record whatever the account.
# Beyond them nothing is sent and the answer stays the same, so guessing is bounded.
CODES_PER_ACCOUNT_AND_RECORD = 3
CODES_PER_RECORD = 5


def _check_works_on(by, beneficiary: Beneficiary) -> None:
    """A link worker who may work on one of the person's referrals (or the system)."""
    policy.authorize(by, "work")
    if by is not None and not policy.scope(
        by, "work", Referral.objects.filter(beneficiary=beneficiary)
    ).exists():
        raise Http404


# --- possible duplicates ----------------------------------------------------------------------
def _settle_consents(*, keep: Beneficiary, duplicate: Beneficiary, now) -> None:
    """Both records' consents become the kept record's history. Where both hold an active
    consent for the same purpose, the newer one is the person's latest word; the older one is
    closed as superseded (one active consent per purpose)."""
    active = Consent.objects.filter(beneficiary__in=[keep, duplicate], withdrawn_at__isnull=True)
    newest = {}
    for consent in active.order_by("given_at", "pk"):
        older = newest.get(consent.purpose)
        if older is not None:
            Consent.objects.filter(pk=older.pk).update(
                withdrawn_at=now, withdrawn_by_label=_("superseded: records merged")
            )
        newest[consent.purpose] = consent


def _move_everything(*, keep: Beneficiary, duplicate: Beneficiary) -> dict[str, int]:
    """Every row of every module that points to the duplicate now points to the record kept:
    read from the schema, so a module added later is covered without being named here."""
    moved = {}
    for relation in Beneficiary._meta.related_objects:
        model, field = relation.related_model, relation.field
        if model is AccountLinkCode:
            continue  # codes belong to the record they were sent for: dropped below
        if relation.many_to_many:
            raise NotImplementedError(f"merging does not know how to move {model.__name__}")
        rows = model._base_manager.filter(**{field.name: duplicate})
        if model is Beneficiary:
            rows = rows.exclude(pk=keep.pk)
        count = rows.update(**{field.name: keep})
        if count:
            moved[model._meta.label_lower] = count
    return moved


@transaction.atomic
def beneficiary_merge(*, by, keep: Beneficiary, duplicate: Beneficiary, take=()) -> Beneficiary:
    """Join a possible duplicate to the record it was flagged against, after the link worker
    has checked with the person that they are one. Referrals, consents and every other
    module's rows move to `keep`; of the duplicate's details only the fields in `take` (the
    worker's choice, one by one) replace the kept record's; the duplicate is then deleted. The
    kept record counts as checked from now on."""
    keep = Beneficiary.objects.select_for_update().get(pk=keep.pk)
    duplicate = Beneficiary.objects.select_for_update().get(pk=duplicate.pk)
    _check_works_on(by, duplicate)
    take = list(dict.fromkeys(take or ()))
    if duplicate.possible_duplicate_of_id != keep.pk:
        raise ValidationError(_("These two records are not flagged as possible duplicates."))
    if keep.anonymised_at or duplicate.anonymised_at:
        raise ValidationError(_("An anonymised record cannot be merged."))
    unknown = [name for name in take if name not in MERGEABLE_FIELDS]
    if unknown:
        raise ValidationError({"take": _("Choose the details to keep from the list.")})
    if "user" in take and duplicate.user_id is None:
        raise ValidationError({"take": _("The new request has no citizen account to link.")})
    if "user" in take and keep.user_id not in (None, duplicate.user_id):
        raise ValidationError(
            {"take": _("The record you keep is already linked to another citizen account.")}
        )
    now = timezone.now()
    account = duplicate.user if "user" in take else None
    for name in take:
        if name != "user":
            setattr(keep, name, getattr(duplicate, name))
    _settle_consents(keep=keep, duplicate=duplicate, now=now)
    AccountLinkCode.objects.filter(beneficiary=duplicate).delete()
    moved = _move_everything(keep=keep, duplicate=duplicate)
    duplicate_pk = duplicate.pk
    duplicate.delete()  # nothing points to it any more; its access log rows stay
    keep.user = account or keep.user
    keep.self_declared = False
    if keep.possible_duplicate_of_id == duplicate_pk:
        keep.possible_duplicate_of = None
    keep.tax_code_hash = keyed_hash(keep.tax_code)
    keep.identity_hash = identity_hash(keep.first_name, keep.last_name, keep.birth_date)
    try:
        with transaction.atomic():
            keep.save()
    except IntegrityError:
        raise ValidationError(
            {"take": _("Another checked record already holds this codice fiscale.")}
        ) from None
    audit(
        by=by,
        action="update",
        obj=keep,
        purpose="records merged after checking identity with the person",
        changes={"merged_record": duplicate_pk, "fields": sorted(take), "moved": moved},
    )
    audit(
        by=by,
        action="delete",
        object_type="referrals.beneficiary",
        object_id=str(duplicate_pk),
        purpose=f"merged into record {keep.pk}",
    )
    return keep


@transaction.atomic
def beneficiary_duplicate_dismiss(*, by, beneficiary: Beneficiary) -> Beneficiary:
    """The link worker has checked: not the same person. The flag goes; both records stay."""
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    _check_works_on(by, beneficiary)
    other = beneficiary.possible_duplicate_of_id
    if other is None:
        raise ValidationError(_("This record is not flagged as a possible duplicate."))
    beneficiary.possible_duplicate_of = None
    beneficiary.save(update_fields=["possible_duplicate_of", "updated_at"])
    audit(
        by=by,
        action="update",
        obj=beneficiary,
        purpose="possible duplicate dismissed: not the same person",
        changes={"possible_duplicate_of": [other, None]},
    )
    return beneficiary


# --- citizen accounts -------------------------------------------------------------------------
def _link(*, by, beneficiary: Beneficiary, account, purpose: str) -> Beneficiary:
    beneficiary.user = account
    beneficiary.save(update_fields=["user", "updated_at"])
    audit(
        by=by,
        action="update",
        obj=beneficiary,
        purpose=purpose,
        changes={"user": [None, account.pk]},
    )
    return beneficiary


def _check_follows(by, beneficiary: Beneficiary) -> None:
    """The prescriber who referred the person, or a link worker of their territory
    (permissions: link_account)."""
    policy.authorize(by, "link_account")
    if by is not None and not policy.scope(
        by, "link_account", Referral.objects.filter(beneficiary=beneficiary)
    ).exists():
        raise Http404


@transaction.atomic
def beneficiary_link_account(*, by, beneficiary: Beneficiary, email: str) -> Beneficiary:
    """Staff who follow the person (the prescriber who referred them, the link workers of the
    territory) link the citizen account the person names, by its confirmed e-mail."""
    _check_follows(by, beneficiary)
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Write the e-mail of the person's account.")})
    if beneficiary.anonymised_at:
        raise ValidationError({"email": _("An anonymised record cannot be linked.")})
    if beneficiary.user_id is not None:
        raise ValidationError({"email": _("This record is already linked to a citizen account.")})
    account = User.objects.filter(email__iexact=email, role=CITIZEN, is_active=True).first()
    if account is None:
        raise ValidationError(
            {
                "email": _(
                    "No citizen account uses this e-mail: ask the person to sign up with it first."
                )
            }
        )
    if not EmailAddress.objects.filter(user=account, email__iexact=email, verified=True).exists():
        raise ValidationError(
            {
                "email": _(
                    "The account has not confirmed this e-mail yet: ask the person to open the "
                    "confirmation message first."
                )
            }
        )
    if Beneficiary.objects.filter(user=account).exists():
        raise ValidationError(
            {
                "email": _(
                    "This account is already linked to another record: if it is the same "
                    "person, merge the two records."
                )
            }
        )
    return _link(
        by=by, beneficiary=beneficiary, account=account, purpose="citizen account linked by staff"
    )


def _code_hash(user, code: str) -> str:
    return keyed_hash(f"account-link|{user.pk}|{code}")


def _check_citizen(by) -> None:
    policy.authorize(by, "claim_record")


@transaction.atomic
def account_link_request(*, by, first_name: str, last_name: str, birth_date, now=None) -> None:
    """A citizen asks to see a record that may be theirs. If records with these details have
    an e-mail and no account yet, a one-time code goes to that e-mail; the caller is told
    nothing either way (the page always says the same)."""
    _check_citizen(by)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors = {
        name: _("This field is required.")
        for name, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("birth_date", birth_date),
        )
        if not value
    }
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    day_ago = now - timedelta(days=1)
    candidates = Beneficiary.objects.filter(
        identity_hash=identity_hash(first_name, last_name, birth_date),
        anonymised_at__isnull=True,
        user__isnull=True,
    ).exclude(email="")
    for person in candidates.order_by("pk")[:5]:
        sent = AccountLinkCode.objects.filter(beneficiary=person, created_at__gte=day_ago)
        if (
            sent.count() >= CODES_PER_RECORD
            or sent.filter(user=by).count() >= CODES_PER_ACCOUNT_AND_RECORD
        ):
            continue
        # A new code replaces the account's earlier one for this record.
        AccountLinkCode.objects.filter(
            user=by, beneficiary=person, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        AccountLinkCode.objects.create(
            user=by,
            beneficiary=person,
            code_hash=_code_hash(by, code),
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        audit(
            by=by,
            action="create",
            obj=person,
            purpose="one-time code sent to the e-mail on the record (account link request)",
        )
        send_templated_email(
            "referrals/emails/account_code",
            [person.email],
            {"code": code, "minutes": CODE_MINUTES, "account": by.email},
        )


def account_link_confirm(*, by, code: str, now=None) -> tuple[Beneficiary, bool]:
    """The citizen types the code they received. Right: the record is linked to their account
    (or, when the account already has a record, that record is flagged as a possible
    duplicate of this one for the link worker to merge). Returns (record, linked). Wrong: every
    pending code of the account loses one attempt, and the refusal names no record."""
    _check_citizen(by)
    now = now or timezone.now()
    code = "".join((code or "").split())
    with transaction.atomic():
        pending = list(
            AccountLinkCode.objects.select_for_update().filter(
                user=by, used_at__isnull=True, expires_at__gt=now, attempts__lt=CODE_ATTEMPTS
            )
        )
        typed = _code_hash(by, code) if code.isdigit() and len(code) == CODE_DIGITS else ""
        match = next(
            (c for c in pending if typed and hmac.compare_digest(c.code_hash, typed)), None
        )
        if match is None:
            AccountLinkCode.objects.filter(pk__in=[c.pk for c in pending]).update(
                attempts=F("attempts") + 1
            )
        else:
            result = _claim(by=by, code=match, now=now)
    # Outside the transaction: a wrong code's lost attempt is kept although the call fails.
    if match is None:
        raise ValidationError(
            {
                "code": _(
                    "This code is not right, or it is no longer valid. Check the e-mail, or ask "
                    "for a new code."
                )
            }
        )
    return result


def _claim(*, by, code: AccountLinkCode, now) -> tuple[Beneficiary, bool]:
    person = Beneficiary.objects.select_for_update().get(pk=code.beneficiary_id)
    AccountLinkCode.objects.filter(user=by, beneficiary=person, used_at__isnull=True).update(
        used_at=now
    )
    if person.user_id is not None or person.anonymised_at:
        return person, False
    own = Beneficiary.objects.filter(user=by).first()
    if own is None:
        return _link(
            by=by,
            beneficiary=person,
            account=by,
            purpose="citizen account linked: one-time code to the e-mail on the record",
        ), True
    if own.possible_duplicate_of_id is None:
        own.possible_duplicate_of = person
        own.save(update_fields=["possible_duplicate_of", "updated_at"])
    audit(
        by=by,
        action="update",
        obj=person,
        purpose="citizen proved the record by one-time code; their other record awaits merging",
        changes={"possible_duplicate": own.pk},
    )
    return person, False
