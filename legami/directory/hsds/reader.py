"""Any HSDS file into one flat bundle of records: nested JSON (one object, a list or a
paginated list), a tabular data package (datapackage.json and CSV files, or the same tables as
one JSON object) or a folder of JSON files such as an export. Nested objects are pulled out and
linked by id, so that the importer meets each organisation, location or term once."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from legami.core.api import MAX_JSON_DEPTH, json_too_deep

from .mapping import NUMBER_FIELDS, as_number, as_text, as_uuid, is_empty, required_message

KINDS = ("taxonomy", "taxonomy_term", "organization", "location", "service", "service_at_location")
SIGNATURES = (
    ("taxonomy_term", {"code", "parent_id", "taxonomy", "taxonomy_detail", "taxonomy_id",
                       "term_uri", "language"}),
    ("location", {"location_type", "latitude", "longitude", "addresses", "accessibility",
                  "transportation", "external_identifier", "external_identifier_type"}),
    ("service", {"status", "organization", "service_at_locations", "program", "program_id",
                 "interpretation_services", "application_process", "fees_description",
                 "wait_time", "fees", "accreditations", "eligibility_description",
                 "minimum_age", "maximum_age", "assured_date", "assurer_email", "licenses",
                 "alert", "last_modified", "service_areas", "cost_options",
                 "required_documents"}),
    ("organization", {"website", "tax_status", "tax_id", "year_incorporated", "legal_status",
                      "logo", "parent_organization_id", "locations", "services", "programs",
                      "organization_identifiers"}),
)  # fmt: skip
HINTS = (
    ("service_at_location", "service_at_location"),
    ("taxonomy_term", "taxonomy_term"),
    ("taxonom", "taxonomy"),
    ("organi", "organization"),
    ("service", "service"),
    ("location", "location"),
)
# Tabular rows that belong inside another record: table -> (key in the parent, foreign keys
# from the most specific parent to the least).
CHILD_TABLES = {
    "languages": ("phone_id", "service_id", "location_id"),
    "phones": (
        "contact_id",
        "service_at_location_id",
        "service_id",
        "location_id",
        "organization_id",
    ),
    "contacts": ("service_at_location_id", "service_id", "location_id", "organization_id"),
    "schedules": ("service_at_location_id", "service_id", "location_id"),
    "addresses": ("location_id",),
    "accessibility": ("location_id",),
    "funding": ("service_id", "organization_id"),
    "service_areas": ("service_id",),
    "required_documents": ("service_id",),
    "cost_options": ("service_id",),
    "programs": ("organization_id",),
    "organization_identifiers": ("organization_id",),
    "attributes": ("link_id",),
    "metadata": ("resource_id",),
}
FOREIGN_KEYS = {
    "contact_id": "contacts",
    "service_at_location_id": "service_at_location",
    "service_id": "services",
    "location_id": "locations",
    "organization_id": "organizations",
    "phone_id": "phones",
}
TOP_TABLES = {
    "organizations": "organization",
    "locations": "location",
    "services": "service",
    "service_at_location": "service_at_location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


@dataclass
class Record:
    kind: str
    data: dict
    source: str


class Bundle:
    """Every record of one import, by kind and HSDS id. The same record met twice (a location
    inside its organisation and inside a service) is merged: the first non-empty value wins."""

    def __init__(self):
        self.records: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def add(self, kind: str, data: dict, source: str) -> str | None:
        data = {k: v for k, v in data.items() if v is not None}
        if is_empty(data.get("id")):
            self.errors.append(required_message(source, "id"))
            return None
        ident = as_uuid(data["id"])
        if ident is None:
            self.errors.append(
                _("%(source)s: field “id”: “%(value)s” is not a UUID.")
                % {"source": source, "value": data["id"]}
            )
            return None
        data["id"] = ident
        existing = self.records[kind].get(ident)
        if existing is None:
            self.records[kind][ident] = Record(kind, data, source)
        else:
            for key, value in data.items():
                if is_empty(existing.data.get(key)):
                    existing.data[key] = value
        return ident

    def _objects(self, value, source: str, key: str) -> list[dict]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.errors.append(
                _("%(source)s: field “%(field)s” must be a list of objects.")
                % {"source": source, "field": key}
            )
            return []
        return value

    # nested JSON: each method pulls the related objects out and links them by id
    def organization(self, doc: dict, source: str) -> str | None:
        doc = dict(doc)
        locations = self._objects(doc.pop("locations", None), source, "locations")
        services = self._objects(doc.pop("services", None), source, "services")
        ident = self.add("organization", doc, source)
        if ident is not None:
            for i, location in enumerate(locations):
                self.location(location, f"{source} › locations[{i}]", organization_id=ident)
            for i, service in enumerate(services):
                self.service(service, f"{source} › services[{i}]", organization_id=ident)
        return ident

    def location(self, doc: dict, source: str, organization_id: str | None = None):
        doc = dict(doc)
        if organization_id and is_empty(doc.get("organization_id")):
            doc["organization_id"] = organization_id
        return self.add("location", doc, source)

    def service(self, doc: dict, source: str, organization_id: str | None = None):
        doc = dict(doc)
        organization = doc.pop("organization", None)
        if isinstance(organization, dict):
            nested = self.organization(organization, f"{source} › organization")
            if nested and is_empty(doc.get("organization_id")):
                doc["organization_id"] = nested
        if organization_id and is_empty(doc.get("organization_id")):
            doc["organization_id"] = organization_id
        if "attributes" in doc:
            attributes = self._objects(doc["attributes"], source, "attributes")
            doc["attributes"] = [
                self.attribute(a, f"{source} › attributes[{i}]") for i, a in enumerate(attributes)
            ]
        sals = doc.pop("service_at_locations", None)
        if sals is not None:
            doc["_sal_ids"] = []
        ident = self.add("service", doc, source)
        if ident is not None and sals is not None:
            record = self.records["service"][ident].data
            for i, sal in enumerate(self._objects(sals, source, "service_at_locations")):
                sal_id = self.service_at_location(
                    sal, f"{source} › service_at_locations[{i}]", service_id=ident
                )
                if sal_id and sal_id not in record.setdefault("_sal_ids", []):
                    record["_sal_ids"].append(sal_id)
        return ident

    def attribute(self, doc: dict, source: str) -> dict:
        doc = dict(doc)
        term = doc.pop("taxonomy_term", None)
        if isinstance(term, dict):
            term_id = self.taxonomy_term(term, f"{source} › taxonomy_term")
            if term_id and is_empty(doc.get("taxonomy_term_id")):
                doc["taxonomy_term_id"] = term_id
        return doc

    def service_at_location(self, doc: dict, source: str, service_id: str | None = None):
        doc = dict(doc)
        location, service = doc.pop("location", None), doc.pop("service", None)
        if isinstance(service, dict):
            nested = self.service(service, f"{source} › service")
            if nested and is_empty(doc.get("service_id")):
                doc["service_id"] = nested
        if service_id:
            doc["service_id"] = service_id
        if isinstance(location, dict):
            nested = self.location(location, f"{source} › location")
            if nested and is_empty(doc.get("location_id")):
                doc["location_id"] = nested
        return self.add("service_at_location", doc, source)

    def taxonomy(self, doc: dict, source: str):
        return self.add("taxonomy", dict(doc), source)

    def taxonomy_term(self, doc: dict, source: str):
        doc = dict(doc)
        detail = doc.pop("taxonomy_detail", None)
        if isinstance(detail, dict):
            doc["_taxonomy_detail_id"] = self.taxonomy(detail, f"{source} › taxonomy_detail")
        return self.add("taxonomy_term", doc, source)

    # documents as found in files
    def document(self, doc, source: str, hint: str | None) -> None:
        if not isinstance(doc, dict):
            self.errors.append(_("%(source)s: expected a JSON object.") % {"source": source})
            return
        keys = set(doc)
        if isinstance(doc.get("contents"), list):
            for i, item in enumerate(doc["contents"]):
                self.document(item, f"{source} › contents[{i}]", hint)
        elif keys and all(k.endswith(".csv") for k in keys):
            tables = {k: v if isinstance(v, list) else [] for k, v in doc.items()}
            self.tabular(tables, f"{source} › ")
        elif keys and "id" not in keys and keys <= {"version", "profile", "openapi_url"}:
            self.warnings.append(
                _("%(source)s describes an HSDS API and holds no records.") % {"source": source}
            )
        else:
            kind = next((k for k, sig in SIGNATURES if keys & sig), None)
            if isinstance(doc.get("location"), dict) or isinstance(doc.get("service"), dict):
                kind = "service_at_location"
            kind = kind or hint
            if kind is None:
                self.errors.append(
                    _("%(source)s: cannot tell which kind of HSDS record this is.")
                    % {"source": source}
                )
                return
            getattr(self, kind)(doc, source)

    def tabular(self, tables: dict[str, list], label: str) -> None:
        """Rows of a tabular data package, nested under their parents as in the JSON shapes."""
        rows, by_id = {}, {}
        for file_name, table_rows in tables.items():
            table = Path(file_name).name.removesuffix(".csv")
            table = "service_at_location" if table == "service_at_locations" else table
            rows[table] = []
            for number, raw in enumerate(table_rows, start=2):
                source = _("%(file)s, row %(row)s") % {"file": f"{label}{file_name}", "row": number}
                row = self._typed(raw, source) if isinstance(raw, dict) else {}
                rows[table].append((row, source))
                if row.get("id") is not None:
                    by_id.setdefault(table, {})[as_uuid(row["id"]) or row["id"]] = row
        for table, keys in CHILD_TABLES.items():
            for row, source in rows.get(table, []):
                parent = self._parent(row, keys, by_id)
                if parent is None:
                    self.warnings.append(
                        _("%(source)s: no record matches its %(keys)s; row not imported.")
                        % {"source": source, "keys": ", ".join(keys)}
                    )
                else:
                    parent.setdefault(table, []).append(row)
        for table, table_rows in rows.items():
            if table in TOP_TABLES:
                for row, source in table_rows:
                    ident = getattr(self, TOP_TABLES[table])(row, source)
                    if ident and table == "services":
                        # In a package, a service's places are the service_at_location rows.
                        self.records["service"][ident].data.setdefault("_sal_ids", None)
            elif table not in CHILD_TABLES:
                self.warnings.append(
                    _("%(file)s is not an HSDS table Legami reads; not imported.")
                    % {"file": f"{label}{table}.csv"}
                )

    def _parent(self, row: dict, keys, by_id) -> dict | None:
        for key in keys:
            ident = as_uuid(row.get(key)) or row.get(key)
            if ident is None:
                continue
            tables = [FOREIGN_KEYS[key]] if key in FOREIGN_KEYS else list(by_id)
            for table in tables:
                parent = by_id.get(table, {}).get(ident)
                if parent is not None and parent is not row:
                    return parent
        return None

    def _typed(self, raw: dict, source: str) -> dict:
        row = {}
        for key, value in raw.items():
            if key is None or value is None or (isinstance(value, str) and not value.strip()):
                continue
            if key in NUMBER_FIELDS:
                number = as_number(value)
                if number is None:
                    self.warnings.append(
                        _("%(source)s: field “%(field)s”: “%(value)s” is not a number; not kept.")
                        % {"source": source, "field": key, "value": value}
                    )
                    continue
                value = number
            elif isinstance(value, int | float) and not isinstance(value, bool):
                value = as_text(value)
            row[key] = value
        return row

    # files
    def json_file(self, path: Path, label: str) -> None:
        document = load_json(path, label, self.errors)
        if document is None:
            return
        hint = next((kind for stem, kind in HINTS if stem in label.lower()), None)
        if isinstance(document, list):
            for i, item in enumerate(document, start=1):
                source = _("%(file)s, item %(number)s") % {"file": label, "number": i}
                self.document(item, source, hint)
        else:
            self.document(document, label, hint)

    def datapackage(self, folder: Path) -> None:
        package = load_json(folder / "datapackage.json", "datapackage.json", self.errors)
        if package is None:
            return
        resources = package.get("resources") if isinstance(package, dict) else None
        if not isinstance(resources, list):
            self.errors.append(_("datapackage.json has no list of resources."))
            return
        tables = {}
        for resource in resources:
            name = resource.get("path") if isinstance(resource, dict) else None
            path = (folder / str(name)).resolve() if name else None
            if path is None or folder.resolve() not in path.parents:
                self.errors.append(
                    _("datapackage.json: resource “%(name)s” has no usable path.")
                    % {"name": resource.get("name") if isinstance(resource, dict) else resource}
                )
            elif not path.is_file():
                self.errors.append(
                    _("datapackage.json lists “%(file)s”, but the file is missing.")
                    % {"file": name}
                )
            else:
                tables[name] = read_csv(path, name, self.errors)
        if not self.errors:
            self.tabular(tables, "")


def _too_deep(label: str) -> str:
    return _(
        "%(file)s nests more than %(limit)s levels of lists and objects, which no HSDS "
        "document does: it cannot be imported."
    ) % {"file": label, "limit": MAX_JSON_DEPTH}


def load_json(path: Path, label: str, errors: list):
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
        # Refused before parsing: a document nested thousands of levels deep fails the parser
        # (RecursionError) and every copy and walk of it after.
        if json_too_deep(text):
            errors.append(_too_deep(label))
            return None
        return json.loads(text)
    except RecursionError:
        errors.append(_too_deep(label))
    except json.JSONDecodeError as error:
        errors.append(
            _("%(file)s is not valid JSON: %(error)s (line %(line)s, column %(column)s).")
            % {"file": label, "error": error.msg, "line": error.lineno, "column": error.colno}
        )
    except UnicodeDecodeError:
        errors.append(_("%(file)s is not UTF-8 text.") % {"file": label})
    return None


def read_csv(path: Path, label: str, errors: list) -> list[dict]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except UnicodeDecodeError:
        errors.append(_("%(file)s is not UTF-8 text.") % {"file": label})
    except csv.Error as error:
        errors.append(
            _("%(file)s is not a readable CSV file: %(error)s") % {"file": label, "error": error}
        )
    return []


def read_path(path) -> Bundle:
    """Read an HSDS JSON file (one object, a list or a paginated list), a tabular data package
    folder (datapackage.json and its CSV files) or a folder of JSON files such as an export.
    Raises ValidationError naming the file, record and field of every problem found."""
    path = Path(path)
    bundle = Bundle()
    if not path.exists():
        raise ValidationError(_("%(path)s does not exist.") % {"path": path})
    if path.is_dir() and (path / "datapackage.json").is_file():
        bundle.datapackage(path)
    elif path.is_dir():
        files = sorted(path.rglob("*.json"))
        if not files:
            raise ValidationError(_("%(path)s holds no HSDS files.") % {"path": path})
        for file in files:
            bundle.json_file(file, str(file.relative_to(path)))
    else:
        bundle.json_file(path, path.name)
    if bundle.errors:
        raise ValidationError(bundle.errors)
    return bundle
