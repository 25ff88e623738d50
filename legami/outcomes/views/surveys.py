"""Organisation surveys and event feedback: opening a round, its results, answering it on
behalf of an organisation, and the anonymous feedback form behind an event's QR code."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from legami.core import ratelimit
from legami.core.permissions import permission_required
from legami.core.views_helpers import add_service_errors, submit_form
from legami.network.models import Organisation

from ..forms import AnswersForm
from ..forms.builder import OrganisationForm, SurveyForm
from ..models import Purpose
from ..models.surveys import Survey
from ..permissions import policy
from ..queries import surveys as queries_surveys
from ..scopes import activities_surveyed, programmes_surveyed
from ..services import surveys as services_surveys

# Answers sent per connection per hour: a whole room on the venue's Wi-Fi shares one address.
FEEDBACK_LIMIT = 200


@require_http_methods(["GET", "POST"])
@permission_required(policy, "surveys")
def surveys(request):
    form = SurveyForm(
        request.POST or None,
        activities=activities_surveyed(request.user),
        programmes=programmes_surveyed(request.user),
    )
    opened = submit_form(
        request, form, lambda data: services_surveys.survey_open(by=request.user, data=data)
    )
    if opened is not None:
        messages.success(request, _("Survey opened."))
        return redirect("outcomes:survey", pk=opened.pk)
    return render(
        request,
        "outcomes/surveys.html",
        {
            "surveys": policy.scope(request.user, "surveys", queries_surveys.surveys_with_counts()),
            "form": form,
        },
    )


def _feedback_address(survey: Survey) -> str:
    return settings.SITE_URL + reverse("outcomes_public:feedback", args=[survey.token])


@require_GET
@permission_required(policy, "surveys")
def survey(request, pk):
    survey = policy.get_object_or_404(
        request.user, "surveys", Survey.objects.select_related("instrument"), pk=pk
    )
    address = _feedback_address(survey) if survey.token else ""
    return render(
        request,
        "outcomes/survey.html",
        {
            "survey": survey,
            "results": queries_surveys.survey_results(survey),
            "address": address,
            "qr": segno.make(address, error="m").svg_inline(scale=5, title=_("QR code"))
            if address
            else "",
        },
    )


@require_GET
@permission_required(policy, "survey_answer")
def surveys_to_answer(request):
    return render(
        request,
        "outcomes/surveys_to_answer.html",
        {"rows": queries_surveys.surveys_for_member(request.user)},
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "survey_answer")
def survey_answer(request, pk):
    survey = policy.get_object_or_404(
        request.user,
        "survey_answer",
        Survey.objects.select_related("instrument").filter(
            instrument__purpose=Purpose.ORGANISATION
        ),
        pk=pk,
    )
    mine = Organisation.objects.filter(memberships__person__user=request.user)
    asked = services_surveys.organisations_to_answer(survey, mine)
    if not asked.exists():  # a survey for another programme's partners: as if it did not exist
        raise Http404
    choose = OrganisationForm(request.POST or None, organisations=asked)
    form = AnswersForm(request.POST or None, instrument=survey.instrument)
    if request.method == "POST" and choose.is_valid() and form.is_valid():
        try:
            services_surveys.survey_answer_for_organisation(
                by=request.user,
                survey=survey,
                organisation=choose.cleaned_data["organisation"],
                answers=form.answers(),
            )
        except ValidationError as error:
            add_service_errors(choose, error)
        else:
            messages.success(request, _("Thank you: the answers of your organisation are sent."))
            return redirect("outcomes:surveys_to_answer")
    return render(
        request,
        "outcomes/survey_answer.html",
        {"survey": survey, "choose": choose, "form": form, "asked": asked},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(policy, "feedback")
def feedback(request, token):
    survey = services_surveys.survey_for_token(token)
    if survey is None or not survey.is_open:
        message = (
            _("This feedback form is closed. Thank you all the same.")
            if survey
            else _("This address does not lead to a feedback form: check it was typed right.")
        )
        return render(request, "outcomes/answer_unusable.html", {"message": message}, status=410)
    form = AnswersForm(request.POST or None, instrument=survey.instrument)
    if request.method == "POST" and ratelimit.exceeded(request, {"feedback": FEEDBACK_LIMIT}):
        form.add_error(
            None,
            _(
                "We have received many answers from this connection in the last hour. Thank you: "
                "please try again later."
            ),
        )
        return render(
            request, "outcomes/feedback.html", {"survey": survey, "form": form}, status=429
        )
    if request.method == "POST" and form.is_valid():
        try:
            services_surveys.feedback_submit(survey=survey, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            ratelimit.hit("feedback", request)
            return redirect("outcomes:answer_done")
    return render(
        request,
        "outcomes/feedback.html",
        {"survey": survey, "form": form},
        status=400 if request.method == "POST" else 200,
    )
