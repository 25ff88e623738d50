"""The evaluators' pseudonymised referral extract: only people who consented to research, no
identity, and k-anonymous on what someone who knows the person could know (core.privacy):
age band, province and inner-area class of the comune they live in, and the programme. Dates
are given by month. A row whose combination fewer than `SMALL_CELL` people share is left out.

The outcomes module's questionnaire extract uses the same pseudonymous id and the same
generalisations, so joining the two tells no more than each says.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from legami.core.privacy import age_band_expression, k_anonymous

from .models import Consent, ConsentPurpose, Referral

QUASI_IDENTIFIERS = ("age_band", "province", "inner_area", "programme_name")


def _with_quasi_identifiers(referrals: QuerySet, today: date) -> QuerySet:
    return referrals.annotate(
        age_band=age_band_expression("beneficiary__birth_date", today),
        province=F("beneficiary__comune__province__code"),
        inner_area=F("beneficiary__comune__inner_area_class"),
        programme_name=Coalesce(F("programme__name"), Value("")),
    )


def in_research():
    """The condition for a row about a person (through its `beneficiary`) to be in a research
    extract: the person consents to research now and has not been anonymised."""
    consented = Consent.objects.filter(
        beneficiary=OuterRef("beneficiary"),
        purpose=ConsentPurpose.RESEARCH,
        withdrawn_at__isnull=True,
    )
    return Q(Exists(consented), beneficiary__anonymised_at__isnull=True)


@dataclass
class Extract:
    rows: QuerySet  # every consenting referral, with its quasi-identifiers annotated
    kept: set  # the combinations shared by at least SMALL_CELL people
    people: set  # the ids of the people whose rows are in the file

    def shows(self, referral: Referral) -> bool:
        return tuple(getattr(referral, name) for name in QUASI_IDENTIFIERS) in self.kept


def research_extract(*, today: date | None = None) -> Extract:
    """What the file holds: one grouped read decides which combinations are shown (and so
    whose rows, for the access log), then the rows stream in the order of their ids."""
    today = today or timezone.localdate()
    referrals = _with_quasi_identifiers(Referral.objects.filter(in_research()), today)
    kept, people = k_anonymous(
        referrals.order_by().values_list("beneficiary_id", *QUASI_IDENTIFIERS).distinct()
    )
    rows = (
        referrals.select_related("beneficiary", "programme")
        .prefetch_related("reasons")
        .only(
            "id",
            "received_at",
            "closed_at",
            "status",
            "source",
            "urgency",
            "first_contacted_at",
            "programme__name",
            "beneficiary__pseudonym",
        )
        .order_by("pk")
    )
    return Extract(rows=rows, kept=kept, people=people)
