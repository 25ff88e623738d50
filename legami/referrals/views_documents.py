"""Documents and data protection: the closing summary a referrer files, the DPO's pages for
data-subject requests (find, export, erase), and the evaluators' pseudonymised extract."""

import itertools
import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from legami.core import subject_data
from legami.core.audit import audit
from legami.core.permissions import permission_required
from legami.core.roles import LINK_WORKER, PRESCRIBER, SUPERUSER, effective_role
from legami.core.spreadsheets import csv_lines
from legami.core.views_helpers import add_service_errors

from . import queries, services
from .models import (
    ENDED_STATUSES,
    Beneficiary,
    Consent,
    ConsentPurpose,
    Referral,
    Status,
)
from .pdf import render_pdf
from .permissions import policy

ACCESS_LOG_SHOWN = 50


# --- closing summary --------------------------------------------------------------------------
def _local_date(value):
    return timezone.localtime(value).date() if value else None


def summary_context(referral: Referral, *, for_link_worker: bool) -> dict:
    """What the closing summary says. The referrer's copy holds the minimum: dates, status,
    the reason for closing, activities and attendance counts. Notes, risks and the reason for
    referral never appear; "what matters" and goals only on the link worker's copy; the
    outcome measures section only where the person consented to outcome measurement."""
    activities = []
    for enrolment in referral.enrolments.all():
        lines = list(enrolment.attendance.all())
        activities.append(
            {
                "name": enrolment.activity.name,
                "status": enrolment.get_status_display(),
                "sent_on": _local_date(enrolment.sent_at),
                "present": sum(1 for line in lines if line.present),
                "recorded": len(lines),
            }
        )
    outcomes_consented = any(
        c.purpose == ConsentPurpose.OUTCOMES and c.withdrawn_at is None
        for c in referral.beneficiary.consents.all()
    )
    return {
        "referral": referral,
        "person": referral.beneficiary,
        "received_on": _local_date(referral.received_at),
        "first_contact_on": _local_date(referral.first_contacted_at),
        "closed_on": _local_date(referral.closed_at),
        "status": Status(referral.status).label,
        "needs": [term.name for term in referral.reasons.all()],
        "activities": activities,
        "show_outcomes": outcomes_consented,
        "outcome_rows": [
            row
            for entry in subject_data.registered()
            if entry.referral_outcomes is not None
            for row in entry.referral_outcomes(referral)
        ]
        if outcomes_consented
        else [],
        "for_link_worker": for_link_worker,
        "what_matters": referral.what_matters if for_link_worker else "",
        "goals": referral.goals if for_link_worker else "",
        "printed_at": timezone.localtime(),
    }


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@permission_required(policy, "view")
def closing_summary(request, pk):
    role = effective_role(request.user)
    if role not in (PRESCRIBER, LINK_WORKER, SUPERUSER):
        raise PermissionDenied
    referral = queries.referral_detail(request.user, pk)
    if referral.status not in ENDED_STATUSES:
        raise Http404
    context = summary_context(referral, for_link_worker=role in (LINK_WORKER, SUPERUSER))
    audit(by=request.user, action="export", obj=referral, purpose="closing summary")
    content = render_pdf("referrals/documents/closing_summary.html", context)
    return _pdf_response(content, f"referral-{referral.pk}.pdf")


# --- data-subject requests (DPO) --------------------------------------------------------------
class PersonSearchForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Codice fiscale or name"),
        max_length=200,
        help_text=gettext_lazy(
            "The codice fiscale finds the person exactly; names find everyone whose first or "
            "last name contains every word."
        ),
    )


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Request reference or reason"),
        max_length=180,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "E.g. the protocol number of the person's request. It is written in the access log."
        ),
        error_messages={"required": gettext_lazy("Write the request this erasure answers.")},
    )


