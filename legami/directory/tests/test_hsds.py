"""Open Referral HSDS 3.x: every official example imports, twice without duplicates; what Legami
does not model survives into `extra` and back out; exports validate against the compiled HSDS
schemas; export then import changes nothing; bad files name file, record and field and write
nothing; the public API pages the HSDS way with a constant number of queries."""

import json
import shutil
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legami.directory import services
from legami.directory.hsds import exporter, importer, mapping
from legami.directory.models import (
    Activity,
    CostOption,
    Place,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
)
from legami.network.models import Organisation

HSDS = Path(__file__).resolve().parents[1] / "hsds" / "spec"
EXAMPLES = HSDS / "examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
LOCATION_ID = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"


# fmt: off
# What each example creates in an empty directory (with Arcidosso as fallback comune).
ONE_SERVICE = {"organisations": 1, "places": 1, "activities": 1, "cost_options": 1,
               "taxonomies": 1, "taxonomy_terms": 1}
EXPECTED = {
    "base.json": {}, "location.json": {},
    "organization_full.json": ONE_SERVICE, "organization_list.json": {"organisations": 1},
    "service_at_location_full.json": ONE_SERVICE,
    "service_at_location_list.json": {"organisations": 1, "places": 1, "activities": 1},
    "service_full.json": ONE_SERVICE, "service_list.json": {"organisations": 1, "activities": 1},
    "tabular.json": {**ONE_SERVICE, "taxonomies": 2}, "csv": {**ONE_SERVICE, "taxonomies": 2},
    "taxonomy.json": {"taxonomies": 1}, "taxonomy_list.json": {"taxonomies": 1},
    "taxonomy_term.json": {"taxonomies": 1, "taxonomy_terms": 1},
    "taxonomy_term_list.json": {"taxonomies": 1, "taxonomy_terms": 1},
}
MODELS = {"organisations": Organisation, "places": Place, "activities": Activity,
          "schedules": Schedule, "cost_options": CostOption, "taxonomies": Taxonomy,
          "taxonomy_terms": TaxonomyTerm}
SERVICE_EXTRA = ("service_areas", "funding", "required_documents", "program", "metadata",
                 "interpretation_services", "eligibility_description")
# Parts of a service document Legami rebuilds from its own objects (checked separately).
SERVICE_REBUILT = ("last_modified", "organization", "service_at_locations", "attributes",
                   "cost_options")
ORGANIZATION_KEPT = ("alternate_name", "legal_status", "funding", "contacts", "phones",
                     "programs", "organization_identifiers", "logo", "parent_organization_id")
LOCATION_KEPT = ("latitude", "longitude", "addresses", "accessibility", "languages",
                 "external_identifier", "transportation", "alternate_name")
# fmt: on


def counts() -> dict:
    return {kind: model.objects.count() for kind, model in MODELS.items()}


def run(path, geography, **options):
    return importer.import_path(path, fallback_comune=geography["arcidosso"], **options)


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def write(tmp_path, name: str, document) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return path


def test_every_example_is_covered():
    assert {p.name for p in EXAMPLES.glob("*.json")} | {"csv"} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_example_imports_and_a_second_import_changes_nothing(name, geography):
    before = counts()
    result = run(EXAMPLES / name, geography)
    after = counts()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == EXPECTED[name]
    assert {k: v for k, v in result.created.items() if v} == EXPECTED[name]
    again = run(EXAMPLES / name, geography)
    assert counts() == after
    assert not +again.created and not +again.updated and not +again.deleted


def test_files_without_records_say_so(geography):
    assert any("base.json" in w for w in run(EXAMPLES / "base.json", geography).warnings)
    warnings = run(EXAMPLES / "location.json", geography).warnings
    assert any("location.json" in w and "non importat" in w for w in warnings)


