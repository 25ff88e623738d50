"""Explainable matching: directory activities ranked for one referral, each with its reasons.

It suggests; the person decides. Every factor scores 0..1 and is weighted by the district's
settings; the reasons shown are the facts behind the scores, in plain words. Full activities,
unpublished ones and those that take no referrals are left out; everything else is ranked,
with its weaknesses shown too (a reason can be a warning).
"""

from dataclasses import dataclass, field
from datetime import time

from django.db.models import Prefetch, Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from legami.core.geo import bounding_box, distance_km
from legami.directory.models import Activity, ActivityStatus, Schedule
from legami.territory.models import Comune
from legami.territory.text import described

from .models import Referral, ReferralSettings
from .services import places_held, places_left, settings_for

# Beyond this, an inner-area person without a car rarely goes: distance scores 0.
MAX_DISTANCE_KM = 40.0
PARTS_OF_DAY = {
    "morning": (time(6), time(13)),
    "afternoon": (time(13), time(18)),
    "evening": (time(18), time(23, 59)),
}
WEEKDAY_LABELS = {
    "MO": gettext_lazy("Monday"),
    "TU": gettext_lazy("Tuesday"),
    "WE": gettext_lazy("Wednesday"),
    "TH": gettext_lazy("Thursday"),
    "FR": gettext_lazy("Friday"),
    "SA": gettext_lazy("Saturday"),
    "SU": gettext_lazy("Sunday"),
}


@dataclass
class Reason:
    text: str
    good: bool = True


@dataclass
class Suggestion:
    activity: Activity
    score: float
    distance_km: float | None
    places_left: int | None
    reasons: list[Reason] = field(default_factory=list)


def _weights(settings: ReferralSettings) -> dict[str, int]:
    return {
        "need": settings.weight_need,
        "distance": settings.weight_distance,
        "schedule": settings.weight_schedule,
        "cost": settings.weight_cost,
        "access": settings.weight_access,
        "language": settings.weight_language,
        "capacity": settings.weight_capacity,
    }


def _weekdays(schedule: Schedule) -> set[str]:
    # "TU,1SA,-1FR" -> {"TU", "SA", "FR"}
    return {part.strip()[-2:] for part in schedule.byday.split(",") if part.strip()}


def _part_of_day(opens_at: time) -> str:
    for name, (start, end) in PARTS_OF_DAY.items():
        if start <= opens_at < end:
            return name
    return "evening"


def _schedule_fit(referral: Referral, schedules) -> tuple[float, Reason | None]:
    days = {d for d in referral.available_days.split(",") if d}
    parts = {p for p in referral.available_times.split(",") if p}
    if not schedules:
        return 0.5, Reason(_("no regular schedule: ask the organiser"), good=False)
    for schedule in schedules:
        schedule_days = _weekdays(schedule) or set(WEEKDAY_LABELS)
        common = schedule_days & days if days else schedule_days
        part = _part_of_day(schedule.opens_at)
        if common and (not parts or part in parts):
            day = sorted(common, key=list(WEEKDAY_LABELS).index)[0]
            label = {"morning": _("morning"), "afternoon": _("afternoon"), "evening": _("evening")}[
                part
            ]
            return 1.0, Reason(
                _("%(day)s %(part)s fits") % {"day": WEEKDAY_LABELS[day], "part": label}
            )
    if not days and not parts:
        return 1.0, None
    return 0.0, Reason(_("its times do not fit the person's availability"), good=False)


def _territory_reason(home: Comune, there: Comune | None) -> Reason | None:
    """What the kilometres do not say: how remote the person's comune is (its inner-area
    class, the minutes to the pole) and, when the activity is elsewhere, how remote that is.
    From an inner area, going to another comune is the hard part; at home it is not."""
    home_words, known = described(home), described(home) != home.name
    if there is None:  # no place: held online or by appointment
        return Reason(home_words) if known else None
    if there.pk == home.pk:
        if not known:
            return None
        return Reason(_("%(home)s; in the person's own comune") % {"home": home_words})
    if not known and described(there) == there.name:
        return None
    return Reason(
        _("%(home)s; the activity is in %(there)s")
        % {"home": home_words, "there": described(there)},
        good=not home.is_inner_area,
    )


