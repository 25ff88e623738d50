"""An HSDS bundle into Legami: organisations, places, activities, schedules, costs and terms.

All or nothing (one transaction), idempotent by HSDS id (a second import updates, and leaves
untouched what did not change). A key missing from a document leaves the field as it is; a key
present sets it. What Legami cannot model is kept in `extra` and every such case that loses
meaning (coordinates outside Italy, a schedule Legami cannot compute) is reported as a warning.

Objects are written here rather than through services.activity_create & co. because those do
not take HSDS ids, `extra` or currencies and stamp today's verification date; the same checks
(check_coordinates, check_schedule, full_clean) run and every write is audited.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from legami.core.audit import audit
from legami.network.models import Organisation, Sector
from legami.network.services import normalise_tax_code
from legami.territory.models import Comune
from legami.territory.queries import resolve_comune

from .. import services
from ..models import Place
from ..permissions import policy
from . import mapping as m
from .activity_import import ActivityImport
from .reader import read_path
from .taxonomy_import import TaxonomyImport

# Keys each record type consumes into model fields or relations; the rest goes to `extra`.
ORGANISATION_KEYS = {"id", "name", "description", "email", "website", "tax_id", "phones"}
PLACE_KEYS = {
    "id",
    "name",
    "description",
    "transportation",
    "latitude",
    "longitude",
    "addresses",
    "accessibility",
    "organization_id",
    "location_type",
}
# Words of an HSDS legal or tax status that point to a Legami sector; third sector otherwise.
SECTOR_WORDS = (
    (r"non.?profit|charit|associa|\bets\b|\bodv\b|\baps\b|volunt", Sector.THIRD_SECTOR),
    (r"cooperativ|\bcoop\b", Sector.SOCIAL_COOPERATIVE),
    (r"foundation|fondazione", Sector.FOUNDATION),
    (r"universit", Sector.UNIVERSITY),
    (r"school|scuola|istituto comprensivo", Sector.SCHOOL),
    (r"\basl\b|\bausl\b|health|sanitari|\bnhs\b", Sector.HEALTH_AUTHORITY),
    (r"comune|municipal|council|government|public|pubblic", Sector.PUBLIC_ADMINISTRATION),
    (r"company|\bltd\b|limited|\binc\b|s\.?r\.?l|s\.?p\.?a|business|impresa", Sector.BUSINESS),
)


# The kinds of object an import counts, in the order a summary lists them.
LABELS = {
    "taxonomies": gettext_lazy("taxonomies"),
    "taxonomy_terms": gettext_lazy("taxonomy terms"),
    "organisations": gettext_lazy("organisations"),
    "places": gettext_lazy("places"),
    "activities": gettext_lazy("activities"),
    "schedules": gettext_lazy("schedules"),
    "cost_options": gettext_lazy("cost options"),
}


@dataclass
class ImportResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


def resolve_fallback_comune(text: str) -> Comune:
    """A comune as a person types it: "Arcidosso", "Arcidosso (GR)" or "053001"."""
    matches = resolve_comune(text)
    if not matches:
        raise ValidationError(
            _("No comune is called or has the ISTAT code “%(text)s”.") % {"text": text}
        )
    if len(matches) > 1:
        raise ValidationError(
            _("More than one comune is called “%(text)s”: add the province, e.g. %(example)s.")
            % {"text": text, "example": str(matches[0])}
        )
    return matches[0]


def import_path(path, *, fallback_comune=None, by=None, dry_run=False) -> ImportResult:
    policy.authorize(by, "import_hsds")  # before reading a file on the server's disk
    return import_bundle(read_path(path), fallback_comune=fallback_comune, by=by, dry_run=dry_run)


def import_bundle(bundle, *, fallback_comune=None, by=None, dry_run=False) -> ImportResult:
    policy.authorize(by, "import_hsds")
    importer = _Importer(bundle, fallback_comune, by, dry_run)
    importer.check()
    with transaction.atomic():
        importer.run()
        if dry_run:
            transaction.set_rollback(True)
    return importer.result


def _located(source: str, error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            _("%(source)s: field “%(field)s”: %(message)s")
            % {"source": source, "field": name, "message": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [f"{source}: {message}" for message in error.messages]


class _Importer(TaxonomyImport, ActivityImport):
    def __init__(self, bundle, fallback_comune, by, dry_run):
        self.records = bundle.records
        self.result = ImportResult(warnings=list(bundle.warnings), dry_run=dry_run)
        self.fallback, self.by = fallback_comune, by
        self.organisations, self.places, self.terms, self.taxonomies = {}, {}, {}, {}
        self._comuni, self._derived = {}, None
        # A location nobody says the owner of goes with the first service held there.
        self.owner_hint = {}
        for sal in self.records["service_at_location"].values():
            service = self.records["service"].get(m.as_uuid(sal.data.get("service_id")))
            location_id = m.as_uuid(sal.data.get("location_id"))
            if service and location_id:
                self.owner_hint.setdefault(location_id, service.data.get("organization_id"))

    def warn(self, source: str, message: str, **params) -> None:
        self.result.warnings.append(f"{source}: {message % params if params else message}")

    def check(self) -> None:
        """Problems that make a record unusable, all reported at once before any write."""
        errors = []
        for kind in ("organization", "service", "taxonomy", "taxonomy_term"):
            for record in self.records[kind].values():
                if not m.as_text(record.data.get("name")):
                    errors.append(m.required_message(record.source, "name"))
        for record in self.records["service"].values():
            ident = m.as_uuid(record.data.get("organization_id"))
            if not record.data.get("organization_id"):
                errors.append(m.required_message(record.source, "organization_id"))
            elif ident not in self.records["organization"] and not self.organisation_for(ident):
                errors.append(
                    _("%(source)s: field “organization_id”: no organisation has the id %(id)s.")
                    % {"source": record.source, "id": record.data["organization_id"]}
                )
        if errors:
            raise ValidationError(errors)

    def run(self) -> None:
        for ident, record in self.records["taxonomy"].items():
            self.taxonomies[ident] = self._taxonomy(ident, record)
        self._terms()
        for ident, record in self.records["organization"].items():
            self.organisations[ident] = self._organisation(ident, record)
        for ident, record in self.records["location"].items():
            place = self._place(ident, record)
            if place is not None:
                self.places[ident] = place
        for ident, record in self.records["service"].items():
            self._activity(ident, record)

    def _save(self, obj, kind: str, source: str, before, exclude=()) -> bool:
        """Validate and write `obj` unless nothing changed; count and audit it."""
        creating = obj.pk is None
        if not creating and before == m.snapshot(obj):
            self.result.unchanged[kind] += 1
            return False
        try:
            obj.full_clean(exclude=list(exclude))
        except ValidationError as error:
            raise ValidationError(_located(source, error)) from None
        obj.save()
        (self.result.created if creating else self.result.updated)[kind] += 1
        audit(by=self.by, action="create" if creating else "update", obj=obj, purpose="HSDS import")
        return True

    def organisation_for(self, ident) -> Organisation | None:
        if ident is None:
            return None
        if ident in self.organisations:
            return self.organisations[ident]
        found = Organisation.objects.filter(hsds_id=ident).first()
        if found is None:
            # Organisations exported without an HSDS id carry a stable id made from their pk.
            if self._derived is None:
                pks = Organisation.objects.filter(hsds_id__isnull=True).values_list("pk", flat=True)
                self._derived = {m.stable_id("organization", pk): pk for pk in pks}
            pk = self._derived.get(ident)
            found = Organisation.objects.get(pk=pk) if pk else None
        return found

    # --- small field rules shared by every record ---------------------------------------------
    def _checked(self, obj, extra, data, key, attr, validator, max_length, source) -> None:
        """A validated field; a value Legami cannot hold stays in `extra` for the export."""
        if key not in data:
            return
        value = m.as_text(data[key])
        if not value or m.valid(validator, value, max_length):
            setattr(obj, attr, value)
            extra.pop(key, None)
        else:
            setattr(obj, attr, "")
            extra[key] = data[key]
            self.warn(
                source,
                _("field “%(field)s”: “%(value)s” is not valid here; kept as HSDS data only."),
                field=key,
                value=value,
            )

    @staticmethod
    def _first_item(obj, extra, data, key, item_key, attr, max_length, synth_id) -> None:
        """A model field read from the first entry of an HSDS list (a phone number, a contact
        name); the list itself is kept unless it is just what the export would make up."""
        if key not in data:
            return
        items = data[key]
        value = m.first_value(items, item_key)
        setattr(obj, attr, value if max_length is None or len(value) <= max_length else "")
        if not items or items == m.with_first_value(None, item_key, getattr(obj, attr), synth_id):
            extra.pop(key, None)
        else:
            extra[key] = items

    @staticmethod
    def _rest(extra, data, consumed) -> dict:
        for key, value in data.items():
            if key not in consumed and not key.startswith("_"):
                extra[key] = value
        return extra

    # --- organisations ------------------------------------------------------------------------
    def _organisation(self, ident, record) -> Organisation:
        data = record.data
        organisation = self.organisation_for(ident)
        before = m.snapshot(organisation)
        if organisation is None:
            organisation = Organisation(
                hsds_id=ident, sector=self._sector(data), comune=self._home(ident, record)
            )
        extra = dict(organisation.extra)
        organisation.name = m.as_text(data["name"])
        if "description" in data:
            organisation.description = m.as_text(data["description"], strip=False)
        self._checked(
            organisation, extra, data, "email", "email", EmailValidator(), 254, record.source
        )
        self._checked(
            organisation, extra, data, "website", "website", URLValidator(), 200, record.source
        )
        if "tax_id" in data:
            self._tax_id(organisation, extra, data["tax_id"])
        self._first_item(
            organisation, extra, data, "phones", "number", "phone", 30, m.stable_id("phone", ident)
        )
        organisation.extra = self._rest(extra, data, ORGANISATION_KEYS)
        self._save(organisation, "organisations", record.source, before)
        return organisation

    @staticmethod
    def _tax_id(organisation, extra, value) -> None:
        """An Italian codice fiscale becomes the tax code; anything else stays HSDS data."""
        try:
            code = normalise_tax_code(m.as_text(value))
        except ValidationError:
            code = ""
        taken = Organisation.objects.filter(tax_code=code).exclude(pk=organisation.pk).exists()
        if code and not taken:
            organisation.tax_code = code
            extra.pop("tax_id", None)
        else:
            extra["tax_id"] = value

    @staticmethod
    def _sector(data) -> str:
        words = f"{m.as_text(data.get('legal_status'))} {m.as_text(data.get('tax_status'))}"
        for pattern, sector in SECTOR_WORDS:
            if re.search(pattern, words, re.IGNORECASE):
                return sector
        return Sector.THIRD_SECTOR

    def _home(self, ident, record) -> Comune:
        """A new organisation's comune: the first of its locations in an Italian comune."""
        for location in self.records["location"].values():
            owner = location.data.get("organization_id")
            if owner == ident or self.owner_hint.get(location.data["id"]) == ident:
                comune = self._address_comune(location.data)[0]
                if comune is not None:
                    return comune
        if self.fallback is None:
            raise ValidationError(
                _(
                    "%(source)s: organisation “%(name)s” has no address in an Italian comune: "
                    "give a comune to use instead (--comune)."
                )
                % {"source": record.source, "name": record.data.get("name")}
            )
        self.warn(
            record.source,
            _(
                "organisation placed in %(comune)s, the comune given "
                "for records without an Italian address."
            ),
            comune=self.fallback,
        )
        return self.fallback

    def _address_comune(self, data) -> tuple[Comune | None, str]:
        addresses = data.get("addresses")
        index = m.primary_address(addresses)
        if index is None:
            return None, ""
        city = m.as_text(addresses[index].get("city"))
        state = m.as_text(addresses[index].get("state_province"))
        if not city:
            return None, ""
        key = (city.lower(), state.lower())
        if key not in self._comuni:
            matches = []
            if len(state) == 2 and state.isalpha():
                matches = resolve_comune(f"{city} ({state})")
            matches = matches or resolve_comune(city)
            self._comuni[key] = matches[0] if len(matches) == 1 else None
        return self._comuni[key], city

    # --- places -------------------------------------------------------------------------------
    def _place(self, ident, record) -> Place | None:
        data, source = record.data, record.source
        place = Place.objects.select_related("comune__province").filter(hsds_id=ident).first()
        owner = self._place_owner(ident, data, place, source)
        if place is None and owner is None:
            self.warn(source, _("no organisation in Legami holds this location; not imported."))
            return None
        before = m.snapshot(place)
        if place is None:
            place = Place(hsds_id=ident, organisation=owner)
        elif owner is not None and owner.pk != place.organisation_id:
            self.warn(
                source, _("the location belongs to another organisation in Legami; it stays there.")
            )
        extra, notes = dict(place.extra), m.private(place.extra)
        name = m.as_text(data.get("name"))
        if name or place.pk is None:
            place.name = name or self._place_name(data, place.organisation)
        if "description" in data:
            place.description = m.as_text(data["description"], strip=False)
        if "transportation" in data:
            place.transport_notes = m.as_text(data["transportation"], strip=False)
        if "latitude" in data or "longitude" in data:
            self._coordinates(place, extra, data, source)
        if "addresses" in data or place.pk is None:
            self._address(place, extra, notes, data, source)
        self._first_item(
            place,
            extra,
            data,
            "accessibility",
            "description",
            "accessibility_notes",
            None,
            m.stable_id("accessibility", ident),
        )
        if "location_type" in data:
            if data["location_type"] == "physical":
                extra.pop("location_type", None)
            else:
                extra["location_type"] = data["location_type"]
        extra = self._rest(extra, data, PLACE_KEYS)
        extra.pop(m.PRIVATE, None)
        place.extra = {**extra, m.PRIVATE: notes} if notes else extra
        self._save(place, "places", source, before)
        return place

    def _place_owner(self, ident, data, place, source) -> Organisation | None:
        raw = data.get("organization_id")
        if raw:
            owner = self.organisation_for(m.as_uuid(raw))
            if owner is not None:
                return owner
            self.warn(
                source, _("field “organization_id”: no organisation has the id %(id)s."), id=raw
            )
        hint = self.organisation_for(self.owner_hint.get(ident))
        return hint or (place.organisation if place else None)

    @staticmethod
    def _place_name(data, organisation) -> str:
        addresses = data.get("addresses")
        index = m.primary_address(addresses)
        address = m.as_text(addresses[index].get("address_1")) if index is not None else ""
        return (m.as_text(data.get("alternate_name")) or address or organisation.name)[:200]

    def _coordinates(self, place, extra, data, source) -> None:
        latitude, longitude = m.as_number(data.get("latitude")), m.as_number(data.get("longitude"))
        try:
            services.check_coordinates(latitude, longitude)
            usable = True
        except ValidationError:
            usable = False
        if usable:
            place.latitude, place.longitude = latitude, longitude
            extra.pop("latitude", None)
            extra.pop("longitude", None)
            return
        place.latitude = place.longitude = None
        for key in ("latitude", "longitude"):
            if key in data:
                extra[key] = data[key]
        self.warn(
            source,
            _(
                "coordinates %(lat)s, %(lon)s are not in Italy: kept as HSDS "
                "data, the place is not shown on the map."
            ),
            lat=data.get("latitude"),
            lon=data.get("longitude"),
        )

    def _address(self, place, extra, notes, data, source) -> None:
        addresses = data.get("addresses") or []
        comune, city = self._address_comune(data)
        if comune is None:
            comune = (place.comune if place.comune_id else None) or self.fallback
            comune = comune or place.organisation.comune
            if city:
                self.warn(
                    source,
                    _("city “%(city)s” is not an Italian comune: place put in %(comune)s."),
                    city=city,
                    comune=comune,
                )
            elif place.pk is None:
                self.warn(source, _("no address: place put in %(comune)s."), comune=comune)
        place.comune = comune
        index = m.primary_address(addresses)
        primary = addresses[index] if index is not None else {}
        place.address = m.as_text(primary.get("address_1"))[:200]
        postcode = m.as_text(primary.get("postal_code"))
        place.postcode = postcode if re.fullmatch(r"\d{5}", postcode) else ""
        if addresses == [m.synth_address(place.hsds_id, place.address, place.postcode, comune)]:
            extra.pop("addresses", None)
            notes.pop("address_comune", None)
        elif addresses:
            extra["addresses"] = addresses
            notes["address_comune"] = comune.istat_code
