"""API fuzzing with schemathesis against the OpenAPI schema, for each role.

Every operation of /api/schema/ is called with data generated from the schema (valid data, and
data that breaks the schema), through the real WSGI stack (CSRF, sessions, the second-factor
middleware), as an anonymous visitor and signed in with every role (citizen, prescriber, link
worker, provider, territory administrator, evaluator, DPO, superuser). No answer may be a
server error, and every answer must be one the schema documents: status code, content type,
headers and body.

Bounded: a few examples per operation and mode, derandomised (the same cases on every run),
no shrinking, no example database written to disk.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from legami.core import roles

ROLES = [None, *roles.ALL_ROLES]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are created per test; the production hasher (a million PBKDF2 rounds) would
    spend most of the run hashing their passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def api():
    """Django's WSGI handler, as a server runs it, and the schema it serves (read once)."""
    app = WSGIHandler()
    with _connection_kept():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    return app, schema


@contextmanager
def _connection_kept():
    """Like Django's test client, requests do not close the database connection at their
    end, so they run inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _known_ids(world):
    """Ids of objects that exist, so that detail, update and partial update reach real rows."""
    from legami.core.tests.test_access_matrix import _hsds_kwargs, _relationship

    hsds = {name.split(":")[1]: kwargs["id"] for name, kwargs in _hsds_kwargs(world).items()}
    return {
        "/api/v1/directory/activities/{id}/": {"id": world["activity"].pk},
        "/api/v1/directory/places/{id}/": {"id": world["place"].pk},
        "/api/v1/directory/taxonomy-terms/{id}/": {"id": world["term"].pk},
        "/api/v1/network/organisations/{id}/": {"id": world["association"].pk},
        "/api/v1/network/people/{id}/": {"id": world["person"].pk},
        "/api/v1/network/programmes/{id}/": {"id": world["programme"].pk},
        "/api/v1/network/relationships/{id}/": {"id": _relationship(world).pk},
        "/api/v1/territory/comuni/{istat_code}/": {"istat_code": "053001"},
        "/api/v1/territory/districts/{id}/": {"id": world["district"].pk},
        "/api/v1/territory/provinces/{code}/": {"code": "053"},
        "/api/v1/territory/regions/{code}/": {"code": "09"},
        "/api/hsds/services/{id}": {"id": str(hsds["service-detail"])},
        "/api/hsds/organizations/{id}": {"id": str(hsds["organization-detail"])},
        "/api/hsds/service_at_locations/{id}": {"id": str(hsds["service_at_location-detail"])},
        "/api/hsds/taxonomies/{id}": {"id": str(hsds["taxonomy-detail"])},
        "/api/hsds/taxonomy_terms/{id}": {"id": str(hsds["taxonomy_term-detail"])},
    }


def _fuzz(operation, mode, known, call):
    strategy = operation.as_strategy(generation_mode=mode)
    if known:
        strategy = st.one_of(strategy, operation.as_strategy(mode, path_parameters=known))

    @hypothesis_settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        call(case)

    run()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_api_answers_every_generated_request_as_its_schema_says(role, world, client_for, api):
    app, schema = api
    cookies = {}
    if role is not None:
        client = client_for(role)
        cookies["sessionid"] = client.cookies["sessionid"].value
    token = get_random_string(32)
    cookies["csrftoken"] = token
    headers = {"X-CSRFToken": token}
    known_ids = _known_ids(world)

    def call(case):
        response = case.call(app=app, cookies=cookies, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    failures = []
    operations = 0
    with _connection_kept():
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            for mode in EXAMPLES:
                try:
                    _fuzz(operation, mode, known_ids.get(operation.path), call)
                except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collect all
                    failures.append(f"{operation.label} ({mode.value}): {str(error)[:1500]}")
    assert operations >= 40
    assert not failures, "\n\n".join(failures)


# --- what the fuzzing found, pinned down --------------------------------------------------


def test_a_district_created_without_a_kind_gets_the_default_kind(world, client_for):
    """Was a 500: the serializer left `kind` optional (the model has a default), the service
    required it."""
    response = client_for("territory_admin").post(
        "/api/v1/territory/districts/",
        {"name": "Colline del Fiora", "comuni": ["053001"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "social"


def test_unknown_api_addresses_answer_json_not_an_html_page(client, db):
    for url in ("/api/v1/territory/regions/%E9%8D%88/", "/api/hsds/services/non-un-uuid"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
    assert client.get("/pagina-che-non-esiste/")["Content-Type"].startswith("text/html")


def test_the_schema_documents_errors_and_local_times(client, db):
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "403", "404"} <= set(operation["responses"]), f"{method} {path}"
    opens_at = schema["components"]["schemas"]["Schedule"]["properties"]["opens_at"]
    assert opens_at["format"] == "partial-time" and opens_at["pattern"].startswith("^")
