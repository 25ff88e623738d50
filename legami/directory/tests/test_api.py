"""The directory's REST API: the same search, rules and scopes as the pages."""

from datetime import UTC, date, datetime

from django.urls import reverse
from icalendar import Calendar

from legami.directory.models import Activity, Place, TaxonomyTerm

ACTIVITIES = "/api/v1/directory/activities/"


def test_anyone_searches_published_activities_with_the_page_filters(world, client):
    data = client.get(ACTIVITIES, {"q": "castagneti", "weekday": "TU"}).json()
    assert [a["name"] for a in data["results"]] == ["Camminata nei castagneti"]
    assert data["results"][0]["schedules"][0]["byday"] == "TU"
    assert client.get(ACTIVITIES, {"weekday": "MO"}).json()["results"] == []
    # A draft of another organisation is never listed.
    names = [a["name"] for a in client.get(ACTIVITIES).json()["results"]]
    assert "Gruppo di cammino" not in names


def test_bad_filters_are_a_400_naming_the_parameter(world, client):
    response = client.get(ACTIVITIES, {"age": "molti", "comune": "Atlantide"})
    assert response.status_code == 400
    assert set(response.json()) == {"age", "comune"}


def test_provider_creates_a_draft_for_its_own_organisation(world, client_for):
    provider = client_for("provider")
    term = TaxonomyTerm.objects.get(code="musica")
    response = provider.post(
        ACTIVITIES,
        {
            "organisation": world["association"].pk,
            "place": world["place"].pk,
            "name": "Coro",
            "description": "Si canta.",
            "terms": [term.pk],
            "languages": "it,en",
            "capacity": 30,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    created = Activity.objects.get(pk=response.json()["id"])
    assert created.status == "draft" and created.languages == "it,en"
    assert list(created.terms.all()) == [term]


def test_api_refuses_bad_values_with_italian_messages_and_saves_nothing(world, client_for):
    provider = client_for("provider")
    response = provider.post(
        ACTIVITIES,
        {
            "organisation": world["association"].pk,
            "name": "Negativa",
            "description": "x",
            "capacity": -1,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "capacity" in response.json()
    other = provider.post(
        ACTIVITIES,
        {
            "organisation": world["outside_org"].pk,
            "name": "Intrusa",
            "description": "x",
        },
        content_type="application/json",
    )
    # Another organisation is not within the provider's reach: as if it did not exist.
    assert other.status_code == 404
    assert not Activity.objects.filter(name__in=["Negativa", "Intrusa"]).exists()


def test_api_place_outside_italy_is_refused(world, client_for):
    response = client_for("provider").post(
        "/api/v1/directory/places/",
        {
            "organisation": world["association"].pk,
            "name": "Londra",
            "comune": "053001",
            "latitude": 51.5,
            "longitude": -0.1,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "latitude" in response.json()
    assert not Place.objects.filter(name="Londra").exists()


def test_roles_and_scopes(world, client_for):
    payload = {"name": "Nuovo nome"}
    outside = f"{ACTIVITIES}{world['outside_activity'].pk}/"
    own = f"{ACTIVITIES}{world['activity'].pk}/"
    assert client_for(None).patch(own, payload, content_type="application/json").status_code == 403
    assert (
        client_for("citizen").patch(own, payload, content_type="application/json").status_code
        == 403
    )
    assert (
        client_for("provider").patch(outside, payload, content_type="application/json").status_code
        == 404
    )
    response = client_for("provider").patch(own, payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["name"] == "Nuovo nome"


def test_vocabularies_carry_three_languages(world, client):
    terms = client.get("/api/v1/directory/taxonomy-terms/").json()["results"]
    loneliness = next(t for t in terms if t["code"] == "solitudine")
    assert (loneliness["name"], loneliness["name_en"], loneliness["name_fr"]) == (
        "Solitudine e isolamento",
        "Loneliness and isolation",
        "Solitude et isolement",
    )


def test_calendar_file_repeats_weekly_in_rome_time(world, client):
    response = client.get(reverse("directory:activity_calendar", args=[world["activity"].pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["summary"]) == "Camminata nei castagneti"
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU"]
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Rome" and (start.hour, start.minute) == (9, 30)
    assert "Castello" in str(event["location"])
    assert calendar.walk("VTIMEZONE")


def test_calendar_until_is_written_in_utc(world, client):
    schedule = world["activity"].schedules.first()
    schedule.valid_to = date(2026, 6, 30)
    schedule.save()
    response = client.get(reverse("directory:activity_calendar", args=[world["activity"].pk]))
    # The end of 30 June in Rome (summer time, UTC+2) is 21:59:59 UTC.
    assert b"UNTIL=20260630T215959Z" in response.content.replace(b"\r\n ", b"")
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert event["rrule"]["UNTIL"][0] == datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC)
