"""Input that fuzzing found to break the server, by class: numbers beyond the database's range,
a `next` that is not a path of this site, JSON nested thousands of levels deep. Each answer is
a clear refusal (400 naming what is wrong, or the page again with the message), never a 500.

The pages and the API are called through the test client with `raise_request_exception` off,
so that a server error is seen as the 500 a visitor would get."""

import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from legami.core.api import MAX_JSON_DEPTH, json_too_deep
from legami.core.views_helpers import BIGINT_MAX, id_param, id_params, integer_param
from legami.directory.models import Activity
from legami.territory.models import District

HUGE = "12345678901234567890123"  # 23 digits, beyond any integer column


def _client(client_for, role):
    client = client_for(role)
    client.raise_request_exception = False
    return client


# --- one parser of integers ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("+42", 42),
        ("-42", -42),
        (str(BIGINT_MAX), BIGINT_MAX),
        (str(BIGINT_MAX + 1), None),
        (str(-(2**63)), -(2**63)),
        (str(-(2**63) - 1), None),
        (HUGE, None),
        ("²", None),  # "²".isdigit() is True, int("²") fails
        ("٣", None),  # int("٣") is 3: not what anyone typed in a form of this site
        ("1e3", None),
        ("NaN", None),
        ("1_000", None),
        ("0x10", None),
        ("4.0", None),
        ("", None),
        (None, None),
    ],
)
def test_integer_param_reads_ascii_whole_numbers_within_the_database_range(text, expected):
    assert integer_param(text) == expected


def test_integer_param_bounds_and_ids():
    assert integer_param("5", minimum=1, maximum=4) is None
    assert integer_param("0", minimum=0) == 0
    assert id_param("0") is None and id_param("-3") is None and id_param("7") == 7
    assert id_params(["3", "²", HUGE, "3", "x", "1"]) == [3, 1]


# --- numbers beyond the database's range --------------------------------------------------------
@pytest.mark.parametrize("resource", ["services", "organizations"])
def test_hsds_pages_beyond_any_number_are_refused_naming_the_parameter(client, world, resource):
    client.raise_request_exception = False
    response = client.get(f"/api/hsds/{resource}", {"page": HUGE})
    assert response.status_code == 400
    assert "page" in response.json()
    for name in ("page", "per_page"):
        assert client.get(f"/api/hsds/{resource}", {name: "²"}).status_code == 400


@pytest.mark.parametrize("resource", ["services", "organizations"])
def test_hsds_pages_past_the_last_are_empty_however_far(client, world, resource):
    for page in ("2", str(BIGINT_MAX)):
        response = client.get(f"/api/hsds/{resource}", {"page": page})
        assert response.status_code == 200
        data = response.json()
        assert data["empty"] is True and data["contents"] == []
        assert data["page_number"] == int(page) and data["total_items"] >= 1


def test_the_comune_filter_by_district_refuses_a_number_beyond_any_id(client, world):
    client.raise_request_exception = False
    for value in (HUGE, "1e400", "NaN", "²", "0"):
        response = client.get("/api/v1/territory/comuni/", {"district": value})
        assert response.status_code == 400, value
        assert "district" in response.json()
    response = client.get("/api/v1/territory/comuni/", {"district": world["district"].pk})
    assert [c["istat_code"] for c in response.json()["results"]] == ["053001"]


