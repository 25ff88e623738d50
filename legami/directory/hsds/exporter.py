"""Legami's directory as Open Referral HSDS 3.x documents, for files and for the API.

Each document is built from the model fields, then completed with what an HSDS import kept in
`extra`; Legami's own value wins where both exist. Objects that never came from HSDS get
stable made-up ids (uuid5), so that importing an export finds the same objects again.
"""

import copy
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Prefetch, QuerySet

from legami.core.audit import audit
from legami.network.models import Organisation

from ..models import Activity, Place, Taxonomy, TaxonomyTerm
from ..permissions import policy
from . import mapping as m

# Lists of a service document that only the full shape carries.
SERVICE_LISTS = (
    "phones",
    "contacts",
    "languages",
    "schedules",
    "cost_options",
    "attributes",
    "service_at_locations",
    "service_areas",
    "funding",
    "required_documents",
    "metadata",
)


def _compose(modelled: dict, extra: dict) -> dict:
    """Modelled values (when not empty) first, then what HSDS held that Legami does not."""
    document = {k: v for k, v in modelled.items() if v is not None and v != ""}
    for key, value in extra.items():
        document.setdefault(key, value)
    return document


def _one_to_one(document: dict) -> dict:
    """The shape of list endpoints: no one-to-many fields."""
    return {k: v for k, v in document.items() if not isinstance(v, list)}


def _number(value):
    return None if value is None else m.as_number(value)


def activities_queryset(activities: QuerySet) -> QuerySet:
    """Everything a full service document reads, in a fixed number of queries."""
    return activities.select_related(
        "organisation", "place__organisation", "place__comune__province"
    ).prefetch_related(
        "schedules",
        "cost_options",
        Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy", "parent")),
    )


def places_queryset(places: QuerySet) -> QuerySet:
    return places.select_related("organisation", "comune__province")


# --- documents ----------------------------------------------------------------------------------
def taxonomy_doc(taxonomy: Taxonomy) -> dict:
    document = _compose(
        {
            "id": str(taxonomy.hsds_id),
            "name": taxonomy.name,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        },
        {},
    )
    document["description"] = taxonomy.description
    return document


def term_doc(term: TaxonomyTerm) -> dict:
    extra = m.public(term.extra)
    document = _compose(
        {
            "id": str(term.hsds_id),
            "code": term.code,
            "name": term.name,
            "parent_id": str(term.parent.hsds_id) if term.parent_id else None,
            "taxonomy": extra.get("taxonomy", term.taxonomy.name),
            "taxonomy_id": str(term.taxonomy.hsds_id),
            "term_uri": term.term_uri,
        },
        extra,
    )
    document["description"] = term.description
    document["taxonomy_detail"] = taxonomy_doc(term.taxonomy)
    return document


def organization_doc(organisation: Organisation, *, locations=None, services=None) -> dict:
    extra = m.public(organisation.extra)
    ident = m.organisation_hsds_id(organisation)
    phones = m.with_first_value(
        extra.get("phones"), "number", organisation.phone, m.stable_id("phone", ident)
    )
    document = _compose(
        {
            "id": ident,
            "name": organisation.name,
            "email": organisation.email,
            "website": organisation.website,
            "tax_id": organisation.tax_code,
            "phones": phones,
        },
        extra,
    )
    document["description"] = organisation.description
    if locations is not None:
        document["locations"] = [location_doc(place) for place in locations]
    if services is not None:
        document["services"] = services
    return document


def _addresses(place: Place, extra: dict, notes: dict) -> list:
    comune = place.comune
    stored = extra.get("addresses")
    if not stored:
        return [m.synth_address(place.hsds_id, place.address, place.postcode, comune)]
    addresses = copy.deepcopy(stored)
    index = m.primary_address(addresses)
    if index is not None:
        primary = addresses[index]
        if place.address and m.as_text(primary.get("address_1"))[:200] != place.address:
            primary["address_1"] = place.address
        if place.postcode and m.as_text(primary.get("postal_code")) != place.postcode:
            primary["postal_code"] = place.postcode
        # The comune moved since the import (or the address was never Italian): say where.
        if notes.get("address_comune") != comune.istat_code:
            primary.update(
                city=comune.name, state_province=comune.province.abbreviation, country="IT"
            )
    return addresses


