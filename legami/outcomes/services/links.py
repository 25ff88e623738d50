"""Self-completion links: a worker creates one, the person answers on their own phone with no
account. The link is single-use and expires; answers typed so far are kept until it is sent."""

import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legami.core.audit import audit
from legami.core.crypto import decrypt, encrypt, keyed_hash
from legami.referrals.models import Beneficiary, ConsentPurpose, Referral
from legami.referrals.services import active_consents

from .. import questions
from ..models import FOLLOW_UPS, Instrument, Mode, Response, SelfCompletionLink, Timepoint
from ..permissions import policy
from ..services import check_can_measure, response_record


class LinkUnusable(ValidationError):
    """The link cannot be used (unknown, used, expired, consent withdrawn): say why."""


def _check_can_administer(instrument, beneficiary, timepoint) -> None:
    check_can_measure(instrument, beneficiary)
    if instrument.item_text_licensed and not instrument.items.exclude(text="").exists():
        raise ValidationError(
            {
                "instrument": _(
                    "The wording of this questionnaire has not been loaded yet: your "
                    "organisation loads it under its own licence."
                )
            }
        )
    if timepoint not in Timepoint.values:
        raise ValidationError({"timepoint": _("Unknown timepoint.")})
    if (
        timepoint in FOLLOW_UPS
        and not Response.objects.filter(
            instrument=instrument, beneficiary=beneficiary, timepoint=Timepoint.BASELINE
        ).exists()
    ):
        raise ValidationError(
            {
                "timepoint": _(
                    "A follow-up cannot come before its baseline: record the baseline "
                    "of this questionnaire first."
                )
            }
        )


@transaction.atomic
def link_create(
    *,
    by,
    instrument: Instrument,
    beneficiary: Beneficiary,
    timepoint: str,
    referral: Referral | None = None,
) -> tuple[SelfCompletionLink, str]:
    """A new link and its token (shown once, as an address and a QR code; never stored)."""
    policy.authorize(by, "administer", referral if referral is not None else beneficiary)
    _check_can_administer(instrument, beneficiary, timepoint)
    if referral is not None and referral.beneficiary_id != beneficiary.pk:
        raise ValidationError({"referral": _("The referral is about another person.")})
    token = secrets.token_urlsafe(18)
    link = SelfCompletionLink.objects.create(
        token_hash=keyed_hash(token),
        instrument=instrument,
        beneficiary=beneficiary,
        referral=referral,
        timepoint=timepoint,
        created_by=by,
        expires_at=timezone.now() + timedelta(days=settings.OUTCOMES_LINK_DAYS),
    )
    audit(by=by, action="create", obj=link, purpose="outcome self-completion link")
    return link, token


def link_for_token(token: str, *, for_update: bool = False) -> SelfCompletionLink:
    """The usable link behind `token`, or LinkUnusable saying why not."""
    links = SelfCompletionLink.objects.select_related("instrument", "beneficiary")
    if for_update:
        links = links.select_for_update(of=("self",))
    link = links.filter(token_hash=keyed_hash(token or "")).first() if token else None
    if link is None:
        raise LinkUnusable(_("This link does not exist. Check that it was copied in full."))
    if link.used_at is not None:
        raise LinkUnusable(
            _("This questionnaire has already been sent. Thank you: there is nothing more to do.")
        )
    if link.expires_at <= timezone.now() or link.beneficiary.anonymised_at is not None:
        raise LinkUnusable(
            _("This link has expired. Ask the person who gave it to you for a new one.")
        )
    if ConsentPurpose.OUTCOMES not in active_consents(link.beneficiary):
        raise LinkUnusable(
            _("Consent to outcome measurement has been withdrawn: this link no longer works.")
        )
    return link


@transaction.atomic
def link_save_draft(token: str, answers: dict) -> SelfCompletionLink:
    """Keep the answers given so far (valid ones only are accepted: nothing half-checked)."""
    link = link_for_token(token, for_update=True)
    items = {item.number: item for item in link.instrument.items.all()}
    errors = questions.answers_errors(items, answers)
    if errors:
        raise ValidationError({"answers": errors})
    given = {str(n): v for n, v in questions.normalised(items, answers).items() if v is not None}
    # Sealed: a free-text answer is as private in a draft as in the response.
    link.draft = {"sealed": encrypt(json.dumps(given))} if given else {}
    link.save(update_fields=["draft"])
    return link


def draft_answers(link: SelfCompletionLink) -> dict[str, object]:
    """The answers saved so far, {item number as str: answer}."""
    sealed = link.draft.get("sealed")
    if sealed:
        return json.loads(decrypt(sealed))
    return dict(link.draft)  # saved before drafts were sealed: plain numbers


@transaction.atomic
def link_submit(token: str, answers: dict) -> Response:
    """Record the person's answers as a self-completed response and close the link."""
    link = link_for_token(token, for_update=True)
    response = response_record(
        by=None,
        instrument=link.instrument,
        beneficiary=link.beneficiary,
        referral=link.referral,
        timepoint=link.timepoint,
        administered_on=timezone.localdate(),
        answers=answers,
        mode=Mode.SELF,
    )
    link.used_at = timezone.now()
    link.response = response
    link.draft = {}
    link.save(update_fields=["used_at", "response", "draft"])
    return response
