"""Restore a backup made by `manage.py backup`.

    manage.py restore FILE --to var/copia.sqlite3 --verify     # SQLite: into another file
    manage.py restore FILE --to legami_copia --verify          # PostgreSQL: a new database
    manage.py restore FILE --replace --verify                  # over the configured database

Without --to the target is the configured database, which is replaced only with --replace
(every row in it is lost). --verify checks the restored database against the backup's
manifest (FILE.json): integrity, then every table's row count and checksum.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from legami.core import backup as backups


class Command(BaseCommand):
    help = "Restore a backup into a database (a new one, or the configured one with --replace)."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="file written by manage.py backup")
        parser.add_argument(
            "--to", dest="target", help="SQLite file or PostgreSQL database name (default: ours)"
        )
        parser.add_argument(
            "--replace", action="store_true", help="replace the target if it already exists"
        )
        parser.add_argument("--verify", action="store_true", help="check it against the manifest")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, backup, target=None, replace=False, verify=False, **options):
        configured = backups.Database.from_settings(connections[options["database"]].settings_dict)
        destination = configured.named(target) if target else configured
        path = Path(backup)
        try:
            manifest = backups.read_manifest(path) if verify else None
            if target is None:
                connections[options["database"]].close()
            backups.restore(path, destination, replace=replace)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {path} into {destination.describe()}.")
        if verify:
            problems = backups.verify(destination, manifest)
            if problems:
                raise CommandError("The restored database does not match:\n" + "\n".join(problems))
            self.stdout.write(self.style.SUCCESS("Verified: integrity, rows and checksums match."))