def test_a_lone_location_updates_the_place_an_earlier_import_made(geography):
    run(EXAMPLES / "service_full.json", geography)
    result = run(EXAMPLES / "location.json", geography)
    place = Place.objects.get(hsds_id=LOCATION_ID)
    assert result.updated["places"] == 1 and Place.objects.count() == 1
    assert place.extra["external_identifier"] == "///cheer.parent.mole"


def test_service_full_maps_onto_legami(geography):
    result = run(EXAMPLES / "service_full.json", geography)
    activity = Activity.objects.get(hsds_id=SERVICE_ID)
    assert activity.name == "Community Counselling"
    assert activity.alternate_name == "MyCity Counselling Services"
    assert activity.status == "published"
    assert (activity.min_age, activity.max_age) == (12, 100)
    assert activity.how_to_join.startswith("If you are an NHS patient")
    assert activity.cost_description.startswith("Non-NHS patients")
    assert activity.phone == '"+44 1234 234567"' and activity.contact_name == "Ann Persona"
    assert activity.languages == "ur" and activity.last_verified_on == date(2005, 1, 1)
    assert activity.url == "http://example.com/counselling"
    # reindex ran: search words, price and the term are there
    assert "counselling" in activity.search_text and not activity.is_free
    term = activity.terms.get()
    assert str(term.hsds_id) == "3f7b145d-84af-42d7-8fae-eaca714b02b2"
    assert str(term.taxonomy.hsds_id) == "5c4d79d7-cc55-470e-9f1f-8cad074e4892"
    option = activity.cost_options.get()
    assert (option.label, option.amount, option.currency) == (
        "Under 18s and Over 60s",
        Decimal("35.00"),
        "GBP",
    )
    organisation = activity.organisation
    assert str(organisation.hsds_id) == ORGANIZATION_ID and organisation.sector == "business"
    assert organisation.comune == geography["arcidosso"]
    assert organisation.extra["legal_status"] == "Limited Company"
    assert organisation.extra["organization_identifiers"][0]["identifier"] == "1234567"
    place = activity.place
    assert place.name == "MyCity Civic Center" and place.comune == geography["arcidosso"]
    assert place.latitude is None and place.extra["latitude"] == 100
    assert place.accessibility_notes.startswith("The building is equipped")
    assert any("100, 101" in w and "Italia" in w for w in result.warnings)
    # The example schedule repeats by count and week number: kept, not computed, and said.
    assert not Schedule.objects.exists()
    assert activity.extra["schedules"][0]["id"] == "48102e86-bb50-41c4-8f1e-e269368c41d1"
    assert any("48102e86" in w for w in result.warnings)


def test_unmodelled_fields_are_kept_and_exported(geography, tmp_path):
    run(EXAMPLES / "service_full.json", geography)
    activity = Activity.objects.get(hsds_id=SERVICE_ID)
    for key in SERVICE_EXTRA:
        assert key in activity.extra, key
    exporter.export_directory(tmp_path)
    exported = json.loads((tmp_path / "services" / f"{SERVICE_ID}.json").read_text())
    original = example("service_full.json")
    for key, value in original.items():
        if key not in SERVICE_REBUILT:
            assert exported[key] == value, key
    assert exported["cost_options"][0]["amount_description"] == "per 1 hour session"
    assert exported["attributes"][0]["value"] == "value"
    assert (
        exported["attributes"][0]["taxonomy_term"]["parent_id"]
        == (original["attributes"][0]["taxonomy_term"]["parent_id"])
    )
    organization = exported["organization"]
    for key in ORGANIZATION_KEPT:
        assert organization[key] == original["organization"][key], key
    link = exported["service_at_locations"][0]
    original_link = original["service_at_locations"][0]
    assert link["id"] == original_link["id"] and link["contacts"] == original_link["contacts"]
    location, original_location = link["location"], original_link["location"]
    for key in LOCATION_KEPT:
        assert location[key] == original_location[key], key


