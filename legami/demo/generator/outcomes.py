"""Made-up questionnaire answers at scale, for the impact dashboard's benchmark: about 200,000
responses at province scale (WHO-5, UCLA-3, SWEMWBS and ONS4 at baseline, 3 and 6 months) from
the generated people who consented to outcome measurement.

Rows are written with bulk_create; each response is scored by the product's scoring engine
(`outcomes.scoring`), and each follow-up is paired with its baseline, carries the change and the
activity (and domain) the person was enrolled in, exactly as `response_record` would store them.
Dates are drawn over the last two years; answers drift upwards for about two people in three.
The same seed on the same generated people gives the same responses.
"""

import random
import time as clock
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from legami.core.roles import EVALUATOR, TERRITORY_ADMIN
from legami.directory.models import Taxonomy, TaxonomyTerm
from legami.outcomes import scoring
from legami.outcomes.models import Answer, Instrument, Response, Timepoint
from legami.referrals.models import Beneficiary, Consent, ConsentPurpose, Enrolment, Referral
from legami.territory.models import Jurisdiction, Province

from .referrals import DOMAIN, _user

BENCH_EVALUATOR = f"valutatore.bench{DOMAIN}"
BENCH_TERRITORY_ADMIN = f"territorio.bench{DOMAIN}"

BATCH = 2_000
ANCHOR_PROVINCE = "019"  # Cremona, the province of the generated data
# Share of people answering each follow-up; every consenting person answers at baseline.
FOLLOW_UP_SHARE = {Timepoint.FOLLOW_UP_3M: 0.92, Timepoint.FOLLOW_UP_6M: 0.85}
FOLLOW_UP_DAYS = {Timepoint.FOLLOW_UP_3M: 91, Timepoint.FOLLOW_UP_6M: 182}
INSTRUMENTS = ("who5", "ucla3", "swemwbs", "ons4")


def _generated_responses():
    return Response.objects.filter(beneficiary__email__endswith=DOMAIN)


def responses_exist() -> bool:
    return _generated_responses().exists()


def delete_generated_responses() -> int:
    count = _generated_responses().count()
    Answer.objects.filter(response__in=_generated_responses()).delete()
    _generated_responses().update(baseline=None)
    _generated_responses().delete()
    return count


def _context() -> tuple[dict, dict]:
    """Each generated referral's activity taken up, and each activity's top-level domain."""
    enrolments = (
        Enrolment.objects.filter(
            referral__beneficiary__email__endswith=DOMAIN, status__in=("accepted", "completed")
        )
        .order_by("referral_id", "sent_at", "pk")
        .values_list("referral_id", "activity_id")
    )
    activity_of = dict(enrolments)
    domain_of = {}
    links = TaxonomyTerm.activities.through.objects.filter(
        activity_id__in=set(activity_of.values()),
        taxonomyterm__taxonomy__code=Taxonomy.DOMAIN,
    ).order_by("activity_id", "taxonomyterm__parent_id", "taxonomyterm__position", "pk")
    for activity_id, term_id, parent_id in links.values_list(
        "activity_id", "taxonomyterm_id", "taxonomyterm__parent_id"
    ):
        domain_of.setdefault(activity_id, parent_id or term_id)
    return activity_of, domain_of


def _answers(rng, items, level: float) -> dict[int, int]:
    """Answers around `level` (0 = lowest, 1 = highest on every item's scale)."""
    answers = {}
    for item in items:
        span = item.scale_max - item.scale_min
        value = round(item.scale_min + span * min(1.0, max(0.0, rng.gauss(level, 0.18))))
        answers[item.number] = (
            value if not item.reverse else item.scale_max + item.scale_min - value
        )
    return answers


