"""Reading surveys: their results counted in the database, and the surveys a member of an
organisation is asked to answer."""

from collections import defaultdict

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.utils import timezone

from legami.network.models import Organisation, ProgrammePartner
from legami.network.queries import organisations_of

from ..models import ItemKind, Purpose
from ..models.surveys import Survey, SurveyAnswer, SurveyResponse

QUOTES_SHOWN = 50


def surveys_with_counts() -> QuerySet:
    return Survey.objects.select_related("instrument", "programme", "activity").annotate(
        answered=Count("responses")
    )


def survey_results(survey: Survey) -> dict:
    """Per question: how many answered; for scales and numbers the mean, lowest and highest;
    for scales and choices the count and share of each answer; for text the latest answers."""
    items = list(survey.instrument.items.select_related("section", "instrument"))
    answers = SurveyAnswer.objects.filter(response__survey=survey)
    per_item = {
        row["item_id"]: row
        for row in answers.values("item_id").annotate(
            people=Count("response", distinct=True),
            mean=Avg("value"),
            low=Min("value"),
            high=Max("value"),
        )
    }
    counts = {}
    for row in (
        answers.filter(value__isnull=False).values("item_id", "value").annotate(n=Count("id"))
    ):
        counts.setdefault(row["item_id"], {})[row["value"]] = row["n"]
    rows = []
    for item in items:
        stats = per_item.get(item.pk, {})
        answered = stats.get("people", 0)
        row = {"item": item, "answered": answered, "mean": None, "choices": [], "texts": []}
        if item.kind in (ItemKind.LIKERT, ItemKind.NUMERIC) and answered:
            row.update(mean=stats["mean"], low=stats["low"], high=stats["high"])
        if item.kind in (ItemKind.LIKERT, ItemKind.SINGLE, ItemKind.MULTIPLE):
            values = (
                range(item.scale_min, item.scale_max + 1)
                if item.kind == ItemKind.LIKERT
                else [o["value"] for o in item.options]
            )
            got = counts.get(item.pk, {})
            row["choices"] = [
                {
                    "label": item.answer_label(v) or str(v),
                    "value": v,
                    "count": got.get(v, 0),
                    "share": got.get(v, 0) / answered if answered else 0,
                }
                for v in values
            ]
        if item.kind == ItemKind.TEXT:
            row["texts"] = [
                a.text
                for a in answers.filter(item=item).order_by("-response__submitted_at", "-pk")[
                    :QUOTES_SHOWN
                ]
            ]
        rows.append(row)
    return {
        "responses": SurveyResponse.objects.filter(survey=survey).count(),
        "organisations": list(
            Organisation.objects.filter(
                pk__in=SurveyResponse.objects.filter(survey=survey).values("organisation")
            ).order_by("name")
        ),
        "rows": rows,
    }


def surveys_for_member(user) -> list[dict]:
    """Open organisation surveys that ask one of the user's organisations, each with the
    organisations still to answer. Three queries, however many surveys are open."""
    mine = list(organisations_of(user))
    partners = defaultdict(set)  # programme -> the user's organisations among its partners
    for programme_id, organisation_id in ProgrammePartner.objects.filter(
        organisation__in=mine
    ).values_list("programme_id", "organisation_id"):
        partners[programme_id].add(organisation_id)
    today = timezone.localdate()
    surveys = list(
        Survey.objects.filter(
            instrument__purpose=Purpose.ORGANISATION, opens_on__lte=today, closes_on__gte=today
        )
        .filter(Q(programme__isnull=True) | Q(programme__in=list(partners)))
        .select_related("programme", "instrument")
    )
    answered = set(
        SurveyResponse.objects.filter(survey__in=surveys, organisation__in=mine).values_list(
            "survey_id", "organisation_id"
        )
    )
    result = []
    for survey in surveys:
        asked = [
            o for o in mine if not survey.programme_id or o.pk in partners[survey.programme_id]
        ]
        result.append(
            {
                "survey": survey,
                "to_answer": [o for o in asked if (survey.pk, o.pk) not in answered],
                "answered": [o for o in asked if (survey.pk, o.pk) in answered],
            }
        )
    return result
