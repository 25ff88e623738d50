"""SROI pages: territory admins build an analysis per programme; evaluators read it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from legami.core.permissions import permission_required
from legami.core.views_helpers import submit_form

from ..forms import SroiAnalysisForm, SroiOutcomeForm
from ..models.sroi import SroiAnalysis, SroiOutcome
from ..permissions import policy
from ..queries import sroi as queries_sroi
from ..services import sroi as services_sroi

SENSITIVITY_LABELS = {
    "base": gettext_lazy("as entered"),
    "deadweight +10 points": gettext_lazy("deadweight 10 points higher"),
    "attribution +10 points": gettext_lazy("attribution 10 points higher"),
    "drop-off +10 points": gettext_lazy("drop-off 10 points higher"),
    "financial proxies −20%": gettext_lazy("financial proxies 20 per cent lower"),
    "duration 1 year": gettext_lazy("every outcome lasting one year only"),
    "discount rate +2 points": gettext_lazy("discount rate 2 points higher"),
}


@require_http_methods(["GET", "POST"])
@permission_required(policy, "sroi_read")
def sroi_list(request):
    can_edit = policy.allows(request.user, "sroi_edit")
    form = SroiAnalysisForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        analysis = submit_form(
            request, form, lambda data: services_sroi.sroi_analysis_save(by=request.user, data=data)
        )
        if analysis is not None:
            return redirect("outcomes:sroi_detail", pk=analysis.pk)
    analyses = SroiAnalysis.objects.select_related("programme")
    return render(request, "outcomes/sroi_list.html", {"analyses": analyses, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required(policy, "sroi_read")
def sroi_detail(request, pk):
    analysis = get_object_or_404(SroiAnalysis.objects.select_related("programme"), pk=pk)
    can_edit = policy.allows(request.user, "sroi_edit")
    outcome_form = SroiOutcomeForm(request.POST if request.POST.get("form") == "outcome" else None)
    analysis_form = SroiAnalysisForm(
        request.POST if request.POST.get("form") == "analysis" else None, instance=analysis
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("form") == "outcome":
            if submit_form(
                request,
                outcome_form,
                lambda data: services_sroi.sroi_outcome_add(
                    by=request.user, analysis=analysis, data=data
                ),
            ):
                messages.success(request, _("Outcome added to the map."))
                return redirect("outcomes:sroi_detail", pk=analysis.pk)
        elif submit_form(
            request,
            analysis_form,
            lambda data: services_sroi.sroi_analysis_save(
                by=request.user, data=data, analysis=SroiAnalysis.objects.get(pk=analysis.pk)
            ),
        ):
            messages.success(request, _("Analysis saved."))
            return redirect("outcomes:sroi_detail", pk=analysis.pk)
    valued = queries_sroi.valuation(analysis)
    return render(
        request,
        "outcomes/sroi_detail.html",
        {
            "analysis": analysis,
            "valued": valued,
            "sensitivity": [
                (SENSITIVITY_LABELS.get(s.label, s.label), s.ratio) for s in valued.sensitivity
            ],
            "can_edit": can_edit,
            "outcome_form": outcome_form,
            "analysis_form": analysis_form,
        },
    )


@require_POST
@permission_required(policy, "sroi_edit")
def sroi_outcome_remove(request, pk):
    outcome = get_object_or_404(SroiOutcome, pk=pk)
    services_sroi.sroi_outcome_remove(by=request.user, outcome=outcome)
    messages.success(request, _("Outcome removed from the map."))
    return redirect("outcomes:sroi_detail", pk=outcome.analysis_id)
