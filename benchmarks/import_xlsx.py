#!/usr/bin/env python
"""Time the spreadsheet import of 15,000 activities (dry run, then commit) on the benchmark
database, inside a transaction rolled back at the end, so the database is left as it was.

    DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3 .venv/bin/python benchmarks/import_xlsx.py

The workbook is the suite's realistic one (legami/directory/tests/test_import.py): weekly and
monthly schedules, costs, capacities, domains and needs, 40 place names in 3 comuni, two
organisations of the generated province. Target (issue "Community resource directory"): the
commit in at most 20 s.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legami.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from legami.accounts.models import User  # noqa: E402
from legami.demo.generator import MARK  # noqa: E402
from legami.directory.spreadsheet.importer import import_activities  # noqa: E402
from legami.directory.tests.test_import import activities_workbook  # noqa: E402
from legami.network.models import Organisation  # noqa: E402

ROWS = 15_000


class Rollback(Exception):
    pass


def main() -> None:
    organisations = list(
        Organisation.objects.filter(**{f"extra__{MARK}": True})
        .order_by("name")
        .values_list("name", flat=True)[:2]
    )
    if len(organisations) < 2:
        sys.exit("No generated organisations: run generate_data --scale province first.")
    started = time.perf_counter()
    data = activities_workbook(ROWS, organisations, ["Cremona", "Crema (CR)", "019036"])
    built = time.perf_counter() - started
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench.import@generato.legami.example", None
    )
    timings = {}
    try:
        with transaction.atomic():
            for dry_run in (True, False):
                begin = time.perf_counter()
                report = import_activities(
                    by=admin, file=data, filename="quindicimila.xlsx", dry_run=dry_run
                )
                timings["dry run" if dry_run else "commit"] = time.perf_counter() - begin
                if not report.ok:
                    sys.exit(f"import refused: {report.problems[:3]}")
            raise Rollback
    except Rollback:
        pass
    vendor = connection.vendor
    print(f"{vendor}: workbook of {ROWS:,} rows ({len(data) / 1e6:.1f} MB) built in {built:.1f} s")
    for label, seconds in timings.items():
        print(f"{vendor}: {label} {seconds:.1f} s ({ROWS / seconds:,.0f} rows/s)")


if __name__ == "__main__":
    main()
