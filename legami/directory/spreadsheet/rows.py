"""One row of the spreadsheet checked with the same rules as the forms (`services.check_*`):
its cells become clean values (an unsaved Activity, the fields of its Place, a Schedule, terms
and a cost) or problems by row and column. Then the check across rows: duplicate activities."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import recurrence, services
from ..models import Activity, ActivityStatus, Frequency, Place, Schedule
from . import parsers
from .columns import BY_KEY
from .lookups import TAXONOMY_COLUMNS

SCHEDULE_KEYS = ("freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to")
PLACE_KEYS = ("comune", "place_name", "address", "postcode", "latitude", "longitude")
# Where a field named in a schedule's ValidationError lives in the spreadsheet.
SCHEDULE_FIELDS = {"bymonthday": "byday", "interval": "freq", "description": "freq"}
MAX_INTEGER = {"capacity": 2_147_483_647, "referral_slots": 32_767}


class Planned:
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


class RowChecks:
    """Mixed into importer._Import, whose problem(), report, resolvers and caches it uses."""

    def validation_problems(self, row: int, error: ValidationError, fields: dict) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.problem(row, "name", message)
            return
        for name, messages in error.message_dict.items():
            key = fields.get(name, name)
            if key not in BY_KEY:
                key = "name"
            for message in messages:
                self.problem(row, key, message)

    def read(self, row: int, cells: dict, key: str, reader_function, *args):
        """A cell read by one of the readers of `parsers` (or the resolvers of `lookups`), or a
        problem. The same value in the same column is read once: spreadsheets repeat."""
        raw = cells.get(key)
        memo_key = (key, type(raw), raw)
        found = self._read.get(memo_key)
        if found is None:
            try:
                found = (reader_function(raw, *args), None)
            except parsers.CellError as error:
                found = (None, str(error))
            self._read[memo_key] = found
        if found[1] is not None:
            self.problem(row, key, found[1])
            return None, False
        return found[0], True

    def check_row(self, row: int, cells: dict) -> Planned | None:
        """`cells`: the row's non-empty cells by column key."""
        organisation, _ok = self.read(row, cells, "organisation", self.resolve_organisation)
        name = parsers.text(cells.get("name"))
        description = parsers.text(cells.get("description"))
        for key, given in (("name", name), ("description", description)):
            if not given:
                self.problem(row, key, _("This field is required."))

        terms = []
        for taxonomy, key in TAXONOMY_COLUMNS:
            found, _ok = self.read(row, cells, key, self.resolve_terms, taxonomy)
            terms += [term for term in found or () if term not in terms]

        # the place
        place_name = parsers.text(cells.get("place_name"))
        has_place = any(not parsers.is_empty(cells.get(key)) for key in PLACE_KEYS)
        comune_text = parsers.text(cells.get("comune"))
        comune, _ok = self.read(row, cells, "comune", self.resolve_comune)
        if has_place:
            for key, given in (("comune", comune_text), ("place_name", place_name)):
                if not given:
                    self.problem(row, key, _("This field is required."))
        latitude, lat_ok = self.read(row, cells, "latitude", parsers.number)
        longitude, lon_ok = self.read(row, cells, "longitude", parsers.number)
        if lat_ok and lon_ok:
            try:
                services.check_coordinates(latitude, longitude)
            except ValidationError as error:
                self.validation_problems(row, error, {})
        postcode = cells.get("postcode")
        postcode = str(postcode).zfill(5) if isinstance(postcode, int) else parsers.text(postcode)
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            self.problem(row, "postcode", _("A CAP has five digits, e.g. 58031."))
        access = {}
        for key in ("wheelchair_access", "hearing_access", "sight_access"):
            access[key], _ok = self.read(row, cells, key, parsers.boolean, False)

        # the schedule
        schedule = None
        if any(not parsers.is_empty(cells.get(key)) for key in SCHEDULE_KEYS):
            schedule = self.check_schedule(row, cells)

        # the activity
        numbers = {}
        for key in ("min_age", "max_age", "capacity", "referral_slots"):
            numbers[key], ok = self.read(row, cells, key, parsers.integer)
            if ok and numbers[key] is not None and numbers[key] > MAX_INTEGER.get(key, 32_767):
                self.problem(row, key, _("The number is too large."))
                numbers[key] = None
        try:
            services.check_activity(numbers)
        except ValidationError as error:
            self.validation_problems(row, error, {})
        try:
            languages = services.normalise_languages(parsers.text(cells.get("languages")))
        except ValidationError as error:
            self.validation_problems(row, error, {})
            languages = "it"
        cost, _ok = self.read(row, cells, "cost", parsers.money)
        if cost is not None and cost < 0:
            self.problem(row, "cost", _("A cost cannot be below zero."))
        accepts, _ok = self.read(row, cells, "accepts_referrals", parsers.boolean, True)
        status, _ok = self.read(row, cells, "status", parsers.status)
        url = parsers.text(cells.get("url"))
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
            how_to_join=parsers.text(cells.get("how_to_join")),
            contact_name=parsers.text(cells.get("contact_name")),
            email=parsers.text(cells.get("email")),
            phone=parsers.text(cells.get("phone")),
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
                "address": parsers.text(cells.get("address")),
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

        planned = Planned()
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
        freq, _ok = self.read(row, cells, "freq", parsers.frequency)
        byday, _ok = self.read(row, cells, "byday", parsers.days)
        opens_at, _ok = self.read(row, cells, "opens_at", parsers.time_of_day)
        closes_at, _ok = self.read(row, cells, "closes_at", parsers.time_of_day)
        valid_from, _ok = self.read(row, cells, "valid_from", parsers.day)
        valid_to, _ok = self.read(row, cells, "valid_to", parsers.day)
        for key in ("opens_at", "closes_at"):
            if parsers.is_empty(cells.get(key)):
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
    def check_duplicates(self, planned: list[Planned]) -> None:
        organisation_ids = {p.organisation.pk for p in planned}
        existing = set()
        if organisation_ids:
            for organisation_id, name, comune_id in (
                Activity.objects.filter(organisation_id__in=organisation_ids)
                .exclude(status=ActivityStatus.ARCHIVED)
                .values_list("organisation_id", "name", "place__comune_id")
            ):
                existing.add((organisation_id, parsers.fold_name(name), comune_id))
        first_row = {}
        for p in planned:
            key = (
                p.organisation.pk,
                parsers.fold_name(p.activity.name),
                p.comune.pk if p.comune else None,
            )
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
