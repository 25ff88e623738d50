"""Every non-trivial read of social prescribing, already filtered to what the user may see.
Query counts do not grow with the data: lists select and prefetch what their rows show."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from legami.accounts.models import User
from legami.core.crypto import keyed_hash
from legami.core.roles import LINK_WORKER
from legami.core.views_helpers import id_param
from legami.directory.models import Activity
from legami.territory.models import Comune

from ..models import (
    ENDED_STATUSES,
    HOLDING_PLACE,
    OPEN_STATUSES,
    Attendance,
    Beneficiary,
    Consent,
    ConsentPurpose,
    Enrolment,
    EnrolmentStatus,
    Referral,
    ReferralEvent,
    Status,
)
from ..permissions import policy
from ..services.enrolment import register_enrolments
from ..services.people import normalise_person_tax_code

CASELOAD_VIEWS = ("mine", "unassigned", "all")
# Open cases first (an ended path stays reachable, below the work still to do), then the late
# first contacts, then the nearest deadline.
CASELOAD_ORDER = ("is_ended", "-is_overdue", "first_contact_due", "-received_at", "-pk")
ENCRYPTED_ON_ROWS = (
    "reason_text",
    "risks",
    "what_matters",
    "goals",
    "beneficiary__tax_code",
)


@dataclass
class CaseloadFilter:
    """The link worker's filters, read from a query string; unknown values are ignored."""

    view: str = "mine"
    status: str = ""
    overdue: bool = False
    comune: int | None = None
    programme: int | None = None
    text: str = ""
    duplicates: bool = False  # only people flagged as a possible duplicate of another record

    @classmethod
    def from_params(cls, params) -> "CaseloadFilter":
        def as_int(name):
            return id_param(params.get(name, ""))

        view = params.get("view", "mine")
        status = params.get("status", "")
        return cls(
            view=view if view in CASELOAD_VIEWS else "mine",
            status=status if status in Status.values or status == "open" else "",
            overdue=params.get("overdue") in ("1", "on", "true"),
            duplicates=params.get("duplicates") in ("1", "on", "true"),
            comune=as_int("comune"),
            programme=as_int("programme"),
        )


