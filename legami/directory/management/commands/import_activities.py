"""manage.py import_activities FILE [--dry-run] [--as EMAIL]

The same service as the import page: every problem is printed by row and column and the command
exits with status 1 without writing anything; otherwise everything is written in one transaction.
Without --as the import runs as the system (no permission check), for operators loading data.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from legami.directory.spreadsheet.importer import import_activities


class Command(BaseCommand):
    help = "Import activities from a spreadsheet (XLSX or CSV made from the template)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .xlsx or .csv file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and write nothing"
        )
        parser.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            help="import as this user, with their permissions (default: the system)",
        )

    def handle(self, *args, file, dry_run=False, as_email=None, **options):
        by = None
        if as_email:
            by = get_user_model().objects.filter(email__iexact=as_email).first()
            if by is None:
                raise CommandError(
                    _("No user has the e-mail address %(email)s.") % {"email": as_email}
                )
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        try:
            report = import_activities(by=by, file=path, filename=path.name, dry_run=dry_run)
        except PermissionDenied:
            raise CommandError(
                _("%(email)s may not import activities.") % {"email": as_email}
            ) from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for problem in report.problems:
            where = []
            if problem.row:
                where.append(_("row %(row)s") % {"row": problem.row})
            if problem.column:
                column = problem.column + (f" ({problem.letter})" if problem.letter else "")
                where.append(column)
            prefix = ", ".join(where)
            self.stderr.write(f"{prefix}: {problem.message}" if prefix else problem.message)
        if not report.ok:
            raise CommandError(
                ngettext(
                    "%(count)s problem: nothing was imported.",
                    "%(count)s problems: nothing was imported.",
                    report.problem_count,
                )
                % {"count": report.problem_count}
            )
        summary = _(
            "%(activities)s activities (%(published)s published), %(new)s new places, "
            "%(reused)s places reused, %(schedules)s schedules, %(costs)s costs."
        ) % {
            "activities": report.activities,
            "published": report.published,
            "new": report.places_new,
            "reused": report.places_reused,
            "schedules": report.schedules,
            "costs": report.cost_options,
        }
        if dry_run:
            self.stdout.write(_("Dry run, nothing written: %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported: %(summary)s") % {"summary": summary}))
