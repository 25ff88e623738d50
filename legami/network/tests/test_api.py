from legami.core.models import AuditEvent
from legami.network.models import Organisation


def test_anonymous_can_read_but_not_write(world, client):
    assert client.get("/api/v1/network/organisations/").status_code == 200
    response = client.post("/api/v1/network/organisations/", {"name": "X"})
    assert response.status_code == 403


def test_administrator_creates_through_the_same_service(world, client_for):
    client = client_for("territory_admin")
    response = client.post(
        "/api/v1/network/organisations/",
        {"name": "Coro di Arcidosso", "sector": "informal_group", "comune": "053001"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    org = Organisation.objects.get(name="Coro di Arcidosso")
    assert AuditEvent.objects.filter(object_id=str(org.pk), action="create").exists()


def test_bad_input_through_the_api_is_a_400_naming_the_field(world, client_for):
    client = client_for("territory_admin")
    response = client.post(
        "/api/v1/network/organisations/",
        {"name": "X", "sector": "business", "comune": "053001", "tax_code": "00297960198"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "tax_code" in response.json()
    response = client.post(
        "/api/v1/network/organisations/",
        {"name": "X", "sector": "business", "comune": "000000"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "comune" in response.json()
    assert not Organisation.objects.filter(name="X").exists()


def test_people_api_is_scoped_and_audited(world, client_for):
    response = client_for("territory_admin").get("/api/v1/network/people/")
    ids = {p["id"] for p in response.json()["results"]}
    assert world["person"].pk in ids and world["outside_person"].pk not in ids
    assert AuditEvent.objects.filter(object_type="network.person", action="list").exists()
    assert client_for("provider").get("/api/v1/network/people/").status_code == 403


def test_relationship_with_end_before_start_via_api(world, client_for):
    response = client_for("territory_admin").post(
        "/api/v1/network/relationships/",
        {
            "source": world["association"].pk,
            "target": world["comune_org"].pk,
            "kind": "agreement",
            "start_date": "2025-05-01",
            "end_date": "2025-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "end_date" in response.json()


def test_openapi_schema_and_offline_docs(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/network/organisations/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()
