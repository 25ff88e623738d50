"""Pages of impact measurement. The link worker gives questionnaires (entered by them, or
through a single-use link the person opens on their phone); territory admins and evaluators read
the impact dashboard. Thin: permission -> query -> form -> service."""

import itertools

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from legami.core import privacy
from legami.core.audit import audit, audit_people_shown, audit_shown
from legami.core.permissions import permission_required
from legami.core.spreadsheets import csv_lines
from legami.core.views_helpers import add_service_errors
from legami.network.models import Programme
from legami.referrals.models import ConsentPurpose, Referral
from legami.referrals.services import active_consents

from .. import queries, services
from ..forms import AnswersForm, ChooseInstrumentForm, ImpactFilterForm, WorkerResponseForm
from ..models import Instrument, Purpose, Response, Timepoint
from ..permissions import policy
from ..queries import priorities as queries_priorities
from ..report import pdf as report_pdf
from ..report import xlsx as report_xlsx
from ..services import links as services_links

PAGE_GROUPS = 40


def _referral(request, pk) -> Referral:
    return policy.get_object_or_404(
        request.user,
        "administer",
        Referral.objects.select_related("beneficiary", "beneficiary__comune", "link_worker"),
        pk=pk,
    )


# --- link worker -----------------------------------------------------------------------------
@require_GET
@permission_required(policy, "administer")
def person(request, pk):
    referral = _referral(request, pk)
    responses = queries.person_responses(referral.beneficiary)
    audit(by=request.user, action="view", obj=referral.beneficiary, purpose="outcome scores")
    due = queries.due_follow_ups(Referral.objects.filter(pk=referral.pk))
    return render(
        request,
        "outcomes/person.html",
        {
            "referral": referral,
            "person": referral.beneficiary,
            "rows": [(r, queries.band_for(r)) for r in responses],
            "due": due,
            "choose": ChooseInstrumentForm(
                initial={"timepoint": due[0]["timepoint"] if due else Timepoint.BASELINE}
            ),
            "consented": ConsentPurpose.OUTCOMES in active_consents(referral.beneficiary),
        },
    )


def _instrument(request) -> Instrument | None:
    value = request.POST.get("instrument") or request.GET.get("instrument")
    try:
        return Instrument.objects.get(pk=int(value), is_active=True, purpose=Purpose.PERSON)
    except (TypeError, ValueError, Instrument.DoesNotExist):
        return None