def location_doc(place: Place) -> dict:
    extra, notes = m.public(place.extra), m.private(place.extra)
    ident = str(place.hsds_id)
    accessibility = m.with_first_value(
        extra.get("accessibility"),
        "description",
        place.accessibility_notes,
        m.stable_id("accessibility", ident),
    )
    return _compose(
        {
            "id": ident,
            "location_type": extra.get("location_type", "physical"),
            "organization_id": m.organisation_hsds_id(place.organisation),
            "name": place.name,
            "description": place.description,
            "transportation": place.transport_notes,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "addresses": _addresses(place, extra, notes),
            "accessibility": accessibility,
        },
        extra,
    )


def schedule_doc(schedule) -> dict:
    return _compose(
        {
            "id": str(schedule.hsds_id),
            "freq": schedule.freq,
            "interval": schedule.interval,
            "byday": schedule.byday,
            "bymonthday": schedule.bymonthday,
            "opens_at": schedule.opens_at.isoformat(),
            "closes_at": schedule.closes_at.isoformat(),
            "valid_from": schedule.valid_from.isoformat(),
            "valid_to": schedule.valid_to.isoformat() if schedule.valid_to else None,
            "description": schedule.description,
        },
        m.public(schedule.extra),
    )


def cost_option_doc(option, partial: dict) -> dict:
    return _compose(
        {
            "id": str(option.hsds_id),
            "option": option.label,
            "currency": option.currency,
            "amount": _number(option.amount),
            "valid_from": option.valid_from.isoformat() if option.valid_from else None,
            "valid_to": option.valid_to.isoformat() if option.valid_to else None,
        },
        partial,
    )


def sal_links(activity: Activity) -> list[dict]:
    """The service's service_at_locations: the ones an import kept, the place's first."""
    links = copy.deepcopy(m.public(activity.extra).get("service_at_locations") or [])
    if activity.place_id:
        ident, place_id = str(activity.hsds_id), str(activity.place.hsds_id)
        position = next(
            (i for i, link in enumerate(links) if m.as_uuid(link.get("location_id")) == place_id),
            None,
        )
        links.insert(0, m.synth_sal(ident, place_id) if position is None else links.pop(position))
    return links


def _link_place(activity: Activity, link: dict, places) -> Place | None:
    location_id = m.as_uuid(link.get("location_id"))
    if activity.place_id and location_id == str(activity.place.hsds_id):
        return activity.place
    return places.get(location_id) if location_id else None


def other_places(activities) -> dict:
    """Places of the service_at_locations beyond each activity's own place, in one query."""
    wanted = {
        m.as_uuid(link.get("location_id"))
        for activity in activities
        for link in m.public(activity.extra).get("service_at_locations") or []
    } - {None}
    if not wanted:
        return {}
    return {str(p.hsds_id): p for p in places_queryset(Place.objects.filter(hsds_id__in=wanted))}


def service_doc(activity: Activity, *, full: bool = True, places=None) -> dict:
    """The "service_full" shape (full) or the one-to-one fields of a list (not full)."""
    extra, notes = m.public(activity.extra), m.private(activity.extra)
    ident = str(activity.hsds_id)
    document = _compose(
        {
            "id": ident,
            "organization_id": m.organisation_hsds_id(activity.organisation),
            "name": activity.name,
            "alternate_name": activity.alternate_name,
            "description": activity.description,
            "url": activity.url,
            "email": activity.email,
            "status": m.STATUS_TO_HSDS[activity.status],
            "application_process": activity.how_to_join,
            "fees_description": activity.cost_description,
            "minimum_age": activity.min_age,
            "maximum_age": activity.max_age,
            "assured_date": activity.last_verified_on.isoformat(),
            "last_modified": m.iso_datetime(activity.updated_at),
        },
        {k: v for k, v in extra.items() if k not in SERVICE_LISTS},
    )
    if not full:
        document["organization"] = _one_to_one(organization_doc(activity.organisation))
        return _one_to_one(document)
    attributes = notes.get("attributes", {})
    costs = notes.get("cost_options", {})
    places = places if places is not None else other_places([activity])
    lists = {
        "phones": m.with_first_value(
            extra.get("phones"), "number", activity.phone, m.stable_id("phone", ident)
        ),
        "contacts": m.with_first_value(
            extra.get("contacts"), "name", activity.contact_name, m.stable_id("contact", ident)
        ),
        "languages": m.languages_out(extra.get("languages"), activity.language_list, ident),
        "schedules": [schedule_doc(s) for s in activity.schedules.all()]
        + extra.get("schedules", []),
        "cost_options": [
            cost_option_doc(o, costs.get(str(o.hsds_id), {})) for o in activity.cost_options.all()
        ]
        + extra.get("cost_options", []),
        "attributes": [
            {
                **attributes.get(str(t.hsds_id), m.synth_attribute(ident, t)),
                "taxonomy_term_id": str(t.hsds_id),
                "taxonomy_term": term_doc(t),
            }
            for t in activity.terms.all()
        ]
        + extra.get("attributes", []),
        "service_at_locations": [
            _sal_in_service(activity, link, places) for link in sal_links(activity)
        ],
    }
    document.update({k: v for k, v in lists.items() if v})
    for key in SERVICE_LISTS:
        if key not in document and key in extra:
            document[key] = extra[key]
    document["organization"] = organization_doc(activity.organisation)
    return document