def test_every_export_validates_against_the_compiled_schemas(world, geography, tmp_path):
    _native_activity(world)
    run(EXAMPLES / "service_full.json", geography)
    run(EXAMPLES / "csv", geography)
    result = exporter.export_directory(tmp_path)
    assert result.invalid == []
    assert result.counts["service"] == Activity.objects.count()
    checked = 0
    for kind, folder in exporter.FOLDERS.items():
        for path in (tmp_path / folder).glob("*.json"):
            assert mapping.validation_errors(kind, json.loads(path.read_text())) == [], path
            checked += 1
    assert checked == sum(result.counts.values())


def test_the_validator_checks_formats():
    document = example("service_full.json")
    document["email"] = "not an e-mail"
    document["last_modified"] = "yesterday"
    document["url"] = "no scheme"
    errors = " ".join(mapping.validation_errors("service", document))
    assert "email" in errors and "last_modified" in errors and "url" in errors


def _native_activity(world, name="Coro di comunità", status="published"):
    """An activity made in Legami, with the parts HSDS can carry."""
    association, terms = world["association"], ["musica", "solitudine"]
    place = services.place_create(
        by=None, organisation=association, name=f"Sala {name}", comune=world["arcidosso"],
        address="Via Roma 1", postcode="58031", latitude=42.87, longitude=11.54,
    )  # fmt: skip
    activity = services.activity_create(
        by=None, organisation=association, place=place, name=name, languages="it,en",
        description="Si canta insieme.", phone="0564 000000", min_age=16,
        terms=TaxonomyTerm.objects.filter(code__in=terms),
    )  # fmt: skip
    services.schedule_add(
        by=None, activity=activity, freq="WEEKLY", byday="TH", opens_at=time(18),
        closes_at=time(20), valid_from=date(2025, 9, 4),
    )  # fmt: skip
    services.cost_option_add(by=None, activity=activity, label="Quota", amount=Decimal("10"))
    if status == "published":
        services.activity_set_status(by=None, activity=activity, status="published")
    return Activity.objects.get(pk=activity.pk)


def snapshot() -> dict:
    """Everything Legami models, by HSDS id or natural key (never by primary key)."""

    def rows(model, key, related=()):
        result = {}
        for obj in model.objects.all():
            values = mapping.snapshot(obj)
            values.pop("id")
            for name, attr in related:
                target = getattr(obj, name)
                values[name] = getattr(target, attr) if target is not None else None
                values.pop(f"{name}_id")
            result[key(obj)] = values
        return result

    def by_hsds(obj):
        return str(obj.hsds_id or obj.name)

    data = {
        "organisations": rows(Organisation, by_hsds, [("comune", "istat_code")]),
        "places": rows(Place, by_hsds, [("organisation", "name"), ("comune", "istat_code")]),
        "activities": rows(Activity, by_hsds, [("organisation", "name"), ("place", "hsds_id")]),
        "schedules": rows(Schedule, by_hsds, [("activity", "hsds_id")]),
        "cost_options": rows(CostOption, by_hsds, [("activity", "hsds_id")]),
        "taxonomies": rows(Taxonomy, by_hsds),
        "terms": rows(TaxonomyTerm, by_hsds, [("taxonomy", "hsds_id"), ("parent", "hsds_id")]),
    }
    for activity in Activity.objects.prefetch_related("terms"):
        data["activities"][str(activity.hsds_id)]["terms"] = sorted(
            str(t.hsds_id) for t in activity.terms.all()
        )
    return data


def test_export_then_import_changes_nothing(world, geography, tmp_path):
    _native_activity(world)
    _native_activity(world, "Bozza", status="draft")
    run(EXAMPLES / "service_full.json", geography)
    run(EXAMPLES / "csv", geography)
    before = snapshot()
    exporter.export_directory(tmp_path)
    result = run(tmp_path, geography)
    assert snapshot() == before
    assert not +result.created and not +result.updated and not +result.deleted


