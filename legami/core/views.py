from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rest_framework import exceptions as api_errors

from . import audit_words, modules, queries
from .audit import audit
from .permissions import permission_required
from .policy import policy
from .roles import effective_role
from .spreadsheets import csv_response, xlsx_response
from .views_helpers import paginate


@require_GET
def home(request):
    return render(request, "core/home.html", {"cards": modules.home_cards(request.user)})


@require_GET
@login_required
def dashboard(request):
    return render(
        request,
        "core/dashboard.html",
        {"role": effective_role(request.user), "sections": modules.work_for(request.user)},
    )


@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request):
    return render(request, "core/privacy.html")


@require_GET
@permission_required(policy, "view_audit_log")
def audit_log(request):
    filters = queries.AuditFilter(request.GET)
    events = queries.audit_events(request.user, filters)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _audit_export(request, events, export)
    page = paginate(request, events, per_page=50)
    rows = [audit_words.words(event) for event in page]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "filters": filters,
            "page_obj": page,
            "rows": rows,
            "query": query.urlencode(),
            "export_limit": queries.AUDIT_EXPORT_LIMIT,
        },
    )


def _audit_export(request, events, kind):
    """The filtered log as a table file; reading the log this way is itself logged."""
    audit(by=request.user, action="export", object_type="core.auditevent", purpose="access log")
    rows = queries.audit_export_rows(events, as_text=kind == "csv")
    if kind == "csv":
        return csv_response("registro-accessi.csv", rows)
    return xlsx_response("registro-accessi.xlsx", str(_("Access log")), rows)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(request, template, error):
    """The error page; under /api/ the JSON an API client expects, as DRF writes it."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(error.default_detail)}, status=error.status_code)
    return render(request, template, status=error.status_code)


def error_404(request, exception=None):
    return _error(request, "404.html", api_errors.NotFound)


def error_403(request, exception=None):
    return _error(request, "403.html", api_errors.PermissionDenied)


def error_400(request, exception=None):
    return _error(request, "400.html", api_errors.ParseError)


def error_500(request):
    return _error(request, "500.html", api_errors.APIException)