def _sal_in_service(activity: Activity, link: dict, places) -> dict:
    place = _link_place(activity, link, places)
    return {**link, "location": location_doc(place)} if place else link


def sal_doc(activity: Activity, link: dict, *, full: bool = True, places=None) -> dict:
    """A service_at_location on its own, with its location and its service."""
    places = places if places is not None else other_places([activity])
    document = _sal_in_service(activity, link, places)
    if full:
        service = service_doc(activity, full=True, places=places)
        service.pop("service_at_locations", None)
    else:
        service = service_doc(activity, full=False)
        document = _one_to_one(document)
        if "location" in document:
            document["location"] = _one_to_one(document["location"])
    document["service"] = service
    return document


# --- files --------------------------------------------------------------------------------------
@dataclass
class ExportResult:
    directory: Path
    counts: Counter = field(default_factory=Counter)
    invalid: list[str] = field(default_factory=list)


def export_directory(directory, *, activities=None, validate=True, by=None) -> ExportResult:
    """Write the directory as HSDS files under `directory`: organizations/, services/,
    service_at_locations/, taxonomies/ and taxonomy_terms/, one JSON document each, every one
    checked against the HSDS schemas. A folder written before is brought up to date: files of
    objects that are gone are removed. Drafts and suspended listings of every organisation go
    in: `by` must be allowed "export_hsds" (None is the command line)."""
    policy.authorize(by, "export_hsds")
    result = ExportResult(Path(directory))
    if activities is None:
        activities = Activity.objects.all()
    activities = list(activities_queryset(activities))
    places = {str(p.hsds_id): p for p in places_queryset(Place.objects.all())}
    by_organisation, places_of = {}, {}
    for activity in activities:
        by_organisation.setdefault(activity.organisation_id, []).append(activity)
    for place in places.values():
        places_of.setdefault(place.organisation_id, []).append(place)
    written = {name: set() for name in m.SCHEMA_FILES}

    def write(kind: str, document: dict) -> None:
        folder = result.directory / FOLDERS[kind]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{document['id']}.json"
        if validate:
            for error in m.validation_errors(kind, document):
                result.invalid.append(f"{path.relative_to(result.directory)}: {error}")
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        written[kind].add(path.name)
        result.counts[kind] += 1

    for organisation in Organisation.objects.order_by("pk"):
        services = [service_doc(a, full=False) for a in by_organisation.get(organisation.pk, [])]
        for service in services:
            service.pop("organization", None)
        write(
            "organization",
            organization_doc(
                organisation, locations=places_of.get(organisation.pk, []), services=services
            ),
        )
    for activity in activities:
        write("service", service_doc(activity, places=places))
        for link in sal_links(activity):
            write("service_at_location", sal_doc(activity, link, places=places))
    for taxonomy in Taxonomy.objects.all():
        write("taxonomy", taxonomy_doc(taxonomy))
    for term in TaxonomyTerm.objects.select_related("taxonomy", "parent"):
        write("taxonomy_term", term_doc(term))
    _remove_stale(result.directory, written)
    audit(
        by=by,
        action="export",
        object_type="directory.activity",
        purpose="HSDS export",
        changes=dict(result.counts),
    )
    return result


FOLDERS = {
    "organization": "organizations",
    "service": "services",
    "service_at_location": "service_at_locations",
    "taxonomy": "taxonomies",
    "taxonomy_term": "taxonomy_terms",
}


def _remove_stale(directory: Path, written: dict) -> None:
    """Only files this exporter names (an HSDS id and .json) in its own folders go."""
    for kind, folder in FOLDERS.items():
        for path in (directory / folder).glob("*.json"):
            if path.name not in written[kind] and m.as_uuid(path.stem) == path.stem:
                path.unlink()