def suggest(referral: Referral, *, limit: int = 20) -> list[Suggestion]:
    """The best `limit` activities for the referral, best first. A fixed number of queries
    whatever the size of the directory (candidates are bounded by distance first)."""
    beneficiary = referral.beneficiary
    comune = referral.comune
    weights = _weights(settings_for(comune))
    needs = {term.pk: term for term in referral.reasons.all()}
    origin = (
        (float(comune.latitude), float(comune.longitude))
        if comune.latitude is not None and comune.longitude is not None
        else None
    )
    candidates = (
        Activity.objects.filter(status=ActivityStatus.PUBLISHED, accepts_referrals=True)
        .select_related("place__comune", "organisation")
        .annotate(held=places_held())
        .prefetch_related(
            Prefetch("terms", to_attr="term_list"),
            Prefetch("schedules", to_attr="schedule_list"),
        )
    )
    if origin is not None:
        candidates = candidates.filter(bounding_box(origin, MAX_DISTANCE_KM) | Q(place=None))
    else:
        candidates = candidates.filter(
            Q(place__comune=comune) | Q(place=None, organisation__comune=comune)
        )
    if needs:
        candidates = candidates.filter(
            pk__in=Activity.objects.filter(terms__in=list(needs)).values("pk")
        )
    languages = {code.strip() for code in beneficiary.languages.split(",") if code.strip()}
    total_weight = sum(weights.values()) or 1
    suggestions = []
    for activity in candidates[:500]:
        left = places_left(activity)
        if left == 0:
            continue
        scores: dict[str, float] = {}
        reasons: list[Reason] = []
        addressed = [needs[t.pk] for t in activity.term_list if t.pk in needs]
        scores["need"] = len(addressed) / len(needs) if needs else 0.5
        for term in addressed:
            reasons.append(Reason(_("addresses %(need)s") % {"need": term.label.lower()}))
        place = activity.place
        distance = None
        if place is not None and place.latitude is not None and origin is not None:
            distance = distance_km(origin, float(place.latitude), float(place.longitude))
            scores["distance"] = max(0.0, 1 - distance / MAX_DISTANCE_KM)
            reasons.append(
                Reason(
                    _("%(km)s km from %(comune)s")
                    % {
                        "km": formats.number_format(round(distance, 1 if distance < 10 else 0)),
                        "comune": comune.name,
                    },
                    good=distance <= MAX_DISTANCE_KM / 2,
                )
            )
        else:
            scores["distance"] = 0.5
        reason = _territory_reason(comune, place.comune if place is not None else None)
        if reason:
            reasons.append(reason)
        scores["schedule"], reason = _schedule_fit(referral, activity.schedule_list)
        if reason:
            reasons.append(reason)
        scores["cost"] = 1.0 if activity.is_free else 0.3
        reasons.append(
            Reason(_("free")) if activity.is_free else Reason(_("has a cost"), good=False)
        )
        if beneficiary.needs_step_free:
            step_free = place is not None and place.wheelchair_access
            scores["access"] = 1.0 if step_free else 0.0
            reasons.append(
                Reason(_("step-free access"))
                if step_free
                else Reason(_("no step-free access declared"), good=False)
            )
        else:
            scores["access"] = 1.0
        spoken = set(activity.language_list)
        if languages:
            shared = languages & spoken if spoken else set()
            scores["language"] = 1.0 if shared or not spoken else 0.0
            if shared and shared != {"it"}:
                reasons.append(Reason(_("in %(langs)s") % {"langs": ", ".join(sorted(shared))}))
            elif spoken and not shared:
                reasons.append(Reason(_("not in the person's languages"), good=False))
        else:
            scores["language"] = 1.0
        if left is None:
            scores["capacity"] = 1.0
        else:
            scores["capacity"] = min(left, 5) / 5
            reasons.append(
                Reason(
                    _("%(n)d places left") % {"n": left} if left != 1 else _("1 place left"),
                    good=left > 1,
                )
            )
        score = sum(weights[name] * value for name, value in scores.items()) / total_weight
        suggestions.append(
            Suggestion(
                activity=activity,
                score=round(score * 100, 1),
                distance_km=distance,
                places_left=left,
                reasons=reasons,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.distance_km or 0, s.activity.name))
    return suggestions[:limit]
