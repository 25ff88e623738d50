"""Searching the directory as a citizen does: by words, needs, place, distance and time."""

import math
import re
import uuid
from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legami.core import geo
from legami.directory.models import TaxonomyTerm
from legami.territory.models import Comune

from . import factories

SEARCH = "/attivita/"


def names(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h2 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', html)


def term(code):
    return TaxonomyTerm.objects.get(
        code=code, taxonomy__code__in=["domain", "need", "target_group"]
    ).pk


@pytest.fixture
def offer(world, personas):
    """Around Arcidosso: the world's walk (Tuesday morning, €5, step-free) plus a choir in the
    evening 2 km away, a free garden 37 km away in Massa Marittima, and a draft."""
    su = personas["superuser"]
    org = world["association"]
    Comune.objects.filter(pk=world["massa"].pk).update(latitude=43.0497, longitude=10.8886)
    near = factories.place(
        su,
        org,
        world["arcidosso"],
        name="Pieve",
        latitude=42.8890,
        longitude=11.5440,
        hearing_access=True,
    )
    far = factories.place(  # about 37 km from Arcidosso
        su, org, world["massa"], name="Giardino", latitude=42.95, longitude=11.10
    )
    choir = factories.activity(
        su,
        org,
        place=near,
        name="Coro di comunità",
        term_codes=["musica", "umore-ansia", "adulti"],
        schedule=("WEEKLY", "TU", time(21), time(22, 30)),
        languages="it,en",
    )
    garden = factories.activity(
        su,
        org,
        place=far,
        name="Orto condiviso",
        term_codes=["giardinaggio", "solitudine"],
        schedule=("WEEKLY", "WE,SA", time(15), time(18)),
        min_age=18,
    )
    draft = factories.activity(su, org, place=near, name="Bozza nascosta", publish=False)
    return {"walk": world["activity"], "choir": choir, "garden": garden, "draft": draft}


def test_everything_published_is_listed_and_drafts_are_not(offer, client):
    found = names(client.get(SEARCH))
    assert sorted(found) == sorted(
        ["Camminata nei castagneti", "Coro di comunità", "Orto condiviso"]
    )


def test_words_match_other_forms_of_the_same_word(offer, client):
    # "passeggiate" (plural) finds "Passeggiata" in the description, on both databases.
    assert names(client.get(SEARCH, {"q": "passeggiate"})) == ["Camminata nei castagneti"]
    assert names(client.get(SEARCH, {"q": "orti condivisi"})) == ["Orto condiviso"]
    assert names(client.get(SEARCH, {"q": "cori"})) == ["Coro di comunità"]


def test_words_without_accents_find_accented_text(offer, client):
    assert names(client.get(SEARCH, {"q": "comunita"})) == ["Coro di comunità"]


def test_a_domain_includes_its_sub_domains(offer, client):
    found = names(client.get(SEARCH, {"domain": term("ambiente")}))
    assert sorted(found) == ["Camminata nei castagneti", "Orto condiviso"]


def test_needs_are_alternatives_and_groups_combine(offer, client):
    either = names(client.get(SEARCH, {"need": [term("umore-ansia"), term("solitudine")]}))
    assert sorted(either) == ["Camminata nei castagneti", "Coro di comunità", "Orto condiviso"]
    both = names(client.get(SEARCH, {"need": term("solitudine"), "domain": term("cultura")}))
    assert both == []


def test_age_excludes_activities_for_older_people(offer, client):
    assert "Orto condiviso" not in names(client.get(SEARCH, {"age": 16}))
    assert "Orto condiviso" in names(client.get(SEARCH, {"age": 30}))


def _haversine(a, b):
    """An independent reference for distances on the sphere."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_within_a_distance_of_a_comune_sorted_by_distance(offer, client):
    response = client.get(SEARCH, {"comune": "Arcidosso", "radius_km": 15, "sort": "distance"})
    assert names(response) == ["Camminata nei castagneti", "Coro di comunità"]
    wide = client.get(SEARCH, {"comune": "053001", "radius_km": 50, "sort": "distance"})
    assert names(wide)[-1] == "Orto condiviso"


def test_distances_agree_with_the_haversine_formula(world):
    origin = (42.8713, 11.5410)
    for target in [(42.8890, 11.5440), (43.0497, 10.8886), (42.7635, 11.1124)]:
        ours = geo.distance_km(origin, *target)
        assert ours == pytest.approx(_haversine(origin, target), rel=0.002)


def test_a_comune_without_known_position_says_so(offer, client):
    response = client.get(SEARCH, {"comune": "Zola Predosa", "radius_km": 15})
    assert response.status_code == 200
    assert "Zola Predosa" in response.content.decode()
    assert "non è ancora nota" in response.content.decode()


def test_day_and_time_of_day(offer, client):
    assert names(client.get(SEARCH, {"weekday": "TU", "time_band": "morning"})) == [
        "Camminata nei castagneti"
    ]
    assert names(client.get(SEARCH, {"weekday": "TU", "time_band": "evening"})) == [
        "Coro di comunità"
    ]
    assert names(client.get(SEARCH, {"weekday": "SA"})) == ["Orto condiviso"]
    assert names(client.get(SEARCH, {"weekday": "MO"})) == []


def test_free_accessible_and_language_filters(offer, client):
    free = names(client.get(SEARCH, {"free": "1"}))
    assert "Camminata nei castagneti" not in free  # it has a €5 membership card
    assert names(client.get(SEARCH, {"access": "wheelchair"})) == ["Camminata nei castagneti"]
    assert names(client.get(SEARCH, {"access": "hearing"})) == ["Coro di comunità"]
    assert names(client.get(SEARCH, {"language": "en"})) == ["Coro di comunità"]


def test_sort_by_next_session_and_name(offer, client):
    by_name = names(client.get(SEARCH, {"sort": "name"}))
    assert by_name == sorted(by_name)
    by_next = client.get(SEARCH, {"sort": "next"})
    assert by_next.status_code == 200 and len(names(by_next)) == 3


def test_the_map_groups_matching_activities_by_place(offer, client):
    data = client.get(reverse("directory:map_points"), {"weekday": "TU"}).json()
    by_name = {p["name"]: p["activities"] for p in data["points"]}
    assert by_name == {"Castello": 1, "Pieve": 1}
    assert data["truncated"] is False


def test_bad_filters_give_messages_not_errors(offer, client):
    response = client.get(
        SEARCH,
        {
            "age": "tanti",
            "comune": "Atlantide",
            "sort": "distance",
            "radius_km": "7",
            "domain": "999999",
            "page": "-4",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Atlantide" in text
    assert 'href="#id_age"' in text and 'href="#id_comune"' in text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "age",
                "comune",
                "radius_km",
                "lat",
                "lon",
                "weekday",
                "time_band",
                "free",
                "access",
                "language",
                "sort",
                "page",
                "domain",
                "district",
                "place",
            ]
        ),
        st.text(max_size=30),
        max_size=6,
    )
)
def test_no_combination_of_parameters_breaks_the_search(offer, client, params):
    params = {k: v.replace("\x00", "") for k, v in params.items()}
    assert client.get(SEARCH, params).status_code == 200
    assert client.get(reverse("directory:map_points"), params).status_code == 200


ALL_FILTERS = {
    "q": "camminata",
    "domain": "",
    "need": "",
    "target": "",
    "age": 40,
    "comune": "Arcidosso",
    "radius_km": 50,
    "weekday": "TU",
    "time_band": "morning",
    "free": "",
    "access": "wheelchair",
    "language": "it",
    "sort": "distance",
}


def _queries_for(client, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(SEARCH, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params", [{}, ALL_FILTERS, {"sort": "next", "free": "1"}, {"q": "coro", "need": "solitudine"}]
)
def test_queries_do_not_grow_with_the_data(
    offer, client, personas, world, params, django_assert_max_num_queries
):
    params = dict(params)
    for key in ("domain", "need"):
        if params.get(key):
            params[key] = term(params[key])
    client.get(SEARCH, params)  # fills the vocabulary cache, read by every later page
    before = _queries_for(client, params)
    su = personas["superuser"]
    place = factories.place(
        su,
        world["association"],
        world["arcidosso"],
        name="Altro",
        latitude=42.87,
        longitude=11.54,
        wheelchair_access=True,
    )
    for n in range(30):
        factories.activity(
            su,
            world["association"],
            place=place,
            name=f"Camminata {n}",
            term_codes=["camminate-natura", "solitudine"],
        )
    assert _queries_for(client, params) == before
    with django_assert_max_num_queries(8):
        client.get(SEARCH, params)


def test_word_index_follows_every_write(world, client):
    """Words are found through an index the database keeps itself (FTS5 over the stems on
    SQLite, a tsvector on PostgreSQL), for writes the ORM makes row by row, in bulk or by
    UPDATE. On SQLite a later migration that rebuilds the activity table would drop the
    index's triggers: this test is what notices."""
    from legami.directory.models import Activity

    activity = world["activity"]
    assert names(client.get(SEARCH, {"q": "castagneti"})) == ["Camminata nei castagneti"]
    Activity.objects.filter(pk=activity.pk).update(
        search_stems=" racchett nev ", search_text=" racchette neve "
    )
    assert names(client.get(SEARCH, {"q": "racchette"})) == ["Camminata nei castagneti"]
    assert names(client.get(SEARCH, {"q": "castagneti"})) == []
    clone = Activity.objects.get(pk=activity.pk)
    clone.pk = None
    clone.hsds_id = uuid.uuid4()
    clone.name = "Ciaspolata"
    clone.search_stems = " ciaspol "
    clone.search_text = " ciaspolata "
    Activity.objects.bulk_create([clone])
    assert names(client.get(SEARCH, {"q": "ciaspolata"})) == ["Ciaspolata"]
    Activity.objects.filter(name="Ciaspolata").delete()
    assert names(client.get(SEARCH, {"q": "ciaspolata"})) == []


# --- several days, suggestions, results first ---------------------------------------------------
@pytest.fixture
def saturday_market(offer, world, personas):
    return factories.activity(
        personas["superuser"],
        world["association"],
        place=offer["choir"].place,
        name="Mercato del sabato",
        schedule=("WEEKLY", "SA", time(9), time(12)),
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (["SA"], ["Mercato del sabato", "Orto condiviso"]),
        (
            ["TU", "SA"],
            [
                "Camminata nei castagneti",
                "Coro di comunità",
                "Mercato del sabato",
                "Orto condiviso",
            ],
        ),  # noqa: E501
        (["MO-FR"], ["Camminata nei castagneti", "Coro di comunità", "Orto condiviso"]),
        (
            ["MO-FR", "SA"],
            [
                "Camminata nei castagneti",
                "Coro di comunità",
                "Mercato del sabato",
                "Orto condiviso",
            ],
        ),  # noqa: E501
        (["TH", "SU"], []),
        (
            ["MO-FR", "nonsense"],
            [
                "Camminata nei castagneti",
                "Coro di comunità",
                "Mercato del sabato",
                "Orto condiviso",
            ],
        ),  # noqa: E501
    ],
)
def test_several_days_are_alternatives_and_monday_to_friday_leaves_out_the_weekend(
    saturday_market, client, days, expected
):
    # An unknown day makes the whole filter not understood, said beside it: the search runs
    # without it rather than guessing.
    response = client.get(SEARCH, {"weekday": days})
    assert response.status_code == 200
    assert sorted(names(response)) == expected


