"""Back up the database online: SQLite through its backup API, PostgreSQL through pg_dump.

    manage.py backup                      # var/backups/legami-<UTC time>.sqlite3 or .dump
    manage.py backup --output FILE --verify

Beside the copy, FILE.json holds each table's row count and checksum, taken from the very
snapshot that was copied. --verify checks the copy against it: SQLite opens the copy
(integrity check, then every row); PostgreSQL restores it into a scratch database, checks it
and drops it. The exit status is non-zero when anything differs.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from legami.core import backup as backups


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup, PostgreSQL pg_dump) with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="backup file (default: var/backups/legami-<time>.*)")
        parser.add_argument("--verify", action="store_true", help="check the copy afterwards")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, output=None, verify=False, database="default", **options):
        source = backups.Database.from_settings(connections[database].settings_dict)
        path = Path(output or backups.default_backup_path(settings.VAR_DIR, source.vendor))
        try:
            manifest = backups.backup(source, path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {source.describe()} to {path} ({manifest['bytes']:,} bytes, "
            f"{len(manifest['tables'])} tables, {rows:,} rows); manifest "
            f"{backups.manifest_path(path).name}."
        )
        if verify:
            problems = self._verify(source, path, manifest)
            if problems:
                raise CommandError("The backup does not match:\n" + "\n".join(problems))
            self.stdout.write(self.style.SUCCESS("Verified: integrity, rows and checksums match."))

    def _verify(self, source, path, manifest):
        if source.vendor == backups.SQLITE:
            return backups.verify(source.named(path), manifest)
        scratch = source.named(f"{source.name}_verify_{secrets.token_hex(4)}")
        try:
            backups.restore(path, scratch)
            return backups.verify(scratch, manifest)
        except backups.BackupError as error:
            return [str(error)]
        finally:
            scratch.drop()