def test_export_then_import_into_an_empty_directory_gives_the_same_objects(geography, tmp_path):
    run(EXAMPLES / "service_full.json", geography)
    run(EXAMPLES / "csv", geography)
    before = snapshot()
    exporter.export_directory(tmp_path)
    Activity.objects.all().delete()
    Place.objects.all().delete()
    Organisation.objects.all().delete()
    imported = TaxonomyTerm.objects.exclude(taxonomy__code__in=["domain", "need", "target_group"])
    imported.filter(parent__isnull=False).delete()
    imported.delete()
    Taxonomy.objects.exclude(code__in=["domain", "need", "target_group"]).delete()
    run(tmp_path, geography)
    assert snapshot() == before


# --- bad input ----------------------------------------------------------------------------------
def _refused(path, geography, *fragments) -> str:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        run(path, geography)
    message = " ".join(caught.value.messages)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert counts() == before
    return message


def test_a_file_that_is_not_json_is_refused(geography, tmp_path):
    _refused(write(tmp_path, "rotto.json", '{"id": "x",'), geography, "rotto.json", "JSON")


def test_a_service_without_name_is_refused_naming_file_record_and_field(geography, tmp_path):
    document = example("service_full.json")
    del document["name"]
    path = write(tmp_path, "senza_nome.json", document)
    _refused(path, geography, "senza_nome.json", "“name”")
    listed = example("service_list.json")
    listed["contents"][0]["name"] = ""
    _refused(write(tmp_path, "lista.json", listed), geography, "lista.json", "contents[0]", "name")


def test_an_id_that_is_not_a_uuid_is_refused(geography, tmp_path):
    document = example("organization_list.json")
    document["contents"][0]["id"] = "42"
    _refused(write(tmp_path, "org.json", document), geography, "org.json", "“id”", "42")


def test_a_package_missing_a_csv_is_refused_naming_it(geography, tmp_path):
    package = tmp_path / "pacchetto"
    shutil.copytree(EXAMPLES / "csv", package)
    (package / "services.csv").unlink()
    _refused(package, geography, "services.csv")


def test_a_csv_row_without_name_is_refused_naming_file_row_and_field(geography, tmp_path):
    package = tmp_path / "pacchetto"
    shutil.copytree(EXAMPLES / "csv", package)
    services_csv = package / "services.csv"
    services_csv.write_text(services_csv.read_text().replace("Community Counselling,", ",", 1))
    _refused(package, geography, "services.csv", "2", "“name”")


def test_a_failure_midway_rolls_everything_back(geography):
    """Without a fallback comune the UK organisation cannot be placed: the taxonomy saved
    before it must go too."""
    before = counts()
    with pytest.raises(ValidationError) as caught:
        importer.import_path(EXAMPLES / "service_full.json")
    assert "--comune" in " ".join(caught.value.messages)
    assert counts() == before


def test_dry_run_writes_nothing_but_counts(geography):
    result = run(EXAMPLES / "service_full.json", geography, dry_run=True)
    assert result.dry_run and result.created["activities"] == 1
    assert not Activity.objects.exists() and not Organisation.objects.exists()


# --- commands -----------------------------------------------------------------------------------
def test_import_command_with_comune_forms_and_its_report(geography, capsys):
    for comune in ("Arcidosso", "Arcidosso (GR)", "053001"):
        call_command("hsds_import", str(EXAMPLES / "service_full.json"), "--comune", comune)
    output = capsys.readouterr()
    assert Activity.objects.count() == 1
    assert "100, 101" in output.err
    assert Organisation.objects.get().comune == geography["arcidosso"]


