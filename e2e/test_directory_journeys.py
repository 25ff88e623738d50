"""Journeys through the community directory, as the people who use it."""

from datetime import date, time, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, sign_in, tick
from legami.directory import services
from legami.directory.models import Activity
from legami.learning import services as training
from legami.learning.models import Registration


def _second_place(world, personas):
    su = personas["superuser"]
    place = services.place_create(
        by=su,
        organisation=world["association"],
        name="Pieve",
        comune=world["arcidosso"],
        latitude=42.889,
        longitude=11.544,
    )
    activity = services.activity_create(
        by=su,
        organisation=world["association"],
        place=place,
        name="Coro di comunità",
        description="Si canta insieme.",
    )
    services.schedule_add(
        by=su,
        activity=activity,
        freq="WEEKLY",
        byday="TH",
        opens_at=time(21),
        closes_at=time(22),
        valid_from=date(2025, 9, 4),
    )
    services.activity_set_status(by=su, activity=activity, status="published")


def _training_session(world):
    course = training.course_create(
        by=None, data={"title": "Welfare culturale e prescrizione sociale nelle aree interne"}
    )
    starts = timezone.now() + timedelta(days=9)
    return training.session_create(
        by=None,
        course=course,
        data={
            "title": "Welfare culturale: strumenti, processi e metodi",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "comune": world["arcidosso"],
            "address": "Castello Aldobrandesco",
            "capacity": 30,
        },
    )


def test_citizen_finds_an_activity_on_the_map_and_registers_for_training_on_a_phone(
    world, personas, open_page, journey
):
    _second_place(world, personas)
    session = _training_session(world)
    page = open_page(PHONE)
    page.goto("/attivita/")
    journey.check_accessibility(page, "search")
    page.fill("input[name=q]", "castagneti")
    page.locator("form[role=search] button[type=submit]").click()
    assert page.locator(".legami-results h2").all_inner_texts() == ["Camminata nei castagneti"]
    page.locator("a[href*='view=map']").click()
    page.wait_for_selector("#legami-map[data-loaded]")
    assert page.get_attribute("#legami-map", "data-loaded") == "1"
    journey.check_accessibility(page, "map")
    page.locator(".leaflet-marker-icon").first.click()
    page.locator(".leaflet-popup-content a").click()
    page.locator(".legami-results h2 a", has_text="Camminata nei castagneti").click()
    assert page.locator("h1").inner_text() == "Camminata nei castagneti"
    journey.check_accessibility(page, "activity")
    calendar = page.locator("a[href$='calendario.ics']")
    assert calendar.count() == 1
    response = page.request.get(calendar.get_attribute("href"))
    body = response.body().decode()
    assert response.ok and "RRULE:FREQ=WEEKLY" in body and "BYDAY=TU" in body

    # The same person, a volunteer, signs up for the territory's training.
    page.goto("/formazione/")
    journey.check_accessibility(page, "training")
    page.locator(f"a[href='/formazione/sessioni/{session.pk}/']").click()
    expect(page.locator("h1")).to_have_text(
        "Welfare culturale e prescrizione sociale nelle aree interne"
    )
    page.locator("#id_first_name").fill("Giulia")
    page.locator("#id_last_name").fill("Rossi")
    page.locator("#id_email").fill("giulia.rossi@example.org")
    page.locator("#id_organisation_name").fill("Associazione Amiata Cammina")
    tick(page, "#id_privacy")
    journey.check_accessibility(page, "training-registration")
    page.get_by_role("button", name="Iscriviti a questo incontro").click()
    expect(page.locator("h1")).to_have_text("Iscrizione confermata")
    journey.check_accessibility(page, "training-registered")
    assert Registration.objects.get().email == "giulia.rossi@example.org"


def test_citizen_searches_near_a_comune_on_a_desktop(world, personas, open_page, journey):
    _second_place(world, personas)
    page = open_page(DESKTOP)
    page.goto("/attivita/?comune=Arcidosso&radius_km=15&sort=distance")
    titles = page.locator(".legami-results h2").all_inner_texts()
    assert titles == ["Camminata nei castagneti", "Coro di comunità"]
    journey.check_accessibility(page, "near-arcidosso")


