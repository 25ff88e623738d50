"""Import activities from a spreadsheet: template download, upload with a dry run, preview of
every problem or of what would be created, and the confirmation that writes it all at once.
The file waits between the preview and the confirmation as `uploads.PendingUpload` keeps it.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from legami.core.permissions import permission_required

from .. import tasks
from ..permissions import policy
from ..spreadsheet import reader, template
from ..spreadsheet.importer import ImportReport, import_activities
from ..uploads import PendingUpload

SESSION_KEY = "directory_import"
MAX_PROBLEMS_SHOWN = 200
UPLOAD = PendingUpload(SESSION_KEY)


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
        path = UPLOAD.store(request, upload)
        report = import_activities(by=request.user, file=path, filename=upload.name, dry_run=True)
        if not report.ok:
            path.unlink(missing_ok=True)
        UPLOAD.keep(
            request,
            path if report.ok else None,
            filename=report.filename,
            report=report.to_dict(MAX_PROBLEMS_SHOWN),
        )
        return redirect("directory:import_confirm")
    return render(request, "directory/import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(policy, "import")
def import_confirm(request):
    pending = UPLOAD.pending(request)
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
        UPLOAD.discard(request)
        messages.info(request, _("Import cancelled: nothing was saved."))
        return redirect("directory:import_upload")
    path = UPLOAD.file(pending)
    if path is None:
        UPLOAD.discard(request)
        messages.error(request, _("No file is waiting to be imported: upload it again."))
        return redirect("directory:import_upload")
    checked = ImportReport.from_dict(pending["report"])
    if checked.activities >= tasks.queued_from():
        # Thousands of rows: the task worker writes them, and tells the person when done.
        policy.authorize(request.user, "import")
        token = UPLOAD.hand_over(request)
        user_id, filename = request.user.pk, pending["filename"]
        # The task's row is written now; the worker finds the file the preview kept.
        tasks.import_spreadsheet.enqueue(user_id=user_id, token=token, filename=filename)
        messages.info(
            request,
            _(
                "The import of %(count)s activities has started: you will find a notification "
                "in Legami, and an e-mail, when it is done."
            )
            % {"count": checked.activities},
        )
        return redirect("directory:import_upload")
    report = import_activities(
        by=request.user, file=path, filename=pending["filename"], dry_run=False
    )
    UPLOAD.discard(request)
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
    UPLOAD.keep(request, None, filename=report.filename, report=report.to_dict(MAX_PROBLEMS_SHOWN))
    return redirect("directory:import_confirm")