def test_import_command_refuses_bad_input_and_exits_non_zero(geography, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("hsds_import", str(write(tmp_path, "x.json", "[")), "--comune", "053001")
    assert "x.json" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("hsds_import", str(EXAMPLES / "service_full.json"), "--comune", "Atlantide")
    assert "Atlantide" in capsys.readouterr().err
    call_command("hsds_import", str(EXAMPLES / "csv"), "--comune", "053001", "--dry-run")
    assert not Activity.objects.exists()


def test_export_command_writes_valid_files(world, tmp_path, capsys):
    _native_activity(world)
    call_command("hsds_export", str(tmp_path / "out"), "--published-only")
    assert (
        len(list((tmp_path / "out" / "services").glob("*.json")))
        == Activity.objects.filter(status="published").count()
    )
    assert "service" in capsys.readouterr().out


# --- API ----------------------------------------------------------------------------------------
def test_services_are_paged_the_hsds_way_and_drafts_are_not_listed(world, client):
    published = _native_activity(world, "Pubblicata")
    draft = _native_activity(world, "Bozza", status="draft")
    total = Activity.objects.filter(status="published").count()
    response = client.get("/api/hsds/services", {"per_page": 1, "page": 1})
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    assert (body["total_items"], body["total_pages"], body["size"]) == (total, total, 1)
    assert body["first_page"] and body["last_page"] == (total == 1) and not body["empty"]
    ids = {s["id"] for s in client.get("/api/hsds/services", {"per_page": 200}).json()["contents"]}
    assert str(published.hsds_id) in ids and str(draft.hsds_id) not in ids
    assert client.get(f"/api/hsds/services/{draft.hsds_id}").status_code == 404
    beyond = client.get("/api/hsds/services", {"page": total + 1}).json()
    assert beyond["empty"] and beyond["contents"] == [] and beyond["last_page"]
    assert client.get("/api/hsds/services", {"page": "zero"}).status_code == 400


def test_api_documents_validate_and_ids_resolve(world, client):
    activity = _native_activity(world)
    service = client.get(f"/api/hsds/services/{activity.hsds_id}").json()
    assert mapping.validation_errors("service", service) == []
    organization_id = service["organization_id"]
    organization = client.get(f"/api/hsds/organizations/{organization_id}").json()
    assert mapping.validation_errors("organization", organization) == []
    assert str(activity.hsds_id) in {s["id"] for s in organization["services"]}
    link_id = service["service_at_locations"][0]["id"]
    link = client.get(f"/api/hsds/service_at_locations/{link_id}").json()
    assert mapping.validation_errors("service_at_location", link) == []
    assert link["service"]["id"] == str(activity.hsds_id)
    listed = client.get("/api/hsds/service_at_locations", {"per_page": 200}).json()
    assert link_id in {item["id"] for item in listed["contents"]}
    term = activity.terms.first()
    assert client.get(f"/api/hsds/taxonomy_terms/{term.hsds_id}").json()["code"] == term.code
    taxonomy = client.get(f"/api/hsds/taxonomies/{term.taxonomy.hsds_id}").json()
    assert mapping.validation_errors("taxonomy", taxonomy) == []
    terms = client.get("/api/hsds/taxonomy_terms", {"taxonomy_id": str(term.taxonomy.hsds_id)})
    assert {t["taxonomy_id"] for t in terms.json()["contents"]} == {str(term.taxonomy.hsds_id)}
    filtered = client.get("/api/hsds/services", {"taxonomy_term_id": str(term.hsds_id)}).json()
    assert [s["id"] for s in filtered["contents"]] == [str(activity.hsds_id)]
    assert client.get("/api/hsds/services/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/api/hsds/services/not-a-uuid").status_code == 404
    assert client.get("/api/hsds/").json()["version"] == "3.0"


def test_imported_services_are_served_with_what_hsds_held(geography, client):
    run(EXAMPLES / "service_full.json", geography)
    service = client.get(f"/api/hsds/services/{SERVICE_ID}").json()
    assert service["service_areas"] == example("service_full.json")["service_areas"]
    link = client.get("/api/hsds/service_at_locations/e94c9f38-1e8f-4564-91d4-d53501ab1765")
    assert link.json()["location"]["id"] == LOCATION_ID
    listed = client.get("/api/hsds/services").json()["contents"][0]
    assert listed["organization"]["id"] == ORGANIZATION_ID and "phones" not in listed


@pytest.mark.parametrize(
    "url",
    [
        "/api/hsds/services",
        "/api/hsds/services?full=true",
        "/api/hsds/organizations",
        "/api/hsds/service_at_locations",
        "/api/hsds/taxonomy_terms",
    ],
)
def test_query_count_does_not_grow_with_the_page(url, world, client, django_assert_max_num_queries):
    def grow(numbers):
        for number in numbers:
            _native_activity(world, f"Attività {number}")
            Organisation.objects.create(
                name=f"Associazione {number}", sector="third_sector", comune=world["arcidosso"]
            )

    grow(range(2))
    with CaptureQueriesContext(connection) as few:
        first = client.get(url).json()["size"]
    grow(range(2, 8))
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).json()["size"] > first or "taxonomy" in url


