"""Reads of impact measurement: a person's questionnaires, follow-ups falling due, and the impact
dashboard, which the database aggregates (one grouped query, however many responses)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legami.core.modules import Reminder
from legami.core.privacy import NOT_RECORDED, SMALL_CELL, age_band_expression, k_anonymous
from legami.directory.models import TaxonomyTerm
from legami.network.models import Organisation, Programme
from legami.referrals.models import Beneficiary, Gender, Referral
from legami.referrals.research import in_research
from legami.territory.models import Comune, InnerAreaClass

from .. import stats
from ..models import FOLLOW_UPS, Instrument, Response, Timepoint
from ..permissions import policy

DIMENSIONS = {
    "programme": _("Programme"),
    "domain": _("Activity domain"),
    "provider": _("Provider"),
    "comune": _("Comune"),
    "inner_area": _("Inner area"),
    "inner_area_class": _("Inner-area class"),
    "gender": _("Gender"),
    "age_band": _("Age band"),
}


def person_responses(beneficiary: Beneficiary) -> list[Response]:
    return list(
        Response.objects.filter(beneficiary=beneficiary)
        .select_related("instrument", "baseline")
        .prefetch_related("instrument__bands")
        .order_by("instrument__code", "administered_on", "pk")
    )


def band_for(response: Response):
    """The interpretation band of the response's total score, if any."""
    if response.score is None:
        return None
    for band in response.instrument.bands.all():
        if not band.subscale and band.low <= response.score <= band.high:
            return band
    return None


def due_follow_ups(referrals: QuerySet[Referral], *, today: date | None = None) -> list[dict]:
    """Follow-ups that fall due within the reminder window for the people of `referrals`:
    a scored baseline, the months configured for each follow-up, and no complete response yet."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.OUTCOMES_REMINDER_DAYS)
    baselines = (
        Response.objects.filter(
            timepoint=Timepoint.BASELINE,
            score__isnull=False,
            referral__in=referrals,
        )
        .select_related("instrument", "referral", "beneficiary")
        .order_by("administered_on", "pk")
    )
    earliest = min(settings.OUTCOMES_FOLLOW_UP_MONTHS.values())
    baselines = list(
        baselines.filter(administered_on__lte=horizon - relativedelta(months=earliest))
    )
    if not baselines:  # most cases, on a case page: one query, not two
        return []
    done = {
        (beneficiary_id, instrument_id, timepoint)
        for beneficiary_id, instrument_id, timepoint in Response.objects.filter(
            is_complete=True,
            timepoint__in=FOLLOW_UPS,
            beneficiary__in={b.beneficiary_id for b in baselines},
        ).values_list("beneficiary_id", "instrument_id", "timepoint")
    }
    due = []
    for baseline in baselines:
        for timepoint, months in settings.OUTCOMES_FOLLOW_UP_MONTHS.items():
            when = baseline.administered_on + relativedelta(months=months)
            key = (baseline.beneficiary_id, baseline.instrument_id, timepoint)
            if when <= horizon and key not in done:
                due.append(
                    {
                        "baseline": baseline,
                        "timepoint": timepoint,
                        "timepoint_label": Timepoint(timepoint).label,
                        "due_on": when,
                        "overdue": when < today,
                    }
                )
                break  # one reminder at a time per questionnaire: the earliest missing
    return due


def due_for(user) -> list[dict]:
    """The follow-ups due for the link worker's own caseload."""
    referrals = policy.scope(user, "administer", Referral.objects.all()).filter(link_worker=user)
    return due_follow_ups(referrals)


def due_count(user) -> int:
    return len(due_for(user))


def case_reminders(referral_ids) -> dict[int, list[Reminder]]:
    """The follow-ups falling due on these referrals, for the case page and the caseload
    (the manifest's `case_reminders`): the same rule as the questionnaires-due list."""
    found: dict[int, list[Reminder]] = {}
    for due in due_follow_ups(Referral.objects.filter(pk__in=list(referral_ids))):
        baseline = due["baseline"]
        found.setdefault(baseline.referral_id, []).append(
            Reminder(
                text=f"{baseline.instrument.localised_name}, {due['timepoint_label']}",
                due_on=due["due_on"],
                overdue=due["overdue"],
                url=reverse("outcomes:person", args=[baseline.referral_id]),
            )
        )
    return found