def test_the_api_takes_several_days_too(saturday_market, client):
    data = client.get("/api/v1/directory/activities/", {"weekday": ["MO-FR"]}).json()
    assert sorted(a["name"] for a in data["results"]) == [
        "Camminata nei castagneti",
        "Coro di comunità",
        "Orto condiviso",
    ]


def test_a_misspelled_comune_offers_the_close_one_as_a_link_that_searches_again(offer, client):
    response = client.get(SEARCH, {"comune": "arcidoso", "weekday": "TU"})
    assert response.status_code == 200
    html = response.content.decode()
    suggestion = re.search(
        r'<p [^>]*id="comune-suggestion"[^>]*><a href="([^"]+)">([^<]+)</a>', html
    )
    assert suggestion is not None
    assert "Arcidosso" in suggestion[2]
    href = suggestion[1].replace("&amp;", "&")
    assert href.endswith("#risultati") and "comune=Arcidosso" in href and "weekday=TU" in href
    again = client.get(SEARCH + href.split("#")[0])
    assert 'id="comune-suggestion"' not in again.content.decode()
    assert sorted(names(again)) == ["Camminata nei castagneti", "Coro di comunità"]


def test_a_comune_far_from_any_name_says_it_is_unknown_without_a_guess(offer, client):
    response = client.get(SEARCH, {"comune": "Xyzzyvalle"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="comune-suggestion"' not in html
    assert "Xyzzyvalle" in html and 'role="alert"' in html  # named in the filters' message
    # the search ran on the rest: everything published is listed
    assert len(names(response)) == 3


def test_the_comune_field_suggests_the_comuni_with_activities(offer, world, client):
    html = client.get(SEARCH).content.decode()
    options = reverse("directory:comuni_options")
    assert 'list="comuni-suggeriti"' in html
    assert f'hx-get="{options}"' in html
    listed = re.findall(r'<option value="([^"]+)">', client.get(options).content.decode())
    # Arcidosso (walk, choir) and Massa Marittima (garden); Zola Predosa has no activity
    assert listed == [str(world["arcidosso"]), str(world["massa"])]


def test_after_a_search_the_filters_fold_and_the_results_come_first(offer, client):
    first = client.get(SEARCH).content.decode()
    assert 'id="filtri" class="collapse d-lg-block show"' in first
    assert 'action="/attivita/#risultati"' in first
    searched = client.get(SEARCH, {"q": "coro"}).content.decode()
    assert 'id="filtri" class="collapse d-lg-block"' in searched
    assert '<section class="col-lg-8" id="risultati" tabindex="-1"' in searched
    # a filter not understood keeps them open, to be corrected
    wrong = client.get(SEARCH, {"age": "tanti"}).content.decode()
    assert 'id="filtri" class="collapse d-lg-block show"' in wrong


def test_the_search_page_offers_to_ask_for_help(offer, client, client_for):
    help_url = reverse("referrals:self_refer")
    assert f'href="{help_url}"' in client.get(SEARCH).content.decode()
    assert f'href="{help_url}"' in client_for("citizen").get(SEARCH).content.decode()
    assert f'href="{help_url}"' not in client_for("prescriber").get(SEARCH).content.decode()