@require_http_methods(["GET", "POST"])
@permission_required(policy, "administer")
def record(request, pk):
    referral = _referral(request, pk)
    instrument = _instrument(request)
    if instrument is None:
        messages.error(request, _("Choose a questionnaire and a timepoint from the lists."))
        return redirect("outcomes:person", pk=referral.pk)
    form = WorkerResponseForm(
        request.POST or None,
        instrument=instrument,
        initial={"timepoint": request.GET.get("timepoint") or Timepoint.BASELINE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_record(
                by=request.user,
                instrument=instrument,
                beneficiary=referral.beneficiary,
                referral=referral,
                timepoint=form.cleaned_data["timepoint"],
                administered_on=form.cleaned_data["administered_on"],
                answers=form.answers(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if response.is_complete:
                messages.success(request, _("Questionnaire recorded."))
            else:
                messages.warning(
                    request,
                    _("Questionnaire recorded as incomplete: some items have no answer."),
                )
            return redirect("outcomes:person", pk=referral.pk)
    # The form names the person: opening it is a read of their record.
    audit(by=request.user, action="view", obj=referral.beneficiary, purpose="questionnaire entry")
    return render(
        request,
        "outcomes/record.html",
        {"referral": referral, "person": referral.beneficiary, "form": form},
    )


@require_POST
@permission_required(policy, "administer")
def link_create(request, pk):
    referral = _referral(request, pk)
    choose = ChooseInstrumentForm(request.POST)
    if not choose.is_valid():
        messages.error(request, _("Choose a questionnaire and a timepoint from the lists."))
        return redirect("outcomes:person", pk=referral.pk)
    try:
        link, token = services_links.link_create(
            by=request.user,
            instrument=choose.cleaned_data["instrument"],
            beneficiary=referral.beneficiary,
            referral=referral,
            timepoint=choose.cleaned_data["timepoint"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("outcomes:person", pk=referral.pk)
    address = settings.SITE_URL + reverse("outcomes_public:answer", args=[token])
    # The token exists only in this page: shown once, as text and as a QR code to scan.
    response = render(
        request,
        "outcomes/link.html",
        {
            "referral": referral,
            "person": referral.beneficiary,
            "link": link,
            "address": address,
            "qr": segno.make(address, error="m").svg_inline(scale=5, title=_("QR code")),
        },
    )
    return response


@require_GET
@permission_required(policy, "administer")
def due(request):
    due = queries.due_for(request.user)
    audit_shown(by=request.user, purpose="questionnaires due", objects=[d["baseline"] for d in due])
    return render(request, "outcomes/due.html", {"due": due})


# --- the person, on their phone, without an account ----------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(policy, "self_complete")
def answer(request, token):
    try:
        link = services_links.link_for_token(token)
    except services_links.LinkUnusable as error:
        response = render(
            request,
            "outcomes/answer_unusable.html",
            {"message": " ".join(error.messages)},
            status=410,
        )
        return response
    form = AnswersForm(
        request.POST or None,
        instrument=link.instrument,
        initial={f"item_{n}": v for n, v in services_links.draft_answers(link).items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if "save" in request.POST:
                services_links.link_save_draft(token, form.answers())
                messages.success(
                    request,
                    _("Your answers are saved. You can come back to this page to finish."),
                )
                return redirect("outcomes_public:answer", token=token)
            services_links.link_submit(token, form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("outcomes:answer_done")
    # The site-wide Referrer-Policy (same-origin) keeps the address, which holds the token, from
    # other sites; "no-referrer" would make the browser send "Origin: null" and fail CSRF.
    return render(
        request,
        "outcomes/answer.html",
        {"form": form, "instrument": link.instrument, "link": link},
    )


@require_GET
def answer_done(request):
    return render(request, "outcomes/answer_done.html")


# --- impact dashboard ------------------------------------------------------------------------
def _default_instrument() -> Instrument | None:
    instruments = ImpactFilterForm.base_fields["instrument"].queryset
    return instruments.filter(code="who5").first() or instruments.first()


def _impact(request, data: dict, default, *, largest=None):
    """The impact report for the filters of the dashboard form (cleaned), in the user's scope."""
    instrument = data.get("instrument") or default
    if instrument is None:
        return None
    return queries.impact(
        policy.scope(request.user, "dashboard", Response.objects.all()),
        instrument=instrument,
        timepoint=data.get("timepoint") or Timepoint.FOLLOW_UP_3M,
        dimension=data.get("breakdown") or "",
        programme_id=data["programme"].pk if data.get("programme") else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        largest=largest,
        subscale=data.get("subscale") or "",
    )


@require_GET
@permission_required(policy, "dashboard")
def dashboard(request):
    default = _default_instrument()
    form = ImpactFilterForm(
        request.GET or None,
        dimensions=queries.DIMENSIONS,
        programmes=Programme.objects.order_by("name"),
        initial={"instrument": default},
    )
    report = None
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Some filters are not valid: see the messages below."))
    else:
        data = form.cleaned_data if form.is_bound else {}
        # A page (and a chart) of hundreds of groups helps nobody: the largest groups here,
        # every group in the downloads and the API.
        report = _impact(request, data, default, largest=PAGE_GROUPS)
    chart = None
    if report is not None and report.rows:
        shown = report.rows
        chart = {
            "labels": [row.label for row in shown],
            "mean": [round(row.change.mean_change, 2) for row in shown],
            "low": [_rounded(row.change.ci_low) for row in shown],
            "high": [_rounded(row.change.ci_high) for row in shown],
            "title": _("Mean change with 95%% confidence interval") % {},
        }
    return render(
        request,
        "outcomes/dashboard.html",
        {"form": form, "report": report, "chart": chart},
    )


def _report_for_download(request):
    """The dashboard's report for the filters in the address, every group; None (and a
    message) when a filter is not valid."""
    form = ImpactFilterForm(
        request.GET, dimensions=queries.DIMENSIONS, programmes=Programme.objects.all()
    )
    if not form.is_valid():
        messages.error(request, _("Some filters are not valid: see the messages below."))
        return None, None
    data = form.cleaned_data
    return _impact(request, data, _default_instrument()), data


def _back_to_dashboard(request):
    return redirect(reverse("outcomes:dashboard") + "?" + request.GET.urlencode())


@require_GET
@permission_required(policy, "dashboard")
def dashboard_xlsx(request):
    report, _data = _report_for_download(request)
    if report is None:
        return _back_to_dashboard(request)
    audit(by=request.user, action="export", object_type="outcomes.impact", purpose="XLSX")
    response = HttpResponse(
        report_xlsx.impact_workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="legami-impatto.xlsx"'
    return response


@require_GET
@permission_required(policy, "dashboard")
def dashboard_pdf(request):
    report, data = _report_for_download(request)
    if report is None:
        return _back_to_dashboard(request)
    audit(by=request.user, action="export", object_type="outcomes.impact", purpose="PDF")
    response = HttpResponse(
        report_pdf.impact_pdf(
            report,
            programme=data.get("programme"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = 'attachment; filename="legami-impatto.pdf"'
    return response


def _rounded(value):
    return round(value, 2) if value is not None else None


@require_GET
@permission_required(policy, "priorities")
def priorities(request):
    report = queries_priorities.priorities(
        policy.scope(request.user, "priorities", Referral.objects.all())
    )
    quarter_rows = [
        (need, [report.by_quarter.get(need.pk, {}).get(q, 0) for q in report.quarters])
        for need in report.needs
    ]
    comune_rows = [
        (comune, [report.by_comune.get(comune.pk, {}).get(need.pk, 0) for need in report.needs])
        for comune in report.comuni
    ]
    return render(
        request,
        "outcomes/priorities.html",
        {
            "report": report,
            "quarter_rows": quarter_rows,
            "comune_rows": comune_rows,
        },
    )


# --- evaluator -------------------------------------------------------------------------------
# k-anonymous (queries.research_extract, core.privacy): no birth year or comune, ages in bands,
# the comune's province and inner-area class, dates by month.
RESEARCH_COLUMNS = (
    "person",
    "instrument",
    "timepoint",
    "administered_month",
    "mode",
    "complete",
    "raw_score",
    "score",
    "change_from_baseline",
    "age_band",
    "gender",
    "province_istat",
    "inner_area_class",
    "programme",
)


def _research_row(row: tuple) -> list:
    *values, band, gender, province, inner_area, programme = row
    values[3] = privacy.month(values[3])
    band = "" if band == privacy.NOT_RECORDED else band
    return [*values, band, gender, province, inner_area, programme]


@require_GET
@permission_required(policy, "research")
def research_csv(request):
    """Responses of the people who consented to research, pseudonymised as the referral export
    is (the same pseudonymous id, so an evaluator can join the two); no names, contacts or text."""
    extract = queries.research_extract()
    # Pseudonymised data are still personal data: each person in the file is logged.
    audit_people_shown(by=request.user, purpose="research", person_ids=extract.people)
    rows = (
        _research_row(row)
        for row in extract.rows.iterator(chunk_size=2000)
        if extract.shows(row)
    )
    response = StreamingHttpResponse(
        csv_lines(itertools.chain([RESEARCH_COLUMNS], rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="legami-risposte.csv"'
    return response
