"""Import activities from a spreadsheet: template download, upload with a dry run, preview of
every problem or of what would be created, and the confirmation that writes it all at once.

The uploaded file is kept between the preview and the confirmation under var/imports/ with a
random name held in the user's session (never under MEDIA_ROOT, which may be served), and
deleted once imported, cancelled, replaced by another upload, or after a day. A file with
problems is not kept: the person corrects the spreadsheet and uploads it again.
"""

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from legami.core.permissions import permission_required

from .permissions import policy
from .spreadsheet import reader, template
from .spreadsheet.importer import ImportReport, import_activities

SESSION_KEY = "directory_import"
MAX_PROBLEMS_SHOWN = 200
KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def import_directory() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx) or a CSV file of at most 10 MB, made from the template."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > reader.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB: split it into smaller files.")
                % {"limit": reader.MAX_BYTES // (1024 * 1024)}
            )
        return upload


@require_GET
@permission_required(policy, "import")
def import_template(request):
    if request.GET.get("format") == "csv":
        content, content_type, name = template.csv_bytes(), template.CSV_TYPE, "attivita.csv"
    else:
        content, content_type, name = (
            template.xlsx(request.user),
            template.XLSX_TYPE,
            "attivita.xlsx",
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="modello-{name}"'
    return response


@require_http_methods(["GET", "POST"])
@permission_required(policy, "import")
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        _discard(request)
        _remove_stale_files()
        token = secrets.token_hex(16)
        path = import_directory() / f"{token}.upload"
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        report = import_activities(by=request.user, file=path, filename=upload.name, dry_run=True)
        if not report.ok:
            path.unlink(missing_ok=True)
        request.session[SESSION_KEY] = {
            "token": token if report.ok else None,
            "user": request.user.pk,
            "filename": report.filename,
            "report": report.to_dict(MAX_PROBLEMS_SHOWN),
        }
        return redirect("directory:import_confirm")
    return render(request, "directory/import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(policy, "import")
def import_confirm(request):
    pending = _pending(request)
    if request.method == "POST":
        return _commit(request, pending)
    report = ImportReport.from_dict(pending["report"]) if pending else None
    return render(
        request,
        "directory/import_preview.html",
        {
            "report": report,
            "can_confirm": bool(pending and pending.get("token") and report.ok),
            "more_problems": report.problem_count - len(report.problems) if report else 0,
        },
    )


def _commit(request, pending):
    if "cancel" in request.POST:
        _discard(request)
        messages.info(request, _("Import cancelled: nothing was saved."))
        return redirect("directory:import_upload")
    path = _file(pending)
    if path is None:
        _discard(request)
        messages.error(request, _("No file is waiting to be imported: upload it again."))
        return redirect("directory:import_upload")
    report = import_activities(
        by=request.user, file=path, filename=pending["filename"], dry_run=False
    )
    _discard(request)
    if report.committed:
        messages.success(
            request,
            ngettext(
                "%(count)s activity imported from %(file)s.",
                "%(count)s activities imported from %(file)s.",
                report.activities,
            )
            % {"count": report.activities, "file": report.filename},
        )
        return redirect("directory:import_upload")
    # Something changed since the preview (e.g. the same activity was added meanwhile).
    request.session[SESSION_KEY] = {
        "token": None,
        "user": request.user.pk,
        "filename": report.filename,
        "report": report.to_dict(MAX_PROBLEMS_SHOWN),
    }
    return redirect("directory:import_confirm")


def _pending(request) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("user") != request.user.pk:
        return None
    return pending


def _file(pending) -> Path | None:
    token = (pending or {}).get("token")
    if not token or not _TOKEN.match(token):
        return None
    path = import_directory() / f"{token}.upload"
    return path if path.is_file() else None


def _discard(request) -> None:
    path = _file(_pending(request))
    if path is not None:
        path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


def _remove_stale_files() -> None:
    limit = time.time() - KEEP_SECONDS
    for path in import_directory().glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
