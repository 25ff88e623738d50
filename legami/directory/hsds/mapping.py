"""The HSDS side of the interchange, shared by importer, exporter and API: ids, the field rules
both directions must agree on, schema validation, and the reader that turns any HSDS file into
one flat bundle of records (nested objects pulled out and linked by id)."""

import copy
import gzip
import json
import os
import re
import uuid
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from legami.directory.models import ActivityStatus
from legami.directory.services import LANGUAGE_CODES

# Ids Legami makes up (for objects that never had an HSDS id) are uuid5 in this namespace, so
# that exporting twice gives the same ids and importing an export finds the same objects.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:legami:hsds")
PRIVATE = "_legami"  # Legami's notes inside `extra`: never exported
HSDS_VERSION = "3.0"

STATUS_TO_LEGAMI = {
    "active": ActivityStatus.PUBLISHED,
    "inactive": ActivityStatus.DRAFT,
    "temporarily closed": ActivityStatus.SUSPENDED,
    "defunct": ActivityStatus.ARCHIVED,
}
STATUS_TO_HSDS = {legami: hsds for hsds, legami in STATUS_TO_LEGAMI.items()}

# Fields HSDS types as numbers; every other scalar field is a string.
NUMBER_FIELDS = frozenset(
    {
        "amount",
        "latitude",
        "longitude",
        "year_incorporated",
        "extension",
        "count",
        "interval",
        "timezone",
        "minimum_age",
        "maximum_age",
    }
)
# ISO 639-2/3 codes of the languages Legami knows by their ISO 639-1 code.
LANGUAGE_ALIASES = {
    "ita": "it", "eng": "en", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "spa": "es",
    "por": "pt", "ron": "ro", "rum": "ro", "sqi": "sq", "alb": "sq", "ara": "ar", "zho": "zh",
    "chi": "zh", "ukr": "uk", "rus": "ru", "pol": "pl", "ben": "bn", "urd": "ur", "hin": "hi",
    "pan": "pa", "tgl": "tl", "wol": "wo", "ful": "ff", "swa": "sw", "amh": "am", "tir": "ti",
    "som": "so", "fas": "fa", "per": "fa", "tur": "tr", "slv": "sl", "hrv": "hr", "srp": "sr",
    "ell": "el", "gre": "el", "nld": "nl", "dut": "nl", "swe": "sv",
}  # fmt: skip


def stable_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def organisation_hsds_id(organisation) -> str:
    if organisation.hsds_id:
        return str(organisation.hsds_id)
    return stable_id("organization", organisation.pk)


def public(extra) -> dict:
    return {k: v for k, v in (extra or {}).items() if not k.startswith("_")}


def private(extra) -> dict:
    return copy.deepcopy((extra or {}).get(PRIVATE) or {})


# --- scalar values ------------------------------------------------------------------------------
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")


def as_uuid(value) -> str | None:
    try:
        return str(uuid.UUID(str(value).strip()))
    except (ValueError, AttributeError, TypeError):
        return None


