"""Open Referral HSDS from the directory's management pages: the download of what
`hsds_export` writes, and the upload of a bundle with a dry run first, every problem shown,
then the confirmation that writes it all at once (hsds.importer, which checks who may).

An upload is one HSDS JSON file (one record, a list or a paginated list) or a ZIP archive of a
folder of JSON files (what the download gives) or of a tabular data package (datapackage.json
and its CSV files). It waits between the dry run and the confirmation as the spreadsheet
import's does (uploads.PendingUpload).
"""

import io
import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from legami.core.permissions import permission_required
from legami.territory.forms import ComuneField
from legami.territory.models import Comune

from ..hsds.exporter import export_directory
from ..hsds.importer import LABELS, import_path
from ..permissions import policy
from ..uploads import PendingUpload

MAX_BYTES = 20 * 1024 * 1024
# An archive is unpacked only within these bounds: a ZIP of a few KB can claim gigabytes.
MAX_MEMBERS = 5000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_SHOWN = 200
UPLOAD = PendingUpload("directory_hsds_import")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class HSDSImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HSDS file"),
        help_text=gettext_lazy(
            "An HSDS 3.x JSON file, or a ZIP archive of HSDS JSON files or of a tabular data "
            "package (datapackage.json and its CSV files), of at most 20 MB."
        ),
    )
    comune = ComuneField(
        label=gettext_lazy("Comune for records without an Italian address"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB: split it into smaller files.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        return upload


# --- export -------------------------------------------------------------------------------------
@require_GET
@permission_required(policy, "export_hsds")
def hsds_export(request):
    """The files `manage.py hsds_export` writes, as one ZIP archive (hsds_import and this
    page's import read it back as it is)."""
    with tempfile.TemporaryDirectory() as folder:
        export_directory(folder, by=request.user, validate=False)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).rglob("*.json")):
                archive.write(path, path.relative_to(folder).as_posix())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    name = f"legami-hsds-{timezone.localdate().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- import -------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required(policy, "import_hsds")
def hsds_import_upload(request):
    form = HSDSImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        comune = form.cleaned_data["comune"]
        path = UPLOAD.store(request, upload)
        outcome = _run(request, path, upload.name, comune, dry_run=True)
        if outcome["errors"]:
            path.unlink(missing_ok=True)
        UPLOAD.keep(
            request,
            None if outcome["errors"] else path,
            filename=upload.name,
            comune=comune.pk if comune else None,
            outcome=outcome,
        )
        return redirect("directory:hsds_import_confirm")
    return render(request, "directory/hsds_import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(policy, "import_hsds")
def hsds_import_confirm(request):
    pending = UPLOAD.pending(request)
    if request.method == "POST":
        return _commit(request, pending)
    outcome = pending["outcome"] if pending else None
    return render(
        request,
        "directory/hsds_import_preview.html",
        {
            "filename": pending["filename"] if pending else "",
            "outcome": outcome,
            "can_confirm": bool(pending and pending.get("token") and not outcome["errors"]),
        },
    )


def _commit(request, pending):
    if "cancel" in request.POST:
        UPLOAD.discard(request)
        messages.info(request, _("Import cancelled: nothing was saved."))
        return redirect("directory:hsds_import_upload")
    path = UPLOAD.file(pending)
    if path is None:
        UPLOAD.discard(request)
        messages.error(request, _("No file is waiting to be imported: upload it again."))
        return redirect("directory:hsds_import_upload")
    comune = Comune.objects.filter(pk=pending.get("comune")).first()
    outcome = _run(request, path, pending["filename"], comune, dry_run=False)
    UPLOAD.discard(request)
    if outcome["errors"]:
        # Something changed since the dry run (e.g. a comune or a term was removed).
        UPLOAD.keep(request, None, filename=pending["filename"], comune=None, outcome=outcome)
        return redirect("directory:hsds_import_confirm")
    messages.success(request, _("HSDS file %(file)s imported.") % {"file": pending["filename"]})
    return redirect("directory:manage")


def _run(request, path: Path, filename: str, comune, *, dry_run: bool) -> dict:
    """The import (or its dry run) of the stored file, as the preview shows it."""
    try:
        with _opened(path, filename) as source:
            result = import_path(source, fallback_comune=comune, by=request.user, dry_run=dry_run)
    except ValidationError as error:
        problems = error.messages
        return {"errors": problems[:MAX_SHOWN], "error_count": len(problems), "warnings": []}
    summary = [
        [
            str(label),
            result.created[kind],
            result.updated[kind],
            result.unchanged[kind],
            result.deleted[kind],
        ]
        for kind, label in LABELS.items()
        if result.created[kind]
        or result.updated[kind]
        or result.unchanged[kind]
        or result.deleted[kind]
    ]
    return {
        "errors": [],
        "error_count": 0,
        "warnings": result.warnings[:MAX_SHOWN],
        "warning_count": len(result.warnings),
        "summary": summary,
    }


def _safe_name(name: str, default: str) -> str:
    name = _SAFE_NAME.sub("_", PurePosixPath(name.replace("\\", "/")).name).strip("._")
    return name or default


@contextmanager
def _opened(path: Path, filename: str):
    """The stored upload as `hsds.reader.read_path` reads it: a JSON file under the name it was
    uploaded with (problems name it), or an archive unpacked to a folder."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        if zipfile.is_zipfile(path):
            yield _unpack(path, root / "bundle", filename)
        else:
            target = root / _safe_name(filename, "hsds.json")
            shutil.copyfile(path, target)
            yield target


def _unpack(path: Path, root: Path, filename: str) -> Path:
    """Only .json and .csv members, each under `root` whatever its name says, within the
    bounds above; the folder read_path should read (the one holding datapackage.json, when the
    archive wraps the package in a folder)."""
    root.mkdir()
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS:
                raise ValidationError(
                    _("%(file)s holds more than %(limit)s files.")
                    % {"file": filename, "limit": MAX_MEMBERS}
                )
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise ValidationError(
                    _("%(file)s unpacks to more than %(limit)s MB.")
                    % {"file": filename, "limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
                )
            for member in members:
                parts = [
                    _safe_name(p, "_")
                    for p in PurePosixPath(member.filename.replace("\\", "/")).parts
                    if p not in ("", ".", "..", "/")
                ]
                if not parts or not parts[-1].lower().endswith((".json", ".csv")):
                    continue
                if parts[0] == "__MACOSX":
                    continue
                target = root.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, open(target, "wb") as output:
                    shutil.copyfileobj(source, output)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError):
        raise ValidationError(
            _("%(file)s is not a ZIP archive that can be read.") % {"file": filename}
        ) from None
    if not any(root.rglob("*.json")):
        # Said here, by the name the person knows: the reader would name the server's folder.
        raise ValidationError(_("%(file)s holds no HSDS JSON file.") % {"file": filename})
    packages = sorted(root.rglob("datapackage.json"))
    if not (root / "datapackage.json").is_file() and len(packages) == 1:
        return packages[0].parent
    return root
