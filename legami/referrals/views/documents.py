"""Documents and data protection: the closing summary a referrer files, the DPO's pages for
data-subject requests (find, export, erase), and the evaluators' pseudonymised extract."""

import itertools
import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from legami.core import privacy, subject_data
from legami.core.audit import audit, audit_people_shown, audit_shown
from legami.core.pdf import render_pdf
from legami.core.permissions import permission_required
from legami.core.spreadsheets import csv_lines
from legami.core.views_helpers import add_service_errors

from .. import queries, research, services
from ..disclosure import GOALS, WHAT_MATTERS, WHY, Disclosure
from ..models import (
    ENDED_STATUSES,
    Beneficiary,
    Consent,
    ConsentPurpose,
    Referral,
    Status,
)
from ..permissions import policy
from ..queries import cases as queries_cases

ACCESS_LOG_SHOWN = 50


# --- closing summary --------------------------------------------------------------------------
def _local_date(value):
    return timezone.localtime(value).date() if value else None


def summary_context(referral: Referral, user) -> dict:
    """What the closing summary says to `user`. The referrer's copy holds the minimum: dates,
    status, the reason for closing, activities and attendance counts. Notes, risks and the
    reason for referral never appear; "what matters", goals and the person's contacts only on
    the link worker's copy and only as disclosure.py allows (contacts with the person's consent
    to be contacted); the outcome measures section only where the person consented to outcome
    measurement."""
    disclosure = Disclosure(user)
    for_link_worker = disclosure.works_on(referral)
    readable = disclosure.texts(referral)
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
        "closure_reason": referral.closure_reason if WHY in readable else "",
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
        "what_matters": referral.what_matters
        if for_link_worker and WHAT_MATTERS in readable
        else "",
        "goals": referral.goals if for_link_worker and GOALS in readable else "",
        # The person's own goals and how close they came: the link worker's copy only, as the
        # goals' text above.
        "personal_goals": queries_cases.goals_of(referral)
        if for_link_worker and GOALS in readable
        else [],
        "show_contacts": for_link_worker and disclosure.contacts(referral),
        "printed_at": timezone.localtime(),
    }


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@permission_required(policy, "closing_summary")
def closing_summary(request, pk):
    referral = queries.referral_detail(request.user, pk, action="closing_summary")
    if referral.status not in ENDED_STATUSES:
        raise Http404
    context = summary_context(referral, request.user)
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
    ground = forms.ChoiceField(
        label=gettext_lazy("Ground of the erasure"), choices=services.ErasureGround.choices
    )
    reason = forms.CharField(
        label=gettext_lazy("Request reference"),
        max_length=services.REFERENCE_MAX,
        help_text=gettext_lazy(
            "The protocol number of the request, e.g. “prot. 2026/123”. It stays in the access "
            "log after the erasure, so it must not name the person."
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
        audit_shown(by=request.user, purpose="data-subject request: search", objects=results)
    return render(request, "referrals/dpo/search.html", {"form": form, "results": results})


@require_GET
@permission_required(policy, "subject_requests")
def dpo_person(request, pk):
    person = _subject(request, pk)
    audit(by=request.user, action="view", obj=person, purpose="data-subject request")
    access_log = list(services.access_log_rows(person)[:ACCESS_LOG_SHOWN])
    log_url = reverse("core:audit_log") + "?" + urlencode({"person": person.pk})
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
    # Each module's part, printed with its own headings (the export keeps the codes).
    sections = [
        {
            "title": entry.title or entry.key,
            "columns": [heading for _key, heading in entry.columns],
            "rows": [[row.get(key) for key, _heading in entry.columns] for row in data[entry.key]],
        }
        for entry in subject_data.registered()
        if entry.columns and isinstance(data.get(entry.key), list)
    ]
    content = render_pdf(
        "referrals/dpo/export_pdf.html",
        {
            "data": data,
            "person": person,
            "printed_at": timezone.localtime(),
            "sections": sections,
        },
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
                by=request.user,
                beneficiary=person,
                reason=form.cleaned_data["reason"],
                ground=form.cleaned_data["ground"],
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
# k-anonymous (referrals.research, core.privacy): generalised quasi-identifiers, dates by month.
RESEARCH_COLUMNS = (
    "pseudonymous_id",
    "age_band",
    "province_istat",
    "inner_area_class",
    "programme",
    "source",
    "urgency",
    "needs",
    "status",
    "received_month",
    "days_to_first_contact",
    "closed_month",
)


def _days_to_first_contact(referral: Referral):
    if referral.first_contacted_at is None:
        return ""
    return (_local_date(referral.first_contacted_at) - _local_date(referral.received_at)).days


def research_row(referral: Referral) -> list:
    row = [
        referral.beneficiary.pseudonym,
        "" if referral.age_band == privacy.NOT_RECORDED else referral.age_band,
        referral.province,
        referral.inner_area,
        referral.programme_name,
        referral.source,
        referral.urgency,
        "|".join(sorted(term.code for term in referral.reasons.all())),
        referral.status,
        privacy.month(_local_date(referral.received_at)),
        _days_to_first_contact(referral),
        privacy.month(_local_date(referral.closed_at)),
    ]
    return row


def _research_lines(extract):
    # core.spreadsheets: a name typed by someone is never computed by the evaluator's spreadsheet.
    rows = (
        research_row(referral)
        for referral in extract.rows.iterator(chunk_size=500)
        if extract.shows(referral)
    )
    return csv_lines(itertools.chain([RESEARCH_COLUMNS], rows))


@require_GET
@permission_required(policy, "research")
def research_csv(request):
    extract = research.research_extract()
    # Pseudonymised data are still personal data: each person in the file is logged.
    audit_people_shown(
        by=request.user, purpose="pseudonymised research extract", person_ids=extract.people
    )
    response = StreamingHttpResponse(
        _research_lines(extract), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="referrals-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