@pytest.mark.parametrize("field", ["targets", "domains", "needs"])
def test_the_activity_form_refuses_a_term_id_beyond_any_id(client_for, world, field):
    client = _client(client_for, "provider")
    response = client.post(
        reverse("directory:activity_create"),
        {
            "organisation": world["association"].pk,
            "name": "Laboratorio di ceramica",
            "description": "Si impara a modellare l'argilla.",
            "languages": ["it"],
            field: [HUGE],
        },
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert HUGE in str(response.context["form"].errors[field])
    assert not Activity.objects.filter(name="Laboratorio di ceramica").exists()


def test_the_referral_form_refuses_a_need_id_beyond_any_id(client_for, world, personas):
    from legami.network.models import Membership, Person
    from legami.referrals.models import Referral

    Membership.objects.create(
        person=Person.objects.create(
            first_name="Medi", last_name="Co", user=personas["prescriber"]
        ),
        organisation=world["comune_org"],
        role_title="Assistente sociale",
    )
    client = _client(client_for, "prescriber")
    response = client.post(reverse("referrals:create"), {"first_name": "Ada", "reasons": [HUGE]})
    assert response.status_code == 200
    assert "reasons" in response.context["form"].errors
    assert not Referral.objects.exists()


# --- where to go back to ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "target",
    [
        "NaN",  # a bare word: redirect() took it for the name of a view (NoReverseMatch, 500)
        "referrals:caseload",
        "//evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
        "http://testserver/invii/casi/",  # this site, but not a path: not what the forms send
        "javascript:alert(1)",
        "",
    ],
)
def test_assign_goes_back_only_to_a_path_of_this_site(client_for, world, target):
    client = _client(client_for, "link_worker")
    response = client.post(reverse("referrals:assign"), {"next": target, "ids": ["1"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:caseload")


def test_assign_keeps_the_filters_it_came_from(client_for, world):
    back = reverse("referrals:caseload") + "?view=all&status=open"
    response = _client(client_for, "link_worker").post(
        reverse("referrals:assign"), {"next": back, "ids": ["1"]}
    )
    assert response.status_code == 302 and response["Location"] == back


@pytest.mark.parametrize("ids", [["²"], [HUGE], ["1", "²", HUGE], ["-1"], ["x"]])
def test_assign_with_ids_that_are_not_ids_answers_with_a_message(client_for, world, ids):
    client = _client(client_for, "link_worker")
    response = client.post(reverse("referrals:assign"), {"ids": ids, "link_worker": "²"})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


# --- JSON nested thousands of levels deep -------------------------------------------------------
def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_depth_is_measured_without_parsing_and_strings_do_not_count():
    assert not json_too_deep(_nested(MAX_JSON_DEPTH))
    assert json_too_deep(_nested(MAX_JSON_DEPTH + 1))
    assert json_too_deep('{"a": ' * 5_000 + "1" + "}" * 5_000)
    brackets_in_text = json.dumps({"name": "[" * 5_000, "quote": '\\"[[[', "list": [[1], [2]]})
    assert not json_too_deep(brackets_in_text)
    wide = json.dumps([[n] for n in range(10_000)])
    assert not json_too_deep(wide)


@pytest.mark.parametrize("role", [None, "territory_admin"])
def test_a_json_body_nested_5000_deep_is_a_clear_400(client_for, world, role):
    client = _client(client_for, role)
    response = client.post(
        "/api/v1/territory/districts/", _nested(5_000), content_type="application/json"
    )
    expected = 400 if role else 403  # the anonymous visitor is refused before the body is read
    assert response.status_code == expected
    if role:
        assert str(MAX_JSON_DEPTH) in response.json()["detail"]
        assert not District.objects.filter(name="").exists()


def test_json_within_the_depth_limit_reaches_the_serializer(client_for, world):
    client = _client(client_for, "territory_admin")
    body = json.dumps({"name": "Valle", "comuni": [["053001"]]})
    response = client.post("/api/v1/territory/districts/", body, content_type="application/json")
    assert response.status_code == 400 and "comuni" in response.json()
    good = json.dumps({"name": "Valle del Fiora", "comuni": ["053001"]})
    response = client.post("/api/v1/territory/districts/", good, content_type="application/json")
    assert response.status_code == 201, response.content


def test_hsds_import_of_a_json_nested_3000_deep_names_the_file(world, tmp_path):
    path = tmp_path / "annidato.json"
    path.write_text(_nested(3_000))
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("hsds_import", str(path), stdout=io.StringIO(), stderr=stderr)
    assert "annidato.json" in stderr.getvalue() and str(MAX_JSON_DEPTH) in stderr.getvalue()


# --- the HTML forms, fuzzed ---------------------------------------------------------------------
NUMBERS = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(["²", "٣", "NaN", "1e400", "-0", "", " ", "0x1F", HUGE, "1" * 40]),
    st.text(max_size=12),
)
FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def test_the_activity_form_never_answers_a_server_error(client_for, world):
    client = _client(client_for, "provider")
    url = reverse("directory:activity_create")

    @FUZZ
    @given(
        data=st.fixed_dictionaries(
            {
                "organisation": NUMBERS,
                "place": NUMBERS,
                "name": st.text(max_size=30),
                "description": st.text(max_size=30),
                "domains": st.lists(NUMBERS, max_size=3),
                "needs": st.lists(NUMBERS, max_size=3),
                "targets": st.lists(NUMBERS, max_size=3),
                "min_age": NUMBERS,
                "max_age": NUMBERS,
                "capacity": NUMBERS,
                "referral_slots": NUMBERS,
                "languages": st.lists(st.sampled_from(["it", "en", "xx", ""]), max_size=2),
            }
        )
    )
    def post(data):
        response = client.post(url, data)
        assert response.status_code < 500, (data, response.status_code)

    post()


def test_bulk_assignment_never_answers_a_server_error(client_for, world):
    client = _client(client_for, "link_worker")
    url = reverse("referrals:assign")

    @FUZZ
    @given(
        ids=st.lists(NUMBERS, max_size=4),
        worker=NUMBERS,
        target=st.one_of(st.text(max_size=20), st.sampled_from(["NaN", "//x", "/ok/", "a:b"])),
    )
    def post(ids, worker, target):
        response = client.post(url, {"ids": ids, "link_worker": worker, "next": target})
        assert response.status_code == 302, (ids, worker, target, response.status_code)
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//")

    post()