@transaction.atomic
def generate_responses(*, seed: int, batch: int = BATCH) -> dict:
    started = clock.perf_counter()
    rng = random.Random(f"outcomes:{seed}")
    today = timezone.localdate()
    instruments = [
        Instrument.objects.prefetch_related("items").get(code=code) for code in INSTRUMENTS
    ]
    items = {i.pk: list(i.items.all()) for i in instruments}
    consenting = Consent.objects.filter(
        purpose=ConsentPurpose.OUTCOMES, withdrawn_at__isnull=True
    ).values("beneficiary_id")
    comune_of = dict(
        Beneficiary.objects.filter(email__endswith=DOMAIN, pk__in=consenting)
        .order_by("pk")
        .values_list("pk", "comune_id")
    )
    people = list(comune_of)
    latest_referral = dict(
        Referral.objects.filter(beneficiary_id__in=people)
        .order_by("beneficiary_id", "received_at")
        .values_list("beneficiary_id", "pk")
    )
    activity_of, domain_of = _context()
    ensure_bench_readers()
    baselines, follow_ups = [], []  # follow_ups: (index of its baseline, Response)
    for person in people:
        referral = latest_referral.get(person)
        activity = activity_of.get(referral)
        start = today - timedelta(days=rng.randint(200, 720))
        gain = rng.choice([-0.08, 0.0, 0.06, 0.1, 0.14, 0.2])
        level = rng.uniform(0.2, 0.6)
        for instrument in instruments:
            lower_is_better = not instrument.higher_is_better
            base = _scored(instrument, items, rng, level if not lower_is_better else 1 - level)
            base.update(
                beneficiary_id=person,
                comune_id=comune_of[person],
                referral_id=referral,
                administered_on=start,
            )
            baselines.append(base)
            for timepoint, share in FOLLOW_UP_SHARE.items():
                if rng.random() >= share:
                    continue
                moved = level + gain * (1 if timepoint == Timepoint.FOLLOW_UP_3M else 1.3)
                row = _scored(instrument, items, rng, moved if not lower_is_better else 1 - moved)
                row.update(
                    beneficiary_id=person,
                    comune_id=comune_of[person],
                    referral_id=referral,
                    timepoint=timepoint,
                    administered_on=start + timedelta(days=FOLLOW_UP_DAYS[timepoint]),
                    activity_id=activity,
                    domain_id=domain_of.get(activity),
                )
                follow_ups.append((len(baselines) - 1, row))
    created = Response.objects.bulk_create([_response(row) for row in baselines], batch_size=batch)
    paired = []
    for index, row in follow_ups:
        baseline = created[index]
        row["baseline_id"] = baseline.pk
        if baseline.score is not None and row["score"] is not None:
            row["change"] = row["score"] - baseline.score
        paired.append(row)
    created += Response.objects.bulk_create([_response(row) for row in paired], batch_size=batch)
    Answer.objects.bulk_create(
        (
            Answer(response_id=response.pk, item_id=item_id, value=value)
            for response in created
            for item_id, value in response._answers
        ),
        batch_size=batch * 5,
    )
    return {
        "responses": len(created),
        "people": len(people),
        "seconds": round(clock.perf_counter() - started, 2),
    }


def ensure_bench_readers() -> None:
    """The dashboard's readers for the benchmark: an evaluator (everything) and a territory
    administrator of the generated province."""
    _user(BENCH_EVALUATOR, EVALUATOR, "Valutatrice", "Bench")
    admin = _user(BENCH_TERRITORY_ADMIN, TERRITORY_ADMIN, "Territorio", "Bench")
    province = Province.objects.filter(code=ANCHOR_PROVINCE).first()
    if province is not None and not Jurisdiction.objects.filter(user=admin).exists():
        Jurisdiction.objects.create(user=admin, province=province)


def _scored(instrument, items, rng, level) -> dict:
    answers = _answers(rng, items[instrument.pk], level)
    result = scoring.score_answers(instrument, answers)
    return {
        "instrument": instrument,
        "timepoint": Timepoint.BASELINE,
        "is_complete": result.is_complete,
        "raw_score": result.raw_score,
        "score": result.score,
        "subscale_scores": {k: str(v) for k, v in result.subscale_scores.items()},
        "_answers": [(item.pk, answers[item.number]) for item in items[instrument.pk]],
    }


def _response(row: dict) -> Response:
    row = dict(row)
    answers = row.pop("_answers")
    response = Response(mode="worker", **row)
    response._answers = answers
    return response