# --- impact dashboard ------------------------------------------------------------------------
SCORE = DecimalField(max_digits=6, decimal_places=2)


@dataclass
class ImpactRow:
    key: object
    label: str
    change: stats.PairedChange | None  # None: suppressed (fewer than SMALL_CELL people)


@dataclass
class Impact:
    instrument: Instrument
    timepoint: str
    dimension: str
    overall: stats.PairedChange | None
    rows: list[ImpactRow] = field(default_factory=list)
    minimum: int = SMALL_CELL
    hidden_groups: int = 0  # groups under `minimum` people, and their complement
    more_groups: int = 0  # shown groups left out to keep to the `largest`
    mic: float = 1.0  # the minimal important change the shares were counted with
    subscale: str = ""  # instruments without a total (ONS4): the question compared

    @property
    def measure_name(self) -> str:
        name = self.instrument.localised_name
        if self.subscale:
            return f"{name} · {self.instrument.subscale_label(self.subscale)}"
        return name


def _dimension_expression(dimension: str, today: date):
    if dimension == "programme":
        return F("referral__programme_id")
    if dimension == "domain":
        return F("domain_id")
    if dimension == "provider":
        return F("activity__organisation_id")
    if dimension == "comune":
        return F("comune_id")
    if dimension == "inner_area":
        return Case(
            When(comune__inner_area_class__in=("D", "E", "F"), then=Value("yes")),
            # No comune (or no class for it) is not knowing, not "not an inner area".
            When(
                Q(comune__isnull=True) | Q(comune__inner_area_class=""),
                then=Value(NOT_RECORDED),
            ),
            default=Value("no"),
            output_field=CharField(),
        )
    if dimension == "inner_area_class":
        return F("comune__inner_area_class")  # SNAI 2020 class, A-F; blank is "not recorded"
    if dimension == "gender":
        return F("beneficiary__gender")
    if dimension == "age_band":
        return age_band_expression("beneficiary__birth_date", today)
    return Cast(Value("all"), CharField())


