"""A file kept between an import's dry run and its confirmation (spreadsheet and HSDS imports).

The upload is stored under var/imports/ with a random name held in the user's session (never
under MEDIA_ROOT, which may be served), and deleted once imported, cancelled, replaced by
another upload, or after a day. A file with problems is not kept: the person corrects it and
uploads it again. Each import has its own session key, so one never confirms the other's file.
"""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def import_directory() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


class PendingUpload:
    def __init__(self, session_key: str):
        self.session_key = session_key

    def store(self, request, upload) -> Path:
        """Save `upload` (replacing this person's earlier one) and return where it is; `keep`
        then records it in the session, or `forget` removes it."""
        self.discard(request)
        _remove_stale_files()
        path = import_directory() / f"{secrets.token_hex(16)}.upload"
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return path

    def keep(self, request, path: Path | None, **data) -> None:
        """Remember the dry run's outcome; `path` None (a file with problems) keeps no file."""
        request.session[self.session_key] = {
            "token": path.stem if path is not None else None,
            "user": request.user.pk,
            **data,
        }

    def pending(self, request) -> dict | None:
        pending = request.session.get(self.session_key)
        if not isinstance(pending, dict) or pending.get("user") != request.user.pk:
            return None
        return pending

    @staticmethod
    def file(pending) -> Path | None:
        token = (pending or {}).get("token")
        if not token or not _TOKEN.match(token):
            return None
        path = import_directory() / f"{token}.upload"
        return path if path.is_file() else None

    def hand_over(self, request) -> str | None:
        """Forget the upload in the session but keep its file, for the task worker that will
        import it (and delete it); returns its token."""
        token = (self.pending(request) or {}).get("token")
        request.session.pop(self.session_key, None)
        return token

    def discard(self, request) -> None:
        path = self.file(self.pending(request))
        if path is not None:
            path.unlink(missing_ok=True)
        request.session.pop(self.session_key, None)


def _remove_stale_files() -> None:
    limit = time.time() - KEEP_SECONDS
    for path in import_directory().glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