def test_provider_lists_schedules_and_publishes_an_activity(world, personas, open_page, journey):
    page = open_page(DESKTOP)
    sign_in(page, personas["provider"])
    page.goto("/attivita/gestione/")
    journey.check_accessibility(page, "my-listings")
    page.locator("a[href='/attivita/nuova/']").click()
    page.select_option("select[name=organisation]", str(world["association"].pk))
    page.fill("input[name=name]", "Gruppo di lettura ad alta voce")
    page.fill("textarea[name=description]", "Si legge insieme ad alta voce, ogni venerdì.")
    page.select_option("select[name=place]", str(world["place"].pk))
    tick(page, "input[name=domains]")
    journey.check_accessibility(page, "new-activity")
    page.locator("form.legami-form button[type=submit]").click()
    tick(page, "input[name=days][value=FR]")
    page.fill("input[name=opens_at]", "10:00")
    page.fill("input[name=closes_at]", "11:30")
    page.fill("input[name=valid_from]", "2025-09-05")
    journey.check_accessibility(page, "schedule")
    page.locator("form.legami-form button[type=submit]").click()
    page.locator("a[href$='/stato/']").click()
    page.select_option("select[name=status]", "published")
    page.locator("form.legami-form button[type=submit]").click()
    journey.shot(page, "published")
    activity = Activity.objects.get(name="Gruppo di lettura ad alta voce")
    assert activity.status == "published" and activity.schedules.get().byday == "FR"

    citizen = open_page(PHONE)
    citizen.goto("/attivita/?weekday=FR")
    assert "Gruppo di lettura ad alta voce" in citizen.locator(".legami-results").inner_text()


def test_territory_admin_suspends_a_listing_and_reads_the_gaps(world, personas, open_page, journey):
    page = open_page(DESKTOP)
    sign_in(page, personas["territory_admin"])
    page.goto(f"/attivita/{world['activity'].pk}/stato/")
    page.select_option("select[name=status]", "suspended")
    page.locator("form.legami-form button[type=submit]").click()
    # Without a reason the form says what is missing, on the field.
    assert page.locator(".alert-danger a[href='#id_note']").count() == 1
    journey.check_accessibility(page, "suspend-needs-reason")
    page.fill("textarea[name=note]", "Orari da confermare con l'associazione")
    page.locator("form.legami-form button[type=submit]").click()
    world["activity"].refresh_from_db()
    assert world["activity"].status == "suspended"
    page.goto("/attivita/copertura/?gaps=1")
    assert "Arcidosso" in page.locator("table").inner_text()
    journey.check_accessibility(page, "coverage")


# Issue 15: a first visit to the directory on a phone, at most this much over the network.
FIRST_VISIT_BUDGET = 500 * 1024


def test_a_first_visit_to_the_directory_on_a_phone_stays_within_its_byte_budget(
    world, personas, open_page
):
    """A person in an inner-area village on a slow phone connection: the first visit (empty
    cache) moves compressed, hashed files; the second takes the styles and scripts from the
    browser's cache."""
    page = open_page(PHONE)
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto("/attivita/", wait_until="networkidle")
    ours = [r for r in requests if r.url.startswith("http://127.0.0.1")]
    moved = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in ours)
    statics = [r for r in ours if "/static/" in r.url]
    assert statics, "the page names no static file"
    encodings = {r.response().headers.get("content-encoding") for r in statics}
    assert "gzip" in encodings or "br" in encodings
    forever = [r.response().headers.get("cache-control", "") for r in statics]
    assert all("max-age=315360000" in value or "immutable" in value for value in forever)
    assert moved <= FIRST_VISIT_BUDGET, f"{moved} bytes on the first visit"
    print(f"first visit to /attivita/ on a phone: {moved} bytes in {len(ours)} responses")