# An Italian service: everything resolves without a fallback comune.
ITALIAN_SERVICE = json.loads(
    """{
  "id": "0d7c4b8e-7c1e-4b5a-9a53-3f1a2b6c8d90", "name": "Orto condiviso",
  "description": "Coltiviamo insieme l'orto del quartiere.", "status": "temporarily closed",
  "languages": [{"id": "5b1f0a4e-9a0e-4d3b-8f53-2b3e4c5d6e7f", "code": "ita"}],
  "schedules": [{"id": "6a0b7c8d-1e2f-4a3b-9c4d-5e6f7a8b9c0d", "freq": "WEEKLY", "byday": "SA",
                 "opens_at": "09:00", "closes_at": "12:00", "valid_from": "2025-03-01",
                 "notes": "Portare i guanti"}],
  "organization": {"id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "name": "APS Orti Maremmani",
                   "description": "Associazione di promozione sociale.",
                   "legal_status": "Associazione di promozione sociale", "tax_id": "00743110157"},
  "service_at_locations": [{"id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", "location": {
    "id": "8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b", "location_type": "physical",
    "name": "Orto di via Corridoni", "latitude": 43.05, "longitude": 10.89,
    "addresses": [{"id": "9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c", "address_1": "Via Corridoni 3",
                   "city": "Massa Marittima", "state_province": "GR", "postal_code": "58024",
                   "country": "IT", "address_type": "physical"}]}}]
}"""
)


def test_an_italian_service_needs_no_fallback_and_is_fully_modelled(geography, tmp_path):
    result = importer.import_path(write(tmp_path, "orto.json", ITALIAN_SERVICE))
    activity = Activity.objects.get(hsds_id=ITALIAN_SERVICE["id"])
    assert activity.status == "suspended" and activity.languages == "it"
    assert "languages" in activity.extra  # the ISO 639-2 code is written back as it came
    place = activity.place
    assert place.comune == geography["massa"] and place.postcode == "58024"
    assert (place.latitude, place.longitude) == (43.05, 10.89)
    assert "addresses" in place.extra and place.address == "Via Corridoni 3"
    organisation = activity.organisation
    assert organisation.comune == geography["massa"] and organisation.sector == "third_sector"
    assert organisation.tax_code == "00743110157" and "tax_id" not in organisation.extra
    schedule = activity.schedules.get()
    assert (schedule.byday, schedule.opens_at, schedule.extra) == (
        "SA",
        time(9),
        {"notes": "Portare i guanti"},
    )
    assert activity.next_session_at is not None  # reindex computed it
    assert not [w for w in result.warnings if "Italy" in w or "comune" in w]


def test_legami_edits_win_over_the_kept_hsds_data_on_export(geography, tmp_path):
    run(EXAMPLES / "service_full.json", geography)
    activity = Activity.objects.get(hsds_id=SERVICE_ID)
    services.activity_update(by=None, activity=activity, phone="0564 111111", languages="it")
    place = activity.place
    services.place_update(by=None, place=place, comune=geography["massa"], postcode="58024")
    document = exporter.service_doc(
        exporter.activities_queryset(Activity.objects.filter(pk=activity.pk)).get()
    )
    phone = document["phones"][0]
    assert phone["number"] == "0564 111111" and phone["extension"] == 100
    assert [language["code"] for language in document["languages"]] == ["it"]
    address = document["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["city"], address["state_province"], address["postal_code"]) == (
        "Massa Marittima",
        "GR",
        "58024",
    )
    assert address["attention"] == "A. Persona"
    run(write(tmp_path, "back.json", document), geography)
    activity.refresh_from_db()
    assert activity.phone == "0564 111111" and activity.place.comune == geography["massa"]