def _subject(request, pk) -> Beneficiary:
    """One person for a data-subject request (anonymised ones included), or 403/404."""
    people = Beneficiary.objects.select_related("comune").prefetch_related(
        Prefetch("consents", queryset=Consent.objects.order_by("purpose", "-given_at")),
        Prefetch(
            "referrals",
            queryset=Referral.objects.select_related("comune", "referring_organisation").order_by(
                "-received_at", "-pk"
            ),
        ),
    )
    return policy.get_object_or_404(request.user, "subject_requests", people, pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required(policy, "subject_requests")
def dpo_search(request):
    # POST, so the names and tax codes searched for never end up in URLs or server logs.
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = list(queries.find_people(form.cleaned_data["text"]))
        counts = dict(
            Referral.objects.filter(beneficiary__in=[p.pk for p in results])
            .values_list("beneficiary")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for found in results:
            found.referral_count = counts.get(found.pk, 0)
        audit(
            by=request.user,
            action="list",
            object_type="referrals.beneficiary",
            purpose="data-subject request: search",
        )
    return render(request, "referrals/dpo/search.html", {"form": form, "results": results})


@require_GET
@permission_required(policy, "subject_requests")
def dpo_person(request, pk):
    person = _subject(request, pk)
    audit(by=request.user, action="view", obj=person, purpose="data-subject request")
    access_log = list(services.access_log_rows(person)[:ACCESS_LOG_SHOWN])
    log_url = (
        reverse("core:audit_log")
        + "?"
        + urlencode({"object_type": "referrals.beneficiary", "object_id": person.pk})
    )
    return render(
        request,
        "referrals/dpo/person.html",
        {
            "person": person,
            "consents": person.consents.all(),
            "referrals": person.referrals.all(),
            "access_log": access_log,
            "access_log_shown": ACCESS_LOG_SHOWN,
            "audit_log_url": log_url,
        },
    )


@require_GET
@permission_required(policy, "subject_requests")
def dpo_export_json(request, pk):
    person = _subject(request, pk)
    data = services.subject_export(by=request.user, beneficiary=person)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@permission_required(policy, "subject_requests")
def dpo_export_pdf(request, pk):
    person = _subject(request, pk)
    data = services.subject_export(by=request.user, beneficiary=person)
    content = render_pdf(
        "referrals/dpo/export_pdf.html",
        {"data": data, "person": person, "printed_at": timezone.localtime()},
    )
    return _pdf_response(content, f"person-{person.pk}.pdf")


@require_http_methods(["GET", "POST"])
@permission_required(policy, "subject_requests")
def dpo_erase(request, pk):
    person = _subject(request, pk)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_erase(
                by=request.user, beneficiary=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The person has been anonymised: identity, contacts and notes are gone."),
            )
            return redirect("referrals:dpo_person", pk=person.pk)
    return render(request, "referrals/dpo/erase.html", {"person": person, "form": form})


# --- pseudonymised extract for evaluators -------------------------------------------------------
RESEARCH_COLUMNS = (
    "pseudonymous_id",
    "birth_year",
    "comune_istat",
    "comune",
    "programme",
    "source",
    "urgency",
    "needs",
    "status",
    "received_on",
    "first_contact_on",
    "closed_on",
)


def research_row(referral: Referral) -> list:
    person = referral.beneficiary
    row = [
        person.pseudonym,
        person.birth_date.year if person.birth_date else "",
        referral.comune.istat_code,
        referral.comune.name,
        referral.programme.name if referral.programme else "",
        referral.source,
        referral.urgency,
        "|".join(sorted(term.code for term in referral.reasons.all())),
        referral.status,
        _local_date(referral.received_at),
        _local_date(referral.first_contacted_at),
        _local_date(referral.closed_at),
    ]
    return row


def _research_lines(rows):
    # core.spreadsheets: a name typed by someone is never computed by the evaluator's spreadsheet.
    referrals = rows.iterator(chunk_size=500)
    return csv_lines(itertools.chain([RESEARCH_COLUMNS], map(research_row, referrals)))


@require_GET
@permission_required(policy, "research")
def research_csv(request):
    audit(
        by=request.user,
        action="export",
        object_type="referrals.referral",
        purpose="pseudonymised research extract",
    )
    response = StreamingHttpResponse(
        _research_lines(queries.research_rows()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="referrals-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
