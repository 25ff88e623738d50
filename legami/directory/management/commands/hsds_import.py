"""manage.py hsds_import PATH [--comune COMUNE] [--dry-run]

PATH is an Open Referral HSDS 3.x JSON file (one record, a list or a paginated list), a folder
holding a tabular data package (datapackage.json and its CSV files) or a folder of JSON files
such as the output of hsds_export. Everything is written in one transaction, or nothing: every
problem is printed with its file, record or row and field, and the command exits with status 1.
Importing the same data again updates the same objects (by HSDS id), it never duplicates them.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from legami.directory.hsds.importer import LABELS, import_path, resolve_fallback_comune


class Command(BaseCommand):
    help = "Import an Open Referral HSDS 3.x file or data package into the directory."

    def add_arguments(self, parser):
        parser.add_argument("path", help="HSDS JSON file, or folder with datapackage.json")
        parser.add_argument(
            "--comune",
            help=(
                "comune for records without an Italian address: name, name with province "
                "(Arcidosso (GR)) or ISTAT code (053001)"
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help="check and write nothing")

    def handle(self, *args, path, comune=None, dry_run=False, **options):
        try:
            fallback = resolve_fallback_comune(comune) if comune else None
            result = import_path(path, fallback_comune=fallback, dry_run=dry_run)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(_("Nothing was imported.")) from None
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for kind, label in LABELS.items():
            counts = (result.created[kind], result.updated[kind], result.unchanged[kind])
            deleted = result.deleted[kind]
            if any(counts) or deleted:
                line = _("%(label)s: %(created)s new, %(updated)s updated, %(same)s unchanged") % {
                    "label": label,
                    "created": counts[0],
                    "updated": counts[1],
                    "same": counts[2],
                }
                if deleted:
                    line += _(", %(deleted)s removed") % {"deleted": deleted}
                self.stdout.write(line)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Import complete, %(count)s warnings.") % {"count": len(result.warnings)}
                )
            )