def test_bad_filters_are_400_not_500(world, client):
    for url in (
        "/api/hsds/services?organization_id=nope",
        "/api/hsds/services?taxonomy_term_id=nope",
        "/api/hsds/taxonomy_terms?parent_id=nope",
        "/api/hsds/services?per_page=0",
    ):
        assert client.get(url).status_code == 400, url


# --- every parameter HSDS defines is honoured or refused by name -------------------------------
def _ids(client, url, **params) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.content)
    return [item["id"] for item in response.json()["contents"]]


RESOURCES = ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_list_and_record_also_answers_with_a_trailing_slash(resource, world, client):
    _native_activity(world)
    bare = client.get(f"/api/hsds/{resource}")
    slashed = client.get(f"/api/hsds/{resource}/")
    assert bare.status_code == slashed.status_code == 200
    assert slashed.json() == bare.json()
    first = bare.json()["contents"][0]["id"]
    assert client.get(f"/api/hsds/{resource}/{first}/").json()["id"] == first


def test_schema_documents_each_path_once_without_the_slash(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "/api/hsds/services" in paths and "/api/hsds/services/" not in paths


@pytest.mark.parametrize("resource", ["services", "service_at_locations"])
def test_modified_after_keeps_what_changed_since(resource, world, client):
    old, new = _native_activity(world, "Vecchia"), _native_activity(world, "Nuova")
    Activity.objects.filter(pk=old.pk).update(updated_at="2025-01-10T10:00:00+01:00")
    Activity.objects.filter(pk=new.pk).update(updated_at="2025-06-01T09:00:00+02:00")
    url = f"/api/hsds/{resource}"

    def names(since):
        response = client.get(url, {"modified_after": since, "per_page": 200})
        assert response.status_code == 200, response.content
        return {item.get("name") or item["service"]["name"] for item in response.json()["contents"]}

    assert {"Vecchia", "Nuova"} <= names("2025-01-01")
    assert "Vecchia" not in names("2025-03-01") and "Nuova" in names("2025-03-01")
    assert "Nuova" in names("2025-06-01T09:00:00+02:00")  # on or after
    assert "Nuova" not in names("2025-06-01T09:00:01+02:00")
    assert "Nuova" in names("2025-06-01T08:00:00")  # no offset: Italian time (07:00 UTC)
    assert "Nuova" in names("2025-06-01 08:00")
    assert "Nuova" in names("2025-06-01T09:00:00 02:00")  # the offset's "+" left unescaped
    refused = client.get(url, {"modified_after": "ieri"})
    assert refused.status_code == 400 and "modified_after" in refused.json()


def test_minimal_services_are_id_and_last_modified(world, client):
    activity = _native_activity(world)
    contents = client.get("/api/hsds/services", {"minimal": "true"}).json()["contents"]
    modified = mapping.iso_datetime(activity.updated_at)
    assert {"id": str(activity.hsds_id), "last_modified": modified} in contents
    assert all(set(item) == {"id", "last_modified"} for item in contents)


def test_service_at_locations_take_the_service_filters(world, client):
    activity = _native_activity(world, "Coro filtrato")
    _native_activity(world, "Altro gruppo")
    term = activity.terms.get(code="musica")
    url = "/api/hsds/service_at_locations"
    found = client.get(url, {"search": "filtrato"}).json()["contents"]
    assert [item["service"]["id"] for item in found] == [str(activity.hsds_id)]
    by_term = client.get(url, {"taxonomy_term_id": str(term.hsds_id), "per_page": 200}).json()
    assert {item["service"]["id"] for item in by_term["contents"]} >= {str(activity.hsds_id)}
    organization = mapping.organisation_hsds_id(activity.organisation)
    by_org = client.get(url, {"organization_id": organization, "per_page": 200}).json()
    assert {i["service"]["organization_id"] for i in by_org["contents"]} == {organization}
    full = client.get(url, {"full": "true", "search": "filtrato"}).json()["contents"][0]
    assert "schedules" in full["service"]
    assert mapping.validation_errors("service_at_location", full) == []


def test_search_on_organizations_taxonomies_and_terms_is_by_name(world, client):
    association = world["association"]
    term = TaxonomyTerm.objects.get(code="musica")
    word = association.name.split()[-1][1:].upper()
    organizations = client.get("/api/hsds/organizations", {"search": word}).json()["contents"]
    assert organizations and all(word.lower() in o["name"].lower() for o in organizations)
    assert mapping.organisation_hsds_id(association) in {o["id"] for o in organizations}
    assert _ids(client, "/api/hsds/organizations", search="nessun ente si chiama così") == []
    taxonomy = term.taxonomy
    assert _ids(client, "/api/hsds/taxonomies", search=taxonomy.name[1:5]) == [
        str(taxonomy.hsds_id)
    ]
    assert _ids(client, "/api/hsds/taxonomies", search="zzz") == []
    terms = client.get("/api/hsds/taxonomy_terms", {"search": term.name}).json()["contents"]
    assert str(term.hsds_id) in {t["id"] for t in terms}
    assert all(term.name.lower() in t["name"].lower() for t in terms)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/hsds/service_at_locations?postcode=58031", "postcode"),
        ("/api/hsds/service_at_locations?proximity=1000", "proximity"),
        ("/api/hsds/organizations?full=true", "full"),
        ("/api/hsds/organizations?full_service=true", "full_service"),
        ("/api/hsds/services?format=ndjson", "format"),
        ("/api/hsds/taxonomies?format=ndjson", "format"),
    ],
)
def test_parameters_that_cannot_be_honoured_are_refused_by_name(url, name, world, client):
    response = client.get(url)
    assert response.status_code == 400 and name in response.json(), response.content


