"""Impact on organisations: a programme's indicators with their targets, and the forms that
define an indicator and record a value by hand."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from legami.core.permissions import permission_required
from legami.core.views_helpers import id_param, submit_form
from legami.network.models import Programme

from ..forms.builder import IndicatorForm, ReadingForm
from ..models.indicators import Indicator, Metric
from ..permissions import policy
from ..queries import indicators as queries_indicators
from ..scopes import runs_programme
from ..services import indicators as services_indicators


@require_http_methods(["GET", "POST"])
@permission_required(policy, "indicators_read")
def organisations(request):
    programmes = Programme.objects.order_by("name")
    chosen = request.GET.get("programme") or request.POST.get("programme")
    chosen = id_param(chosen)
    programme = programmes.filter(pk=chosen).first() if chosen else None
    programme = programme or programmes.first()
    can_edit = programme is not None and runs_programme(request.user, programme)
    form = IndicatorForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit or programme is None:
            # The page offers no form to others: a write from them is refused, not redirected.
            raise PermissionDenied(
                _("Only the territory administration that runs the programme defines indicators.")
            )
        created = submit_form(
            request,
            form,
            lambda data: services_indicators.indicator_create(
                by=request.user, data={**data, "programme": programme}
            ),
        )
        if created is not None:
            messages.success(request, _("Indicator added."))
            return redirect(f"{reverse('outcomes:organisations')}?programme={programme.pk}")
    return render(
        request,
        "outcomes/organisations.html",
        {
            "programme": programme,
            "programmes": programmes,
            "rows": [
                {**row, "reading_form": _reading_form(row["indicator"]) if can_edit else None}
                for row in (queries_indicators.programme_indicators(programme) if programme else [])
            ],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _reading_form(indicator, data=None):
    if indicator.metric != Metric.MANUAL:
        return None
    # One form per indicator on the page: the prefix keeps their field ids apart.
    return ReadingForm(data, prefix=f"reading-{indicator.pk}")


@require_POST
@permission_required(policy, "indicators_edit")
def reading_add(request, pk):
    indicator = policy.get_object_or_404(
        request.user, "indicators_edit", Indicator.objects.all(), pk=pk
    )
    form = ReadingForm(request.POST, prefix=f"reading-{indicator.pk}")
    saved = submit_form(
        request,
        form,
        lambda data: services_indicators.reading_add(by=request.user, indicator=indicator, **data),
    )
    if saved is not None:
        messages.success(request, _("Value recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
    return redirect(f"{reverse('outcomes:organisations')}?programme={indicator.programme_id}")
