"""Import activities from a spreadsheet: one row is one activity with its place and one
recurring schedule.

`import_activities(by=..., file=..., filename=..., dry_run=True)` reads the file, checks every
row with the same rules as the forms (`services.check_*`) and reports every problem by row and
column. With `dry_run=False` and no problem it writes everything in one transaction, or nothing.

Speed: the organisations, comuni, terms, existing activities and places a file names are read
with a handful of queries into dictionaries; rows are checked in Python; places, activities,
schedules, costs and classifications are written with `bulk_create`, with the derived fields
(search words, next session, free of charge) computed before the insert. One audit event
records the whole import.

The import is one object, `_Import`, whose parts live in their own modules: `lookups` (the
queries and the cells that name an organisation, comune or term), `rows` (one row checked into
clean values or problems) and `commit` (the bulk writes); `parsers` reads single cells.
"""

import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from legami.core.roles import SUPERUSER, effective_role

from .. import recurrence
from ..models import ActivityStatus, Frequency, Schedule
from ..permissions import policy
from . import columns as col
from . import reader

# fold and stems re-exported: the tests compare them with legami.directory.text's.
from .commit import Commit, fold, stems  # noqa: F401
from .lookups import Lookups
from .rows import Planned, RowChecks


@dataclass
class Problem:
    row: int | None  # as the spreadsheet shows it; None for the file as a whole
    column: str  # the header as written in the file
    message: str
    letter: str = ""  # the column's letter (A, B, ... AH)
    position: int = 0  # for sorting


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    sheet: str = ""
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[str] = field(default_factory=list)
    activities: int = 0
    published: int = 0
    places_new: int = 0
    places_reused: int = 0
    schedules: int = 0
    cost_options: int = 0
    organisations: list[tuple[str, int]] = field(default_factory=list)
    sample: list[dict] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problem_count and not self.problems

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.problem_count += 1

    def to_dict(self, max_problems: int = 200) -> dict:
        """A JSON-ready copy for the session, with at most `max_problems` problems."""
        data = asdict(self)
        data["problems"] = data["problems"][:max_problems]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        data = dict(data)
        data["problems"] = [Problem(**p) for p in data.get("problems", [])]
        data["organisations"] = [tuple(o) for o in data.get("organisations", [])]
        return cls(**data)


def import_activities(*, by, file, filename: str = "", dry_run: bool = True) -> ImportReport:
    """Check (and unless `dry_run`, write) the activities of a spreadsheet. Never raises for
    bad input: every problem is in the report, and with any problem nothing is written. A
    row for an organisation `by` does not keep is one of those problems."""
    policy.authorize(by, "import")
    filename = os.path.basename(str(filename or getattr(file, "name", "") or ""))[:120]
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        table = reader.read(_read_bytes(file))
    except reader.SpreadsheetError as error:
        report.add(Problem(None, "", error.message))
        return report
    report.sheet = table.sheet
    layout = _map_headers(table, report)
    if not report.ok:
        return report
    if not table.rows:
        report.add(Problem(None, "", _("The file has headers but no rows of activities.")))
        return report
    report.rows = len(table.rows)
    if dry_run:
        _Import(by, table, layout, report).run(commit=False)
        return report
    try:
        with transaction.atomic():
            _Import(by, table, layout, report).run(commit=True)
    except DatabaseError as error:
        report.committed = False
        report.add(
            Problem(
                None,
                "",
                _("The database refused the import (%(error)s): nothing was imported.")
                % {"error": str(error)[:200]},
            )
        )
    return report


def _read_bytes(file) -> bytes:
    limit = reader.MAX_BYTES + 1
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if isinstance(file, str | Path):
        with open(file, "rb") as handle:
            return handle.read(limit)
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):
        data = bytearray()
        for chunk in file.chunks():
            data += chunk
            if len(data) >= limit:
                break
        return bytes(data[:limit])
    return file.read(limit)


# --- headers ------------------------------------------------------------------------------------
@dataclass
class _Layout:
    number: dict[str, int]  # column key -> column number in the file
    header: dict[str, str]  # column key -> header as written


