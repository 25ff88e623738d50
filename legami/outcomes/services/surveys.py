"""Organisation surveys and event feedback: opening a round and recording its answers."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legami.core.audit import audit
from legami.network.models import Organisation

from .. import questions
from ..models import ItemKind, Purpose
from ..models.surveys import Survey, SurveyAnswer, SurveyResponse
from ..permissions import policy

SURVEY_FIELDS = ("instrument", "title", "programme", "activity", "opens_on", "closes_on")


@transaction.atomic
def survey_open(*, by, data: dict) -> Survey:
    policy.authorize(by, "surveys")
    # About a programme one runs, an activity of one's territory (the form offers no other).
    for about in ("programme", "activity"):
        if data.get(about) is not None:
            policy.authorize(by, "surveys", data[about])
    survey = Survey(created_by=by, **{k: data.get(k) for k in SURVEY_FIELDS})
    instrument = survey.instrument
    errors = {}
    if instrument is not None:
        if not instrument.is_active or instrument.purpose == Purpose.PERSON:
            errors["instrument"] = _(
                "Choose a published questionnaire for organisations or for events."
            )
        elif instrument.purpose == Purpose.EVENT:
            survey.token = secrets.token_urlsafe(32)
    if survey.opens_on and survey.closes_on and survey.closes_on < survey.opens_on:
        errors["closes_on"] = _("The survey must close on or after the day it opens.")
    if errors:
        raise ValidationError(errors)
    survey.full_clean(exclude=["token"])
    survey.save()
    audit(by=by, action="create", obj=survey, purpose="survey")
    return survey


def organisations_to_answer(survey: Survey, organisations):
    """Which of `organisations` this organisation survey asks: the programme's partners, or
    all when the survey names no programme."""
    if survey.programme_id:
        organisations = organisations.filter(partnerships__programme_id=survey.programme_id)
    return organisations.distinct()


def _record(survey: Survey, answers: dict, **response_fields) -> SurveyResponse:
    if not survey.is_open:
        raise ValidationError(
            _("This survey is closed: it was open from %(start)s to %(end)s.")
            % {
                "start": survey.opens_on.strftime("%d/%m/%Y"),
                "end": survey.closes_on.strftime("%d/%m/%Y"),
            }
        )
    items = {item.number: item for item in survey.instrument.items.all()}
    errors = questions.answers_errors(items, answers)
    if errors:  # checked before anything reads the answers: a bad one may be of any type
        raise ValidationError({"answers": errors})
    values = questions.normalised(items, answers)
    for number, item in items.items():
        if item.required and values[number] is None:
            errors.append(_("Item %(number)s needs an answer.") % {"number": number})
    if not any(value is not None for value in values.values()):
        errors.append(_("Answer at least one question."))
    if errors:
        raise ValidationError({"answers": errors})
    response = SurveyResponse.objects.create(survey=survey, **response_fields)
    rows = []
    for number, value in values.items():
        if value is None:
            continue
        item = items[number]
        if item.kind == ItemKind.MULTIPLE:
            rows += [SurveyAnswer(response=response, item=item, value=v) for v in value]
        elif item.kind == ItemKind.TEXT:
            rows.append(SurveyAnswer(response=response, item=item, text=value))
        else:
            rows.append(SurveyAnswer(response=response, item=item, value=value))
    SurveyAnswer.objects.bulk_create(rows)
    return response


@transaction.atomic
def survey_answer_for_organisation(
    *, by, survey: Survey, organisation: Organisation, answers: dict
) -> SurveyResponse:
    """A member answers an organisation survey on behalf of their organisation, once."""
    policy.authorize(by, "survey_answer", organisation)
    survey = Survey.objects.select_for_update().select_related("instrument").get(pk=survey.pk)
    if survey.instrument.purpose != Purpose.ORGANISATION:
        raise ValidationError(_("This survey is not addressed to organisations."))
    if not organisations_to_answer(survey, Organisation.objects.filter(pk=organisation.pk)):
        raise ValidationError(
            {"organisation": _("This survey is for the partners of another programme.")}
        )
    # The survey's row is locked above: a second answer sent at the same moment waits, then
    # finds the first here (the unique constraint stays as the database's own guarantee).
    if SurveyResponse.objects.filter(survey=survey, organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(name)s has already answered this survey.")
                % {"name": organisation.name}
            }
        )
    response = _record(survey, answers, organisation=organisation, submitted_by=by)
    audit(by=by, action="create", obj=response, purpose="organisation survey")
    return response


def survey_for_token(token: str) -> Survey | None:
    return (
        Survey.objects.select_related("instrument", "activity")
        .filter(token=token, token__isnull=False)
        .first()
    )


@transaction.atomic
def feedback_submit(*, survey: Survey, answers: dict) -> SurveyResponse:
    """Anonymous feedback on an event, through the survey's public link."""
    if survey.instrument.purpose != Purpose.EVENT:
        raise ValidationError(_("This survey does not collect event feedback."))
    response = _record(survey, answers)
    audit(by=None, action="create", obj=response, purpose="event feedback")
    return response