def _overdue_expression(today):
    return Case(
        When(
            Q(first_contacted_at__isnull=True, first_contact_due__lt=today, status=Status.RECEIVED),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


def _ended_expression():
    return Case(
        When(status__in=ENDED_STATUSES, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def visible_referrals(user) -> QuerySet:
    return policy.scope(user, "view", Referral.objects.all())


def _caseload_filtered(user, filters: CaseloadFilter) -> QuerySet:
    today = timezone.localdate()
    referrals = policy.scope(user, "work", Referral.objects.all())
    if filters.view == "mine":
        referrals = referrals.filter(link_worker=user)
    elif filters.view == "unassigned":
        referrals = referrals.filter(link_worker__isnull=True)
    if filters.status == "open":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.overdue:
        referrals = referrals.filter(
            first_contacted_at__isnull=True, first_contact_due__lt=today, status=Status.RECEIVED
        )
    if filters.duplicates:
        referrals = referrals.filter(beneficiary__possible_duplicate_of__isnull=False)
    if filters.comune:
        referrals = referrals.filter(comune_id=filters.comune)
    if filters.programme:
        referrals = referrals.filter(programme_id=filters.programme)
    return referrals.annotate(
        is_overdue=_overdue_expression(today), is_ended=_ended_expression()
    ).order_by(*CASELOAD_ORDER)


def _caseload_rows(referrals: QuerySet) -> QuerySet:
    return referrals.select_related("beneficiary", "comune", "link_worker", "programme")


def caseload(user, filters: CaseloadFilter) -> QuerySet:
    """The link worker's list: their own cases, the ones waiting for someone, or all of their
    territory, open cases first and overdue first among them, with what each row shows
    already joined."""
    return _caseload_rows(_caseload_filtered(user, filters))


def caseload_ids(user, filters: CaseloadFilter) -> QuerySet:
    """The caseload's order as ids only: the database sorts narrow rows, without joins, and a
    page then loads its 50 rows with `caseload_rows` (half the time at province scale)."""
    return _caseload_filtered(user, filters).values_list("pk", flat=True)


def caseload_rows(pks) -> list[Referral]:
    """The rows of one caseload page, in the order of `pks`."""
    pks = list(pks)
    today = timezone.localdate()
    rows = (
        _caseload_rows(
            Referral.objects.filter(pk__in=pks).annotate(is_overdue=_overdue_expression(today))
        )
        # The page shows none of the encrypted texts: leave them (and their decryption) out.
        .defer(*ENCRYPTED_ON_ROWS)
        .in_bulk()
    )
    return [rows[pk] for pk in pks if pk in rows]


def referrals_made(user, *, with_texts: bool = True) -> QuerySet:
    """A prescriber's referrals (their organisation's), newest first. A list that shows none
    of the encrypted texts asks `with_texts=False`: they (and their decryption) are left out."""
    referrals = (
        policy.scope(user, "view", Referral.objects.all())
        .select_related("beneficiary", "comune", "link_worker", "referring_organisation")
        .annotate(is_overdue=_overdue_expression(timezone.localdate()))
        .order_by("-received_at", "-pk")
    )
    return referrals if with_texts else referrals.defer(*ENCRYPTED_ON_ROWS)


def referral_detail(user, pk, *, action: str = "view") -> Referral:
    """One referral with its timeline, needs, enrolments and notes, or 404/403; `is_overdue`
    as on the caseload's rows."""
    referrals = (
        Referral.objects.annotate(is_overdue=_overdue_expression(timezone.localdate()))
        .select_related(
            "beneficiary__comune",
            "comune",
            "link_worker",
            "referrer",
            "referring_organisation",
            "programme",
            "activity_of_interest",
        )
        .prefetch_related(
            "reasons",
            Prefetch("events", queryset=ReferralEvent.objects.order_by("at", "pk")),
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.select_related(
                    "activity__place__comune"
                ).prefetch_related("attendance"),
            ),
            Prefetch(
                "beneficiary__consents",
                queryset=Consent.objects.order_by("purpose", "-given_at"),
            ),
        )
    )
    return policy.get_object_or_404(user, action, referrals, pk=pk)


def link_workers_covering(comune_ids) -> list:
    """Link workers whose territory includes every one of `comune_ids` (for bulk assignment),
    in three queries whatever the number of link workers."""
    wanted = set(comune_ids)
    comuni = (
        Comune.objects.filter(pk__in=wanted)
        .select_related("province")
        .prefetch_related("districts")
    )
    areas = {
        c.pk: {
            ("region", c.province.region_id),
            ("province", c.province_id),
            ("comune", c.pk),
            *(("district", d.pk) for d in c.districts.all()),
        }
        for c in comuni
    }
    workers = User.objects.filter(role=LINK_WORKER, is_active=True).prefetch_related(
        "jurisdictions"
    )
    covering = []
    for worker in workers:
        held = {
            (kind, getattr(j, f"{kind}_id"))
            for j in worker.jurisdictions.all()
            for kind in ("region", "province", "district", "comune")
            if getattr(j, f"{kind}_id")
        }
        if all(areas.get(pk, set()) & held for pk in wanted):
            covering.append(worker)
    return covering


def _contact_consented(beneficiary: str = "referral__beneficiary"):
    """`contact_allowed` of a row: the person consents to be contacted (disclosure.py reads it
    instead of one query per row)."""
    return Exists(
        Consent.objects.filter(
            beneficiary=OuterRef(beneficiary),
            purpose=ConsentPurpose.CONTACT,
            withdrawn_at__isnull=True,
        )
    )


def with_contact_consent(referrals: QuerySet) -> QuerySet:
    return referrals.annotate(contact_allowed=_contact_consented("beneficiary"))


def provider_inbox(user, *, status: str = "") -> QuerySet:
    """Referrals sent to the provider's activities with the minimum the provider needs: the
    person's first name, access needs, and contacts (shown as disclosure.py decides, with
    `contact_allowed`). Never the reasons, risks or notes: views show only these."""
    enrolments = policy.scope(user, "respond", Enrolment.objects.all())
    if status in EnrolmentStatus.values:
        enrolments = enrolments.filter(status=status)
    return (
        enrolments.select_related("activity", "referral__beneficiary")
        .only(
            "id",
            "status",
            "sent_at",
            "responded_at",
            "decline_reason",
            "activity__id",
            "activity__name",
            "activity__organisation_id",
            "referral__id",
            "referral__beneficiary__id",
            "referral__beneficiary__first_name",
            "referral__beneficiary__phone",
            "referral__beneficiary__email",
            "referral__beneficiary__access_needs",
            "referral__beneficiary__needs_step_free",
            "referral__beneficiary__preferred_contact",
        )
        .annotate(contact_allowed=_contact_consented())
        .order_by(
            Case(When(status=EnrolmentStatus.PENDING, then=Value(0)), default=Value(1)),
            "-sent_at",
            "-pk",
        )
    )


def provider_enrolment(user, pk) -> Enrolment:
    return policy.get_object_or_404(
        user,
        "respond",
        Enrolment.objects.select_related("activity", "referral__beneficiary")
        .prefetch_related("attendance")
        .annotate(contact_allowed=_contact_consented()),
        pk=pk,
    )


def provider_activity(user, pk) -> Activity:
    """An activity whose register the provider keeps: 403 for another role, 404 for another
    organisation's activity."""
    return policy.get_object_or_404(
        user, "respond", Activity.objects.select_related("organisation"), pk=pk
    )


def provider_activities(user) -> QuerySet:
    """The provider's activities that have, or had, someone enrolled: their registers."""
    return (
        policy.scope(user, "respond", Activity.objects.all())
        .filter(enrolments__status=EnrolmentStatus.ACCEPTED)
        .distinct()
        .order_by("name", "pk")
    )


def provider_register(activity: Activity, session_date) -> list[Enrolment]:
    """The rows of one session's register, each with `line`: the person's mark that day, or
    None. The people's first names only, as on the inbox."""
    rows = list(
        register_enrolments(activity, session_date)
        .select_related("referral__beneficiary")
        .only(
            "id",
            "status",
            "sent_at",
            "activity_id",
            "referral__id",
            "referral__beneficiary__id",
            "referral__beneficiary__first_name",
            "referral__beneficiary__access_needs",
            "referral__beneficiary__needs_step_free",
        )
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.filter(session_date=session_date),
                to_attr="lines",
            )
        )
        .order_by("referral__beneficiary__first_name", "pk")
    )
    for row in rows:
        row.line = row.lines[0] if row.lines else None
    return rows


def places_left_by_activity(activity_ids) -> dict[int, int]:
    rows = (
        Enrolment.objects.filter(activity_id__in=activity_ids, status__in=HOLDING_PLACE)
        .values("activity_id")
        .annotate(n=Count("pk"))
    )
    return {row["activity_id"]: row["n"] for row in rows}


def own_records(user) -> QuerySet:
    """A citizen's own record(s), for "my data"."""
    return policy.scope(user, "own_data", Beneficiary.objects.all()).prefetch_related(
        Prefetch("consents", queryset=Consent.objects.order_by("purpose", "-given_at")),
        Prefetch(
            "referrals",
            queryset=Referral.objects.select_related("link_worker", "comune").prefetch_related(
                "events", "enrolments__activity"
            ),
        ),
    )


def find_people(text: str) -> QuerySet:
    """The DPO's search for a data-subject request: by codice fiscale (exact, through the
    keyed hash) or by name."""
    text = (text or "").strip()
    if not text:
        return Beneficiary.objects.none()
    people = Beneficiary.objects.select_related("comune").filter(anonymised_at__isnull=True)
    candidate = text.upper().replace(" ", "")
    if len(candidate) == 16 and candidate[:6].isalpha():
        try:
            return people.filter(tax_code_hash=keyed_hash(normalise_person_tax_code(candidate)))
        except ValidationError:  # an invalid code simply finds nobody
            return people.none()
    words = text.split()
    query = Q()
    for word in words:
        query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return people.filter(query).order_by("last_name", "first_name")[:50]


# --- counts beside the links of a person's work (module.py) ----------------------------------
def overdue_first_contacts(user) -> int:
    return caseload_ids(user, CaseloadFilter(view="all", overdue=True)).count()


def waiting_for_link_worker(user) -> int:
    return caseload_ids(user, CaseloadFilter(view="unassigned", status="open")).count()


def provider_answers_waiting(user) -> int:
    return (
        policy.scope(user, "respond", Enrolment.objects.all())
        .filter(status=EnrolmentStatus.PENDING)
        .count()
    )