def test_unknown_parameters_are_ignored_and_json_is_the_format(world, client):
    _native_activity(world)
    everything = _ids(client, "/api/hsds/services")
    assert _ids(client, "/api/hsds/services", colour="blue") == everything
    assert _ids(client, "/api/hsds/services", format="json") == everything
    assert _ids(client, "/api/hsds/organizations", full="false") != []


@pytest.mark.parametrize(
    "value", ["0001-01-01", "9999-12-31T23:59:59-05:00", "1850-06-01", "2500-01-01"]
)
def test_a_date_far_from_ours_is_a_400_naming_modified_after(value, world, client):
    # (and an offset PostgreSQL does not know is read in UTC: see the test below)
    response = client.get("/api/hsds/services", {"modified_after": value})
    assert response.status_code == 400
    assert "modified_after" in response.json()


@pytest.mark.parametrize("resource", ["organizations", "taxonomies", "taxonomy_terms"])
def test_a_nul_byte_or_a_very_long_search_is_answered_not_a_500(resource, world, client):
    assert client.get(f"/api/hsds/{resource}", {"search": "a\x00b"}).status_code == 200
    assert client.get(f"/api/hsds/{resource}", {"search": "x" * 5000}).status_code == 200


def test_an_offset_beyond_postgresqls_range_is_read_in_utc(world, client):
    """Found by the API fuzzing on PostgreSQL: "-21:21" is a valid ISO offset that the
    database refuses; the moment is turned into UTC first."""
    response = client.get("/api/hsds/services", {"modified_after": "2131-11-25T04:58:31-21:21"})
    assert response.status_code == 200
    assert client.get("/api/hsds/services").status_code == 200