def as_text(value, strip: bool = True) -> str:
    """A string; long texts keep their spaces (strip=False) so that they go back unchanged."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if strip else str(value)


def as_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def as_time(value) -> tuple[time | None, bool]:
    """A time of day and whether a UTC offset was given (Legami keeps local time only)."""
    match = _TIME.match(as_text(value))
    if not match:
        return None, False
    hour, minute, second, offset = match.groups()
    try:
        return time(int(hour), int(minute), int(second or 0)), bool(offset)
    except ValueError:
        return None, False


def as_number(value) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = value
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            return None
    return int(number) if float(number).is_integer() else float(number)


def as_int(value) -> int | None:
    number = as_number(value)
    return number if isinstance(number, int) else None


def iso_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- lists that carry one modelled value --------------------------------------------------------
def first_value(items, key: str) -> str:
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return as_text(items[0].get(key))
    return ""


def with_first_value(items, key: str, value: str, synth_id: str) -> list | None:
    """The HSDS list to export: the stored one with Legami's value in its first entry, or one
    entry made from the value. Importing the result gives back the same value and list."""
    if items:
        items = copy.deepcopy(items)
        if value and first_value(items, key) != value:
            items[0][key] = value
        return items
    return [{"id": synth_id, key: value}] if value else None


def language_codes(items) -> list[str]:
    codes = []
    for item in items if isinstance(items, list) else []:
        code = as_text(item.get("code") if isinstance(item, dict) else "").lower()
        code = LANGUAGE_ALIASES.get(code, code)
        if code in LANGUAGE_CODES and code not in codes:
            codes.append(code)
    return codes


def languages_out(items, codes: list[str], owner_id: str) -> list | None:
    """Stored language entries, minus the ones Legami no longer lists, plus those it added.
    A list that names no language Legami knows is written back untouched."""
    items = copy.deepcopy(items) if isinstance(items, list) else []
    if items and not language_codes(items):
        return items
    kept = [i for i in items if not (language_codes([i]) and language_codes([i])[0] not in codes)]
    present = language_codes(kept)
    for code in codes:
        if code not in present:
            kept.append({"id": stable_id("language", owner_id, code), "code": code})
    return kept or None


def primary_address(items) -> int | None:
    """Index of the address that places a location: the first physical one, else the first."""
    if not isinstance(items, list):
        return None
    entries = [(i, a) for i, a in enumerate(items) if isinstance(a, dict)]
    for index, address in entries:
        if as_text(address.get("address_type")).lower() == "physical":
            return index
    return entries[0][0] if entries else None


def snapshot(obj) -> dict | None:
    """The stored fields of a saved object, to tell whether an import changed it."""
    if obj is None or obj.pk is None:
        return None
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in ("created_at", "updated_at")
    }


def valid(validator, value: str, max_length: int) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return len(value) <= max_length


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def required_message(source: str, field: str) -> str:
    return _("%(source)s: field “%(field)s” is required.") % {"source": source, "field": field}


# --- what the export makes up when Legami has no stored HSDS data -------------------------------
def synth_address(place_id, address: str, postcode: str, comune) -> dict:
    return {
        "id": stable_id("address", place_id),
        "address_1": address,
        "city": comune.name,
        "state_province": comune.province.abbreviation,
        "postal_code": postcode,
        "country": "IT",
        "address_type": "physical",
    }


def synth_sal(service_id: str, location_id: str) -> dict:
    return {
        "id": stable_id("service_at_location", service_id, location_id),
        "service_id": service_id,
        "location_id": location_id,
    }


def synth_attribute(service_id: str, term) -> dict:
    """The link between a service and a term, as exported when it came from Legami itself."""
    return {
        "id": stable_id("attribute", service_id, term.hsds_id),
        "link_id": service_id,
        "link_type": term.taxonomy.code,
        "link_entity": "service",
    }


# --- schema validation --------------------------------------------------------------------------
SCHEMA_FILES = {
    "service": "compiled/service.json.gz",
    "organization": "compiled/organization.json.gz",
    "service_at_location": "compiled/service_at_location.json.gz",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
}
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def schema_dir() -> Path:
    configured = getattr(settings, "HSDS_SCHEMA_DIR", "") or os.environ.get("HSDS_SCHEMA_DIR")
    if configured:
        return Path(configured)
    # The official schemas ship with Legami (spec/NOTICE.md): export validates offline.
    return Path(__file__).resolve().parent / "spec" / "schema"


def _read_json(path: Path):
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as compressed:
            return json.load(compressed)
    return json.loads(path.read_text(encoding="utf-8"))


def _format_checker() -> jsonschema.FormatChecker:
    # jsonschema checks "uri" and "date-time" only with optional packages; these two checks
    # are strict enough for documents Legami writes itself.
    checker = jsonschema.FormatChecker()

    @checker.checks("uri")
    def _uri(value):
        return not isinstance(value, str) or bool(_URI.match(value) and urlsplit(value).scheme)

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value):
        if not isinstance(value, str):
            return True
        if not _DATE_TIME.match(value):
            return False
        return bool(datetime.fromisoformat(value.upper().replace("Z", "+00:00")))

    return checker


@lru_cache(maxsize=8)
def validator(kind: str):
    folder = schema_dir()
    if not (folder / SCHEMA_FILES[kind]).is_file():
        raise ImproperlyConfigured(
            _("The HSDS schemas are not in %(path)s: set HSDS_SCHEMA_DIR.") % {"path": folder}
        )
    resources = []
    for path in sorted(folder.glob("*.json")):
        resources.append((path.name, Resource.from_contents(_read_json(path), DRAFT202012)))
    schema = _read_json(folder / SCHEMA_FILES[kind])
    return jsonschema.Draft202012Validator(
        schema, registry=Registry().with_resources(resources), format_checker=_format_checker()
    )


def validation_errors(kind: str, document: dict) -> list[str]:
    errors = []
    for error in validator(kind).iter_errors(document):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        errors.append(f"{where}: {error.message}")
    return errors
