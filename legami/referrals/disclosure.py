"""Who reads what of a referral beyond its status: the private texts and the person's contacts.

The one place the rule is written; the referral page, the caseload, the provider's inbox, the
API and the PDFs all ask here (docs/decisions.md, "Who reads a referral's private texts").
Being allowed to open a referral (scopes.py) is not enough to read everything on it:

- reason for referral and known risks: the prescriber who wrote them and the link workers of
  the person's territory (who may take the case);
- what matters to the person, goals, case notes: the link workers of the territory; the person
  reads what matters and the goals they agreed;
- why the case moved (the notes of its timeline, the reason for closing, a provider's reason
  for declining): the link workers of the territory and the prescriber who referred;
- other prescribers of the organisation: the status and timeline, no texts, no contacts;
- providers: no texts; access needs, and contacts while the person consents to be contacted;
- the superuser: no texts and no contacts (the DPO answers data-subject requests);
- contacts: the person; the prescriber who referred them (who typed them); the link workers of
  the territory and the providers of the person's activities only while the "contact"
  consent is active, as the consent page promises.

A `Disclosure` is built once per request: it reads the user's territory or organisations in one
query, then answers for any number of rows without another.
"""

from functools import cached_property

from legami.core.roles import CITIZEN, LINK_WORKER, PRESCRIBER, PROVIDER, effective_role
from legami.territory.queries import comuni_in_scope

from .models import ConsentPurpose
from .scopes import member_organisations

REASON = "reason_text"
RISKS = "risks"
WHAT_MATTERS = "what_matters"
GOALS = "goals"
NOTES = "notes"
# The words typed when the case moved: a transition's note, the reason for closing, a
# provider's reason for declining. They often say why ("ricoverata", "trasferita").
WHY = "why"
PRIVATE_TEXTS = (REASON, RISKS, WHAT_MATTERS, GOALS, NOTES, WHY)

_LINK_WORKER_READS = frozenset(PRIVATE_TEXTS)
_REFERRER_READS = frozenset({REASON, RISKS, WHY})
_PERSON_READS = frozenset({WHAT_MATTERS, GOALS})


def contact_consented(referral, enrolment=None) -> bool:
    """Whether the person consents to be contacted now: the `contact_allowed` annotation of
    list queries when there is one, else the record's (prefetched) consents."""
    for holder in (enrolment, referral):
        if holder is not None and hasattr(holder, "contact_allowed"):
            return bool(holder.contact_allowed)
    return any(
        consent.purpose == ConsentPurpose.CONTACT and consent.withdrawn_at is None
        for consent in referral.beneficiary.consents.all()
    )


class Disclosure:
    """What one user may read of the referrals they may open."""

    def __init__(self, user):
        self.user = user
        self.role = effective_role(user)

    @cached_property
    def _territory(self) -> frozenset[int]:
        if self.role != LINK_WORKER:
            return frozenset()
        return frozenset(comuni_in_scope(self.user).values_list("pk", flat=True))

    @cached_property
    def _organisations(self) -> frozenset[int]:
        if self.role != PROVIDER:
            return frozenset()
        return frozenset(member_organisations(self.user).values_list("pk", flat=True))

    def works_on(self, referral) -> bool:
        """A link worker of the person's territory: the people who may take the case."""
        return self.role == LINK_WORKER and referral.comune_id in self._territory

    def wrote(self, referral) -> bool:
        """The prescriber who made the referral (not their colleagues)."""
        return (
            self.role == PRESCRIBER
            and referral.referrer_id is not None
            and referral.referrer_id == self.user.pk
        )

    def is_the_person(self, referral) -> bool:
        return self.role == CITIZEN and referral.beneficiary.user_id == self.user.pk

    def texts(self, referral) -> frozenset[str]:
        """The private texts of `referral` this user reads (names from PRIVATE_TEXTS)."""
        if self.works_on(referral):
            return _LINK_WORKER_READS
        if self.wrote(referral):
            return _REFERRER_READS
        if self.is_the_person(referral):
            return _PERSON_READS
        return frozenset()

    def contacts(self, referral, *, enrolment=None) -> bool:
        """Whether this user sees the person's phone and e-mail on `referral` (for a provider,
        on `enrolment`, one of the referral's enrolments into their activities)."""
        if self.is_the_person(referral) or self.wrote(referral):
            return True
        if self.works_on(referral):
            return contact_consented(referral)
        if (
            self.role == PROVIDER
            and enrolment is not None
            and enrolment.activity.organisation_id in self._organisations
        ):
            return contact_consented(referral, enrolment)
        return False
