"""manage.py hsds_export DIR [--published-only] [--no-validate]

Writes the directory as Open Referral HSDS 3.x JSON documents under DIR: organizations/,
services/ (the "service_full" shape), service_at_locations/, taxonomies/ and taxonomy_terms/.
Every document is validated against the HSDS schemas (HSDS_SCHEMA_DIR); an invalid one is
reported and the command exits with status 1. `hsds_import DIR` reads the folder back.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from legami.directory.hsds.exporter import export_directory
from legami.directory.models import Activity, ActivityStatus


class Command(BaseCommand):
    help = "Export the directory as Open Referral HSDS 3.x JSON files."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder to write (created if missing)")
        parser.add_argument(
            "--published-only",
            action="store_true",
            help="leave out draft, suspended and archived activities",
        )
        parser.add_argument(
            "--no-validate", action="store_true", help="skip the check against the HSDS schemas"
        )

    def handle(self, *args, directory, published_only=False, no_validate=False, **options):
        activities = Activity.objects.all()
        if published_only:
            activities = activities.filter(status=ActivityStatus.PUBLISHED)
        try:
            result = export_directory(directory, activities=activities, validate=not no_validate)
        except ImproperlyConfigured as error:
            raise CommandError(f"{error} (--no-validate skips the check)") from None
        except OSError as error:
            raise CommandError(
                _("Cannot write to %(path)s: %(error)s") % {"path": directory, "error": error}
            ) from None
        for kind, count in sorted(result.counts.items()):
            self.stdout.write(f"{kind}: {count}")
        if result.invalid:
            for problem in result.invalid:
                self.stderr.write(problem)
            raise CommandError(
                _("%(count)s documents do not validate against the HSDS schemas.")
                % {"count": len(result.invalid)}
            )
        self.stdout.write(
            self.style.SUCCESS(_("Exported to %(path)s.") % {"path": result.directory})
        )