def _labels(dimension: str, keys: list) -> dict:
    ids = [key for key in keys if isinstance(key, int)]
    if dimension == "programme":
        return dict(Programme.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "provider":
        return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "comune":
        return dict(Comune.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "domain":
        return {term.pk: term.label for term in TaxonomyTerm.objects.filter(pk__in=ids)}
    if dimension == "inner_area":
        return {"yes": _("Inner area"), "no": _("Not an inner area")}
    if dimension == "inner_area_class":
        return dict(InnerAreaClass.choices)
    if dimension == "gender":
        return dict(Gender.choices)
    return {}


def impact(
    responses: QuerySet[Response],
    *,
    instrument: Instrument,
    timepoint: str = Timepoint.FOLLOW_UP_3M,
    dimension: str = "",
    programme_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    minimum: int = SMALL_CELL,
    largest: int | None = None,
    subscale: str = "",
) -> Impact:
    """Paired change from baseline to `timepoint` for `instrument`, overall and per group of
    `dimension`; groups (and the whole) under `minimum` people are suppressed. With `largest`,
    only that many of the largest groups are summarised (a page); the rest are counted.
    An instrument without a total (ONS4) is compared on one `subscale` (default: its first)."""
    today = timezone.localdate()
    paired = responses.filter(instrument=instrument, timepoint=timepoint)
    if instrument.reported_by_subscale:
        names = instrument.subscale_names()
        subscale = subscale if subscale in names else (names[0] if names else "")
        after = Cast(KeyTextTransform(subscale, "subscale_scores"), SCORE)
        # KT() would read "baseline" as a JSON key: the transform joins the baseline row.
        before = Cast(KeyTextTransform(subscale, "baseline__subscale_scores"), SCORE)
        paired = paired.filter(change__isnull=True, baseline__isnull=False).annotate(
            after_score=after, delta=after - before
        )
        # An unanswered question is a JSON null, which SQLite would read as 0: left out.
        for side in ("subscale_scores", "baseline__subscale_scores"):
            paired = paired.filter(**{f"{side}__{subscale}__isnull": False}).exclude(
                **{f"{side}__{subscale}": None}
            )
        higher = instrument.subscale_higher_is_better(subscale)
    else:
        subscale = ""
        paired = paired.filter(change__isnull=False).annotate(
            after_score=F("score"), delta=F("change")
        )
        higher = instrument.higher_is_better
    if programme_id:
        paired = paired.filter(referral__programme_id=programme_id)
    if date_from:
        paired = paired.filter(administered_on__gte=date_from)
    if date_to:
        paired = paired.filter(administered_on__lte=date_to)
    # One row per group and amount of change: the histogram of changes the statistics need,
    # with the scores summed for the means before and after.
    histogram = list(
        paired.annotate(group=_dimension_expression(dimension, today))
        .values("group", "delta")
        .annotate(people=Count("pk"), after=Sum("after_score"))
        .order_by("group", "delta")
    )
    mic = float(instrument.minimal_important_change or 1)

    def summary(bins) -> stats.PairedChange:
        # before = after - change, person by person: the baseline row need not be joined.
        after = sum(float(b["after"]) for b in bins)
        return stats.paired_change_from_histogram(
            [b["delta"] for b in bins],
            [b["people"] for b in bins],
            sum_before=after - sum(float(b["delta"]) * b["people"] for b in bins),
            sum_after=after,
            mic=mic,
            higher_is_better=higher,
        )

    result = Impact(
        instrument, timepoint, dimension, None, minimum=minimum, mic=mic, subscale=subscale
    )
    if not histogram:
        return result
    overall = summary(histogram)
    result.overall = overall if overall.n >= minimum else None
    if not dimension or result.overall is None:
        return result
    groups: dict = {}
    for bin_ in histogram:
        key = bin_["group"] if bin_["group"] not in (None, "") else NOT_RECORDED
        groups.setdefault(key, []).append(bin_)
    # Which groups are shown is decided on head counts alone; only those are summarised.
    sizes = {key: sum(b["people"] for b in bins) for key, bins in groups.items()}
    shown = stats.shown_groups(sizes, minimum)
    result.hidden_groups = len(groups) - len(shown)
    if largest is not None and len(shown) > largest:
        shown = sorted(shown, key=lambda key: -sizes[key])[:largest]
        result.more_groups = len(groups) - result.hidden_groups - len(shown)
    cells = {key: summary(groups[key]) for key in shown}
    labels = _labels(dimension, list(cells))
    result.rows = sorted(
        (
            ImpactRow(
                key, str(labels.get(key, _("not recorded") if key == NOT_RECORDED else key)), cell
            )
            for key, cell in cells.items()
        ),
        key=lambda row: (row.key == NOT_RECORDED, row.label),
    )
    return result


# --- the evaluators' extract ------------------------------------------------------------------
# What someone who knows the person could know, generalised (core.privacy); the referral
# extract (referrals.research) uses the same, under the same pseudonymous id.
RESEARCH_QUASI_IDENTIFIERS = ("age_band", "gender", "province", "inner_area", "programme_name")


@dataclass
class ResearchExtract:
    rows: QuerySet  # values_list tuples: the research columns, then the quasi-identifiers
    kept: set  # combinations shared by at least SMALL_CELL people
    people: set  # ids of the people whose responses are in the file

    def shows(self, row: tuple) -> bool:
        return row[-len(RESEARCH_QUASI_IDENTIFIERS) :] in self.kept


def research_extract(*, today: date | None = None) -> ResearchExtract:
    """The responses of people who consented to research: pseudonymous id, instrument,
    timepoint, month, scores, and the generalised context; a response whose combination of
    quasi-identifiers fewer than SMALL_CELL people share is left out (one grouped read
    decides, then the rows stream)."""
    today = today or timezone.localdate()
    responses = Response.objects.filter(in_research()).annotate(
        age_band=age_band_expression("beneficiary__birth_date", today),
        gender=F("beneficiary__gender"),
        province=F("beneficiary__comune__province__code"),
        inner_area=F("beneficiary__comune__inner_area_class"),
        programme_name=Coalesce(F("referral__programme__name"), Value("")),
    )
    kept, people = k_anonymous(
        responses.order_by().values_list("beneficiary_id", *RESEARCH_QUASI_IDENTIFIERS).distinct()
    )
    rows = responses.order_by("pk").values_list(
        "beneficiary__pseudonym",
        "instrument__code",
        "timepoint",
        "administered_on",
        "mode",
        "is_complete",
        "raw_score",
        "score",
        "change",
        *RESEARCH_QUASI_IDENTIFIERS,
    )
    return ResearchExtract(rows=rows, kept=kept, people=people)