def _map_headers(table: reader.Table, report: ImportReport) -> _Layout:
    layout = _Layout({}, {})
    unknown = []
    for number, header in sorted(table.headers.items()):
        key = col.column_for(header)
        if key is None:
            unknown.append(header)
            continue
        if key in layout.number:
            report.add(
                Problem(
                    table.header_row,
                    header,
                    _(
                        "Two columns hold the same information (“%(first)s” and “%(second)s”): "
                        "keep one."
                    )
                    % {"first": layout.header[key], "second": header},
                    reader.letter(number),
                    number,
                )
            )
            continue
        layout.number[key] = number
        layout.header[key] = header
    if not layout.number:
        report.add(
            Problem(
                table.header_row or None,
                "",
                _(
                    "The first row does not hold the column headers of the template (such as "
                    "“%(name)s” and “%(description)s”): download the template and copy your "
                    "rows into it."
                )
                % {
                    "name": col.BY_KEY["name"].header,
                    "description": col.BY_KEY["description"].header,
                },
            )
        )
        return layout
    missing = [col.BY_KEY[key].header for key in col.REQUIRED_HEADERS if key not in layout.number]
    if missing:
        report.add(
            Problem(
                table.header_row,
                ", ".join(missing),
                _("These columns are missing: %(columns)s.")
                % {"columns": ", ".join(f"“{h}”" for h in missing)},
            )
        )
    if unknown:
        report.warnings.append(
            _("These columns are not part of the template and were ignored: %(columns)s.")
            % {"columns": ", ".join(f"“{h}”" for h in unknown)}
        )
    return layout


# --- the import -----------------------------------------------------------------------------------
class _Import(Lookups, RowChecks, Commit):
    def __init__(self, by, table: reader.Table, layout: _Layout, report: ImportReport):
        self.by = by
        self.table = table
        self.layout = layout
        self.report = report
        self.role = effective_role(by)
        self.system = by is None or self.role == SUPERUSER
        self.today = timezone.localdate()
        self.now = timezone.now()
        self._occurs: dict[tuple, str | None] = {}
        self._next: dict[tuple, object] = {}
        self._text_checked: dict[tuple, tuple] = {}
        self._read: dict[tuple, tuple] = {}

    # problems
    def problem(self, row: int, key: str, message: str) -> None:
        number = self.layout.number.get(key)
        header = self.layout.header.get(key) or col.BY_KEY[key].header
        letter = reader.letter(number) if number else ""
        self.report.add(Problem(row, header, message, letter, number or 0))

    def value(self, cells: dict, key: str):
        number = self.layout.number.get(key)
        return cells.get(number) if number else None

    # run
    def run(self, *, commit: bool) -> None:
        self.load()
        planned = []
        columns = list(self.layout.number.items())
        for number, cells in self.table.rows:
            before = self.report.problem_count
            row = self.check_row(number, {k: cells[n] for k, n in columns if n in cells})
            if row is not None and self.report.problem_count == before:
                planned.append(row)
        self.check_duplicates(planned)
        self.plan_places(planned)
        self.report.problems.sort(key=lambda p: (p.row or 0, p.position))
        self.summarise(planned)
        if commit and self.report.ok:
            self.write(planned)
            self.report.committed = True

    # --- the summary, for the preview ------------------------------------------------------------
    def summarise(self, planned: list[Planned]) -> None:
        report = self.report
        report.activities = len(planned)
        report.published = sum(p.activity.status == ActivityStatus.PUBLISHED for p in planned)
        report.schedules = sum(p.schedule is not None for p in planned)
        report.cost_options = sum(bool(p.cost) for p in planned)
        counts = Counter(p.organisation.name for p in planned)
        report.organisations = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        report.sample = [
            {
                "row": p.row,
                "name": p.activity.name,
                "organisation": p.organisation.name,
                "place": f"{p.place_name}, {p.comune.name}" if p.comune else "",
                "schedule": _describe(p.schedule),
                "status": str(ActivityStatus(p.activity.status).label),
            }
            for p in planned[:10]
        ]


def _describe(schedule: Schedule | None) -> str:
    """ "Weekly Tue, Thu 18:00–19:30" in the user's language, for the preview."""
    if schedule is None:
        return ""
    days = []
    for code in filter(None, schedule.byday.split(",")):
        position, weekday = code[:-2], code[-2:]
        label = str(WEEKDAYS_ABBR[recurrence.DAY_CODES.index(weekday)])
        days.append(f"{position} {label}" if position else label)
    return " ".join(
        filter(
            None,
            [
                str(Frequency(schedule.freq).label),
                ", ".join(days),
                f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}",
            ],
        )
    )
