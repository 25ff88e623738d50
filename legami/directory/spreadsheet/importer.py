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
"""

import os
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from legami.core.audit import audit
from legami.core.roles import PROVIDER, SUPERUSER, TERRITORY_ADMIN, effective_role
from legami.network.models import Organisation
from legami.network.queries import organisations_editable
from legami.territory.models import Comune
from legami.territory.queries import comuni_in_scope

from .. import recurrence, services, text
from ..models import (
    Activity,
    ActivityStatus,
    CostOption,
    Frequency,
    Place,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
)
from . import columns as col
from . import reader

BATCH_SIZE = 500
COST_LABEL = "Quota di partecipazione"  # stored content, in the directory's language
TAXONOMY_COLUMNS = (
    (Taxonomy.DOMAIN, "domains"),
    (Taxonomy.NEED, "needs"),
    (Taxonomy.TARGET_GROUP, "target_groups"),
)
SCHEDULE_KEYS = ("freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to")
PLACE_KEYS = ("comune", "place_name", "address", "postcode", "latitude", "longitude")
# Where a field named in a schedule's ValidationError lives in the spreadsheet.
SCHEDULE_FIELDS = {"bymonthday": "byday", "interval": "freq", "description": "freq"}
MAX_INTEGER = {"capacity": 2_147_483_647, "referral_slots": 32_767}
_TAX_CODE = re.compile(r"^(?:\d{11}|[A-Z0-9]{16})$")
_NAME_WITH_PROVINCE = re.compile(r"^(?P<name>.+?)\s*\((?P<abbr>[A-Za-z]{2})\)$")


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


class _Planned:
    """One good row, ready to write."""

    __slots__ = (
        "row",
        "organisation",
        "comune",
        "place_name",
        "place_fields",
        "place",
        "place_id",
        "activity",
        "terms",
        "schedule",
        "cost",
    )


def import_activities(*, by, file, filename: str = "", dry_run: bool = True) -> ImportReport:
    """Check (and unless `dry_run`, write) the activities of a spreadsheet. Never raises for
    bad input: every problem is in the report, and with any problem nothing is written."""
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
fold = col.fold  # text.fold, faster
_WORD = re.compile(r"\w+", re.UNICODE)  # as text.words


def stems(folded: str, cache: dict) -> str:
    """text.stems of a text already folded, with a cache that lasts the whole import (the
    stemmer's own keeps 4,096 words, fewer than a large file holds)."""
    result = []
    for word in _WORD.findall(folded):
        if len(word) > 1:
            stem = cache.get(word)
            if stem is None:
                stem = cache[word] = word if word.isdigit() else text.stem(word)
            result.append(stem)
    return " " + " ".join(dict.fromkeys(result)) + " "


def _fold(value: str) -> str:
    """A name as compared: folded, one space between words, one kind of apostrophe."""
    return " ".join(fold(value).replace("’", "'").split())


class _Import:
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

    def validation_problems(self, row: int, error: ValidationError, fields: dict) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.problem(row, "name", message)
            return
        for name, messages in error.message_dict.items():
            key = fields.get(name, name)
            if key not in col.BY_KEY:
                key = "name"
            for message in messages:
                self.problem(row, key, message)

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

    # --- lookups: a few queries for the whole file ---------------------------------------------
    def load(self) -> None:
        texts = {key: set() for key in ("organisation", "comune")}
        for _number, cells in self.table.rows:
            for key in texts:
                value = col.text(self.value(cells, key))
                if value:
                    texts[key].add(value)
        self.load_organisations(texts["organisation"])
        self.load_comuni(texts["comune"])
        self.terms: dict[str, dict[str, TaxonomyTerm]] = {code: {} for code, _k in TAXONOMY_COLUMNS}
        terms = TaxonomyTerm.objects.filter(taxonomy__code__in=list(self.terms)).select_related(
            "taxonomy"
        )
        terms = sorted(terms, key=lambda t: (t.taxonomy.code, t.pk))
        for attribute in ("code", "name", "name_en"):  # codes win over names
            for term in terms:
                label = getattr(term, attribute)
                if label:
                    self.terms[term.taxonomy.code].setdefault(_fold(label), term)

    def load_organisations(self, texts: set[str]) -> None:
        codes = {t.replace(" ", "").upper() for t in texts}
        codes = {c[2:] if c.startswith("IT") and len(c) == 13 else c for c in codes}
        codes = {c for c in codes if _TAX_CODE.match(c)}
        names = {" ".join(t.split()).lower() for t in texts}
        self.organisations_by_code: dict[str, Organisation] = {}
        self.organisations_by_name: dict[str, list[Organisation]] = {}
        found = []
        if texts:
            found = list(
                Organisation.objects.annotate(lowered=Lower("name"))
                .filter(Q(lowered__in=names) | Q(tax_code__in=codes) | Q(vat_number__in=codes))
                .only("pk", "name", "tax_code", "vat_number")
            )
        for organisation in found:
            for code in (organisation.tax_code, organisation.vat_number):
                if code:
                    self.organisations_by_code[code] = organisation
            self.organisations_by_name.setdefault(_fold(organisation.name), []).append(organisation)
        if self.system or not found:
            self.editable = {o.pk for o in found}
        else:
            self.editable = set(
                organisations_editable(
                    self.by, Organisation.objects.filter(pk__in=[o.pk for o in found])
                ).values_list("pk", flat=True)
            )
        self._default_organisation = ...

    def default_organisation(self) -> Organisation | None:
        """A provider with exactly one organisation may leave the column empty."""
        if self._default_organisation is ...:
            self._default_organisation = None
            if self.role == PROVIDER:
                mine = list(organisations_editable(self.by, Organisation.objects.all())[:2])
                if len(mine) == 1:
                    self._default_organisation = mine[0]
                    self.editable.add(mine[0].pk)
        return self._default_organisation

    def resolve_organisation(self, value) -> Organisation:
        """The organisation a cell names, by codice fiscale (or partita IVA) or by name."""
        name = col.text(value)
        if not name:
            organisation = self.default_organisation()
            if organisation is None:
                raise col.CellError(_("This field is required."))
            return organisation
        code = name.replace(" ", "").upper()
        code = code[2:] if code.startswith("IT") and len(code) == 13 else code
        organisation = self.organisations_by_code.get(code)
        if organisation is None:
            matches = self.organisations_by_name.get(_fold(name), [])
            if not matches:
                raise col.CellError(
                    _(
                        "No organisation in the network is called or has the codice fiscale "
                        "“%(text)s”: add it to the network of actors first."
                    )
                    % {"text": name}
                )
            if len(matches) > 1:
                raise col.CellError(
                    _(
                        "More than one organisation is called “%(text)s”: write its codice "
                        "fiscale instead."
                    )
                    % {"text": name}
                )
            organisation = matches[0]
        if organisation.pk not in self.editable:
            try:
                services.check_organisation(self.by, organisation)
            except ValidationError as error:
                raise col.CellError(
                    " ".join(error.message_dict.get("organisation", error.messages))
                ) from None
            raise col.CellError(_("You cannot publish listings for this organisation."))
        return organisation

    def load_comuni(self, texts: set[str]) -> None:
        self.comuni_by_code: dict[str, Comune] = {}
        self.comuni_by_name: dict[str, list[Comune]] = {}
        self.in_scope: set[int] | None = None
        if not texts:
            return
        for comune in Comune.objects.select_related("province").only(
            "pk", "name", "istat_code", "province__abbreviation"
        ):
            self.comuni_by_code[comune.istat_code] = comune
            self.comuni_by_name.setdefault(_fold(comune.name), []).append(comune)
        if self.role == TERRITORY_ADMIN:
            self.in_scope = set(comuni_in_scope(self.by).values_list("pk", flat=True))

    def resolve_comune(self, value) -> Comune | None:
        """A comune as ComuneField reads it: ISTAT code, name, or "Name (PR)"."""
        name = col.text(value)
        if not name:
            return None
        if name.isdigit():
            matches = [self.comuni_by_code[c] for c in [name.zfill(6)] if c in self.comuni_by_code]
        elif match := _NAME_WITH_PROVINCE.match(name):
            abbreviation = match["abbr"].upper()
            matches = [
                c
                for c in self.comuni_by_name.get(_fold(match["name"]), [])
                if c.province.abbreviation.upper() == abbreviation
            ]
        else:
            matches = self.comuni_by_name.get(_fold(name), [])
        if not matches:
            raise col.CellError(
                _("No comune is called or has the ISTAT code “%(text)s”.") % {"text": name}
            )
        if len(matches) > 1:
            raise col.CellError(
                _("More than one comune is called “%(text)s”: add the province, e.g. %(example)s.")
                % {"text": name, "example": str(matches[0])}
            )
        comune = matches[0]
        if self.in_scope is not None and comune.pk not in self.in_scope:
            raise col.CellError(_("This comune is outside your territory."))
        return comune

    def resolve_terms(self, value, taxonomy: str) -> list[TaxonomyTerm]:
        terms, unknown = [], []
        for item in col.items(value):
            term = self.terms[taxonomy].get(_fold(item))
            if term is None:
                unknown.append(item)
            elif term not in terms:
                terms.append(term)
        if unknown:
            raise col.CellError(
                ngettext(
                    "“%(terms)s” is not in this classification: use a code or a name listed in "
                    "the “Istruzioni” sheet of the template.",
                    "“%(terms)s” are not in this classification: use codes or names listed in "
                    "the “Istruzioni” sheet of the template.",
                    len(unknown),
                )
                % {"terms": "”, “".join(unknown)}
            )
        return terms

    # --- one row ---------------------------------------------------------------------------------
    def read(self, row: int, cells: dict, key: str, reader_function, *args):
        """A cell read by one of the readers of `columns` (or the resolvers above), or a
        problem. The same value in the same column is read once: spreadsheets repeat."""
        raw = cells.get(key)
        memo_key = (key, type(raw), raw)
        found = self._read.get(memo_key)
        if found is None:
            try:
                found = (reader_function(raw, *args), None)
            except col.CellError as error:
                found = (None, str(error))
            self._read[memo_key] = found
        if found[1] is not None:
            self.problem(row, key, found[1])
            return None, False
        return found[0], True

    def check_row(self, row: int, cells: dict) -> _Planned | None:
        """`cells`: the row's non-empty cells by column key."""
        organisation, _ok = self.read(row, cells, "organisation", self.resolve_organisation)
        name = col.text(cells.get("name"))
        description = col.text(cells.get("description"))
        for key, given in (("name", name), ("description", description)):
            if not given:
                self.problem(row, key, _("This field is required."))

        terms = []
        for taxonomy, key in TAXONOMY_COLUMNS:
            found, _ok = self.read(row, cells, key, self.resolve_terms, taxonomy)
            terms += [term for term in found or () if term not in terms]

        # the place
        place_name = col.text(cells.get("place_name"))
        has_place = any(not col.is_empty(cells.get(key)) for key in PLACE_KEYS)
        comune_text = col.text(cells.get("comune"))
        comune, _ok = self.read(row, cells, "comune", self.resolve_comune)
        if has_place:
            for key, given in (("comune", comune_text), ("place_name", place_name)):
                if not given:
                    self.problem(row, key, _("This field is required."))
        latitude, lat_ok = self.read(row, cells, "latitude", col.number)
        longitude, lon_ok = self.read(row, cells, "longitude", col.number)
        if lat_ok and lon_ok:
            try:
                services.check_coordinates(latitude, longitude)
            except ValidationError as error:
                self.validation_problems(row, error, {})
        postcode = cells.get("postcode")
        postcode = str(postcode).zfill(5) if isinstance(postcode, int) else col.text(postcode)
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            self.problem(row, "postcode", _("A CAP has five digits, e.g. 58031."))
        access = {}
        for key in ("wheelchair_access", "hearing_access", "sight_access"):
            access[key], _ok = self.read(row, cells, key, col.boolean, False)

        # the schedule
        schedule = None
        if any(not col.is_empty(cells.get(key)) for key in SCHEDULE_KEYS):
            schedule = self.check_schedule(row, cells)

        # the activity
        numbers = {}
        for key in ("min_age", "max_age", "capacity", "referral_slots"):
            numbers[key], ok = self.read(row, cells, key, col.integer)
            if ok and numbers[key] is not None and numbers[key] > MAX_INTEGER.get(key, 32_767):
                self.problem(row, key, _("The number is too large."))
                numbers[key] = None
        try:
            services.check_activity(numbers)
        except ValidationError as error:
            self.validation_problems(row, error, {})
        try:
            languages = services.normalise_languages(col.text(cells.get("languages")))
        except ValidationError as error:
            self.validation_problems(row, error, {})
            languages = "it"
        cost, _ok = self.read(row, cells, "cost", col.money)
        if cost is not None and cost < 0:
            self.problem(row, "cost", _("A cost cannot be below zero."))
        accepts, _ok = self.read(row, cells, "accepts_referrals", col.boolean, True)
        status, _ok = self.read(row, cells, "status", col.status)
        url = col.text(cells.get("url"))
        if url and not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
            url = f"https://{url}"

        activity = Activity(
            organisation=organisation,
            name=name,
            description=description,
            status=status or ActivityStatus.DRAFT,
            min_age=numbers["min_age"],
            max_age=numbers["max_age"],
            languages=languages,
            capacity=numbers["capacity"],
            accepts_referrals=True if accepts is None else accepts,
            referral_slots=numbers["referral_slots"],
            how_to_join=col.text(cells.get("how_to_join")),
            contact_name=col.text(cells.get("contact_name")),
            email=col.text(cells.get("email")),
            phone=col.text(cells.get("phone")),
            url=url,
            last_verified_on=self.today,
            is_free=not (cost and cost > 0),
        )
        # Lengths, e-mail and web address as the model's fields check them (field by field:
        # a whole model's clean_fields costs three times as much and checks nothing more here).
        self.check_text(
            row,
            Activity,
            {
                "name": ("name", name),
                "languages": ("languages", languages),
                "contact_name": ("contact_name", activity.contact_name),
                "email": ("email", activity.email),
                "phone": ("phone", activity.phone),
                "url": ("url", url),
            },
        )
        place_fields = None
        if has_place:
            place_fields = {
                "name": place_name,
                "address": col.text(cells.get("address")),
                "postcode": postcode,
                "latitude": latitude if lat_ok else None,
                "longitude": longitude if lon_ok else None,
                **{k: bool(v) for k, v in access.items()},
            }
            self.check_text(
                row,
                Place,
                {
                    "name": ("place_name", place_name),
                    "address": ("address", place_fields["address"]),
                },
            )

        planned = _Planned()
        planned.row = row
        planned.organisation = organisation
        planned.comune = comune
        planned.place_name = place_name
        planned.place_fields = place_fields
        planned.place = None
        planned.place_id = None
        planned.activity = activity
        planned.terms = terms
        planned.schedule = schedule
        planned.cost = cost
        return planned

    def check_schedule(self, row: int, cells: dict) -> Schedule | None:
        before = self.report.problem_count
        freq, _ok = self.read(row, cells, "freq", col.frequency)
        byday, _ok = self.read(row, cells, "byday", col.days)
        opens_at, _ok = self.read(row, cells, "opens_at", col.time_of_day)
        closes_at, _ok = self.read(row, cells, "closes_at", col.time_of_day)
        valid_from, _ok = self.read(row, cells, "valid_from", col.day)
        valid_to, _ok = self.read(row, cells, "valid_to", col.day)
        for key in ("opens_at", "closes_at"):
            if col.is_empty(cells.get(key)):
                self.problem(row, key, _("This field is required."))
        if self.report.problem_count != before:
            return None
        data = {
            "freq": freq or Frequency.WEEKLY,
            "interval": 1,
            "byday": byday or "",
            "bymonthday": "",
            "opens_at": opens_at,
            "closes_at": closes_at,
            "valid_from": valid_from or self.today,
            "valid_to": valid_to,
        }
        if data["freq"] == Frequency.WEEKLY and not data["byday"]:
            # Spelled out, as schedule_add does, so that searching by weekday finds it.
            data["byday"] = recurrence.DAY_CODES[data["valid_from"].weekday()]
        key = tuple(data.values())
        if key not in self._occurs:
            try:
                services.check_schedule(data)
                self._occurs[key] = None
            except ValidationError as error:
                self._occurs[key] = error
        if self._occurs[key] is not None:
            self.validation_problems(row, self._occurs[key], SCHEDULE_FIELDS)
            return None
        return Schedule(**data)

    def check_text(self, row: int, model, values: dict) -> None:
        """Lengths, e-mail and web addresses as the model's fields check them; the same
        address on many rows is checked once."""
        for name, (key, given) in values.items():
            if not given:
                continue
            cache_key = (model, name, given)
            messages = self._text_checked.get(cache_key)
            if messages is None:
                try:
                    model._meta.get_field(name).clean(given, None)
                    messages = ()
                except ValidationError as error:
                    messages = tuple(error.messages)
                self._text_checked[cache_key] = messages
            for message in messages:
                self.problem(row, key, message)

    # --- across rows -----------------------------------------------------------------------------
    def check_duplicates(self, planned: list[_Planned]) -> None:
        organisation_ids = {p.organisation.pk for p in planned}
        existing = set()
        if organisation_ids:
            for organisation_id, name, comune_id in (
                Activity.objects.filter(organisation_id__in=organisation_ids)
                .exclude(status=ActivityStatus.ARCHIVED)
                .values_list("organisation_id", "name", "place__comune_id")
            ):
                existing.add((organisation_id, _fold(name), comune_id))
        first_row = {}
        for p in planned:
            key = (p.organisation.pk, _fold(p.activity.name), p.comune.pk if p.comune else None)
            if key in existing:
                self.problem(
                    p.row,
                    "name",
                    _("%(organisation)s already lists an activity with this name in this comune.")
                    % {"organisation": p.organisation.name},
                )
            elif key in first_row:
                self.problem(
                    p.row,
                    "name",
                    _(
                        "Same organisation, name and comune as row %(row)s: each activity "
                        "appears once."
                    )
                    % {"row": first_row[key]},
                )
            else:
                first_row[key] = p.row

    def plan_places(self, planned: list[_Planned]) -> None:
        """Reuse the organisation's place with the same name in the same comune, if any, and
        create each new place once however many rows name it."""
        organisation_ids = {p.organisation.pk for p in planned if p.place_fields}
        existing = {}
        if organisation_ids:
            for pk, organisation_id, name, comune_id in (
                Place.objects.filter(organisation_id__in=organisation_ids)
                .order_by("-pk")
                .values_list("pk", "organisation_id", "name", "comune_id")
            ):
                existing[(organisation_id, _fold(name), comune_id)] = (pk, name)
        self.places_new: dict[tuple, Place] = {}
        reused = set()
        for p in planned:
            if not p.place_fields or p.comune is None:
                continue
            key = (p.organisation.pk, _fold(p.place_name), p.comune.pk)
            if key in existing:
                p.place_id, p.place_name = existing[key]
                reused.add(key)
            else:
                if key not in self.places_new:
                    self.places_new[key] = Place(
                        organisation=p.organisation, comune=p.comune, **p.place_fields
                    )
                p.place = self.places_new[key]
        self.report.places_new = len(self.places_new)
        self.report.places_reused = len(reused)

    def summarise(self, planned: list[_Planned]) -> None:
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

    # --- writing ---------------------------------------------------------------------------------
    def write(self, planned: list[_Planned]) -> None:
        Place.objects.bulk_create(list(self.places_new.values()), batch_size=BATCH_SIZE)
        activities, schedules, costs, links = [], [], [], []
        Link = Activity.terms.through
        stem_cache = {}
        for p in planned:
            activity = p.activity
            if p.place is not None:
                activity.place = p.place
            elif p.place_id is not None:
                activity.place_id = p.place_id
            term_names = []
            for term in p.terms:
                term_names += [term.name, term.name_en, term.name_fr]
            document = services.search_document(
                activity,
                organisation_name=p.organisation.name,
                place_name=p.place_name if p.comune else "",
                comune_name=p.comune.name if p.comune else "",
                term_names=term_names,
            )
            activity.search_text = fold(document)
            activity.search_stems = stems(activity.search_text, stem_cache)
            if p.schedule is not None:
                p.schedule.activity = activity
                schedules.append(p.schedule)
                activity.next_session_at = self.next_session(p.schedule)
            if p.cost:
                costs.append(CostOption(activity=activity, label=COST_LABEL, amount=p.cost))
            activities.append(activity)
        Activity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
        for p in planned:
            # Positional arguments (id, activity, term): Model.__init__'s fast path.
            links += [Link(None, p.activity.pk, t.pk) for t in p.terms]
        Schedule.objects.bulk_create(schedules, batch_size=BATCH_SIZE)
        CostOption.objects.bulk_create(costs, batch_size=BATCH_SIZE)
        Link.objects.bulk_create(links, batch_size=BATCH_SIZE * 2)
        count = len(activities)
        audit(
            by=self.by,
            action="create",
            object_type="directory.activity",
            purpose=f"import {self.report.filename}: {count} activities",
            changes={
                "activities": count,
                "published": self.report.published,
                "places_created": self.report.places_new,
                "places_reused": self.report.places_reused,
                "schedules": len(schedules),
                "cost_options": len(costs),
            },
        )

    def next_session(self, schedule: Schedule):
        key = (
            schedule.freq,
            schedule.byday,
            schedule.opens_at,
            schedule.closes_at,
            schedule.valid_from,
            schedule.valid_to,
        )
        if key not in self._next:
            self._next[key] = services.next_session([schedule], {}, self.now)
        return self._next[key]


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
