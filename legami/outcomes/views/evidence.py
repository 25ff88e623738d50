"""Qualitative evidence pages: record interviews and observations, code them, count themes
and read the quotes of a theme, by programme."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from legami.core.audit import audit_shown
from legami.core.permissions import permission_required
from legami.core.views_helpers import add_service_errors, submit_form

from ..forms import CodeForm, EvidenceFilterForm, EvidenceForm
from ..models.evidence import Evidence
from ..permissions import policy
from ..queries import evidence as queries_evidence
from ..scopes import programmes_with_evidence
from ..services import evidence as services_evidence

RECORDS_SHOWN = 50


@require_http_methods(["GET", "POST"])
@permission_required(policy, "evidence")
def evidence(request):
    programmes = programmes_with_evidence(request.user).order_by("name")
    readable = policy.scope(request.user, "evidence", Evidence.objects.all())
    filters = EvidenceFilterForm(request.GET or None, programmes=programmes)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    programme = chosen.get("programme")
    code = chosen.get("code")
    form = EvidenceForm(request.POST or None, programmes=programmes)
    if request.method == "POST":
        saved = submit_form(
            request,
            form,
            lambda data: services_evidence.evidence_record(
                by=request.user, data=data, codes=data.get("codes")
            ),
        )
        if saved is not None:
            messages.success(request, _("Evidence recorded."))
            return redirect("outcomes:evidence")
    programme_id = programme.pk if programme else None
    records = list(
        queries_evidence.evidence_filtered(readable, programme_id, code.pk if code else None)[
            :RECORDS_SHOWN
        ]
    )
    # Transcripts are about people, even under pseudonyms: each one read is logged.
    audit_shown(by=request.user, purpose="qualitative evidence", objects=records)
    return render(
        request,
        "outcomes/evidence.html",
        {
            "filters": filters,
            "themes": queries_evidence.theme_counts(readable, programme_id),
            "records": records,
            "chosen_code": code,
            "form": form,
            "code_form": CodeForm(),
        },
    )


@require_POST
@permission_required(policy, "evidence")
def code_add(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services_evidence.code_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Code added to the codebook."))
            return redirect("outcomes:evidence")
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, message)
    return redirect("outcomes:evidence")
