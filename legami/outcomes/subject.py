"""The person's questionnaires in their data export, and what erasure does to them: the scores
and the numbers answered stay (attached to the anonymised record, like the referral counts they
sit beside); words they wrote, the choices they ticked, links not yet used and half-saved
answers go."""

from django.utils.translation import gettext_lazy

from legami.core.subject_data import SubjectData


def export(beneficiary) -> list[dict]:
    from . import questions
    from .models import Response

    responses = (
        Response.objects.filter(beneficiary=beneficiary)
        .select_related("instrument")
        .prefetch_related("answers__item")
        .order_by("administered_on", "pk")
    )
    return [
        {
            "instrument": r.instrument.code,
            "timepoint": r.timepoint,
            "administered_on": r.administered_on.isoformat(),
            "mode": r.mode,
            "complete": r.is_complete,
            "score": str(r.score) if r.score is not None else None,
            "subscale_scores": r.subscale_scores,
            "change_from_baseline": str(r.change) if r.change is not None else None,
            "answers": {str(a.item.number): questions.stored_answer(a) for a in r.answers.all()},
        }
        for r in responses
    ]


def erase(beneficiary) -> None:
    from .models import Answer, SelfCompletionLink

    links = SelfCompletionLink.objects.filter(beneficiary=beneficiary)
    links.filter(used_at__isnull=True).delete()
    links.exclude(draft={}).update(draft={})
    # Free text can say anything about the person, a set of choices can single them out.
    Answer.objects.filter(response__beneficiary=beneficiary).exclude(text="", choices=[]).update(
        text="", choices=[]
    )


def referral_outcomes(referral) -> list[dict]:
    """The questionnaires given within this referral, for its closing summary."""
    from .models import Response

    return [
        {
            "instrument": r.instrument.localised_name,
            "timepoint": r.get_timepoint_display(),
            "date": r.administered_on,
            "score": r.score,
            "change": r.change,
        }
        for r in Response.objects.filter(referral=referral)
        .select_related("instrument")
        .order_by("instrument__code", "administered_on", "pk")
    ]


ENTRY = SubjectData(
    key="questionnaires",
    export=export,
    erase=erase,
    referral_outcomes=referral_outcomes,
    title=gettext_lazy("Well-being questionnaires"),
    columns=(
        ("instrument", gettext_lazy("Questionnaire")),
        ("timepoint", gettext_lazy("Moment")),
        ("administered_on", gettext_lazy("Date")),
        ("score", gettext_lazy("Score")),
        ("change_from_baseline", gettext_lazy("Change from the start")),
        ("answers", gettext_lazy("Answers")),
    ),
)
