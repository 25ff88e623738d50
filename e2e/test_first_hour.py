"""Each role's first hour: from the public home page, sign in (with the second factor where the
role sees personal data) and reach the role's main work by clicking only, through *Area
personale* and the header menu, both drawn from the modules' manifests. No address is typed
after the home page: a page no link leads to is a page nobody finds. In Italian."""

import csv
import io
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PASSWORD, PHONE, totp_code
from legami.learning import services as learning
from legami.outcomes.tests.test_responses import record
from legami.outcomes.views import RESEARCH_COLUMNS as ANSWER_COLUMNS
from legami.referrals import services
from legami.referrals.models import Status
from legami.referrals.tests import conftest as referral_world
from legami.referrals.views.documents import RESEARCH_COLUMNS as REFERRAL_COLUMNS

care = referral_world.care
engage = referral_world.engage


def it(text: str) -> str:
    """The words a page shows, in Italian (the catalogue's, or the source's while untranslated)."""
    with translation.override("it"):
        return gettext(text)


def starting(text: str) -> re.Pattern:
    # A link's name in the area ends with its count ("3 in ritardo"): the label starts it.
    return re.compile("^" + re.escape(it(text)))


def sign_in_from_home(page, user):
    """The public home page, its "Accedi" button, e-mail and password, then the TOTP code."""
    page.goto("/")
    expect(page.locator("h1")).to_have_text(it("Legami: community welfare"))
    page.locator(".it-header-slim-wrapper").get_by_role("link", name=it("Sign in")).click()
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    # A code typed as its 30-second window closes is refused: typed again from the next one.
    for _attempt in range(2):
        if not page.locator("input[name=code]").count():
            break
        page.fill("input[name=code]", totp_code(user))
        with page.expect_navigation():
            page.locator("input[name=code]").press("Enter")
    # Signing in lands in the person's area.
    expect(page.locator("h1")).to_have_text(it("My area"))


def area(page):
    return page.locator("main ul.legami-work")


def from_area(page, label, h1, path):
    """Click one of the area's links and land on the page it names."""
    area(page).get_by_role("link", name=starting(label)).click()
    expect(page).to_have_url(re.compile(re.escape(path) + r"(\?.*)?$"))
    expect(page.locator("h1")).to_have_text(h1)


def from_menu(page, label, h1, path):
    page.locator("#main-menu").get_by_role("link", name=it(label), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(path) + r"(\?.*)?$"))
    expect(page.locator("h1")).to_have_text(h1)


def back_to_area(page):
    page.locator("#main-menu").get_by_role("link", name=it("My area"), exact=True).click()
    expect(page.locator("h1")).to_have_text(it("My area"))


def in_menu(page, *labels):
    menu = page.locator("#main-menu")
    for label in labels:
        expect(menu.get_by_role("link", name=it(label), exact=True)).to_have_count(1)


def not_in_menu(page, *labels):
    menu = page.locator("#main-menu")
    for label in labels:
        expect(menu.get_by_role("link", name=it(label), exact=True)).to_have_count(0)


def test_prescriber_refers_and_follows_their_referrals(care, open_page, journey):
    page = open_page(DESKTOP)
    sign_in_from_home(page, care["prescriber"])
    in_menu(page, "Referrals")
    not_in_menu(page, "Caseload", "Referral inbox", "Data-subject requests", "Impact")
    journey.check_accessibility(page, "area")
    from_area(page, "Refer a person", "Invia una persona", reverse("referrals:create"))
    expect(page.locator("input[name=first_name]")).to_be_visible()

    from_menu(page, "Referrals", it("My referrals"), reverse("referrals:list"))
    # First name and initial: enough for the prescriber to recognise the person.
    row = page.locator("table tbody tr", has_text="Maria R.")
    expect(row).to_have_count(1)
    with translation.override("it"):
        status = str(Status(care["referral"].status).label)
    expect(row).to_contain_text(status)
    journey.check_accessibility(page, "my-referrals")


def test_link_worker_finds_the_caseload_and_the_follow_ups_due(care, open_page, journey):
    worker = care["link_worker"]
    services.referral_assign(by=worker, referrals=[care["referral"]], link_worker=worker)
    # The baseline questionnaire 100 days ago: the 3-month follow-up is overdue.
    record(care, administered_on=timezone.localdate() - timedelta(days=100))
    page = open_page(DESKTOP)
    sign_in_from_home(page, worker)
    in_menu(page, "Caseload")
    not_in_menu(page, "Referral inbox", "Data-subject requests", "Referrals")
    due = area(page).get_by_role("link", name=starting("Questionnaires due"))
    expect(due.locator(".badge")).to_have_text(f"1 {it('due')}")
    journey.check_accessibility(page, "area")

    from_area(page, "My caseload", it("Caseload"), reverse("referrals:caseload"))
    case = page.locator("table tbody tr", has_text="Maria Rossi")
    expect(case).to_have_count(1)
    expect(case).to_contain_text("WHO-5")
    journey.check_accessibility(page, "caseload")

    back_to_area(page)
    from_area(page, "Questionnaires due", it("Questionnaires due"), reverse("outcomes:due"))
    expect(page.locator("main")).to_contain_text("Maria")
    expect(page.locator("main")).to_contain_text("WHO-5")


def test_provider_answers_keeps_the_register_and_the_listings(care, open_page, journey):
    referral = engage(care)
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=care["activity"]
    )
    services.enrolment_respond(by=care["provider"], enrolment=enrolment, accept=True)
    activity = care["activity"].name
    page = open_page(DESKTOP)
    sign_in_from_home(page, care["provider"])
    in_menu(page, "Referral inbox")
    not_in_menu(page, "Caseload", "Referrals", "Data-subject requests", "Access log", "Impact")
    journey.check_accessibility(page, "area")

    from_area(
        page,
        "Referral inbox and session registers",
        it("Referrals to your activities"),
        reverse("referrals:inbox"),
    )
    expect(page.locator("table tbody tr", has_text=activity)).to_have_count(1)
    register = f"{it('Session register')}: {activity}"
    page.get_by_role("link", name=register, exact=True).click()
    expect(page.locator("h1")).to_have_text(register)
    journey.check_accessibility(page, "register")

    back_to_area(page)
    from_area(page, "My listings", it("My listings"), reverse("directory:manage"))
    expect(page.locator("main")).to_contain_text(activity)
    expect(page.locator("main")).not_to_contain_text(care["outside_activity"].name)


def test_territory_admin_runs_programmes_training_directory_and_impact(care, open_page, journey):
    page = open_page(DESKTOP)
    sign_in_from_home(page, care["territory_admin"])
    in_menu(page, "Programmes", "Training", "Impact")
    not_in_menu(page, "Caseload", "Referral inbox", "Data-subject requests")
    journey.check_accessibility(page, "area")

    from_area(page, "Programmes", it("Programmes"), reverse("network:programme_list"))
    expect(page.locator("main")).to_contain_text(care["programme"].name)
    back_to_area(page)
    from_area(page, "Run training", it("Run training"), reverse("learning:manage"))
    back_to_area(page)
    from_area(
        page, "Directory moderation", it("Listings of your territory"), reverse("directory:manage")
    )
    expect(page.locator("main")).to_contain_text(care["activity"].name)
    back_to_area(page)
    from_area(page, "Impact on people", it("Impact on people"), reverse("outcomes:dashboard"))
    journey.check_accessibility(page, "impact")
    from_menu(page, "Impact", it("Impact on people"), reverse("outcomes:dashboard"))


def _extract(page, label):
    with page.expect_download() as download:
        area(page).get_by_role("link", name=starting(label)).click()
    file = download.value
    with open(file.path(), encoding="utf-8-sig") as handle:
        header = next(csv.reader(io.StringIO(handle.readline())))
    return file.suggested_filename, header


def test_evaluator_reads_the_impact_and_downloads_both_extracts(care, open_page, journey):
    page = open_page(DESKTOP)
    sign_in_from_home(page, care["evaluator"])
    in_menu(page, "Impact")
    not_in_menu(page, "Caseload", "Referral inbox", "Referrals", "Data-subject requests")
    journey.check_accessibility(page, "area")

    name, header = _extract(page, "Referral data for research (CSV, pseudonymised)")
    assert name.startswith("referrals-") and name.endswith(".csv")
    assert header == list(REFERRAL_COLUMNS)
    name, header = _extract(page, "Questionnaire answers for research (CSV, pseudonymised)")
    assert name == "legami-risposte.csv"
    assert header == list(ANSWER_COLUMNS)

    from_area(page, "Impact on people", it("Impact on people"), reverse("outcomes:dashboard"))
    journey.check_accessibility(page, "impact")


def test_dpo_answers_data_subject_requests_and_reads_the_access_log(care, open_page, journey):
    page = open_page(DESKTOP)
    sign_in_from_home(page, care["dpo"])
    in_menu(page, "Data-subject requests", "Access log")
    not_in_menu(page, "Caseload", "Referral inbox", "Referrals", "Impact")
    journey.check_accessibility(page, "area")

    from_area(page, "Data-subject requests", it("Data-subject requests"), reverse("referrals:dpo"))
    journey.check_accessibility(page, "requests")
    from_menu(page, "Access log", it("Audit and access log"), reverse("core:audit_log"))
    journey.check_accessibility(page, "access-log")


def test_citizen_finds_activities_help_their_data_and_registrations(care, open_page, journey):
    citizen = care["citizen"]
    course = learning.course_create(by=None, data={"title": "Custodi di comunità"})
    starts = timezone.now() + timedelta(days=4)
    session = learning.session_create(
        by=None,
        course=course,
        data={
            "title": "Primo incontro",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "comune": care["arcidosso"],
            "capacity": 20,
        },
    )
    learning.registration_create(
        by=citizen,
        session=session,
        data={"first_name": "Carla", "last_name": "Neri", "email": citizen.email},
    )
    page = open_page(PHONE)
    sign_in_from_home(page, citizen)
    journey.check_accessibility(page, "area")
    # No staff work in a citizen's area.
    for staff in ("My caseload", "Referral inbox and session registers", "Data-subject requests"):
        expect(area(page).get_by_role("link", name=starting(staff))).to_have_count(0)

    from_area(page, "Find an activity", it("Find an activity"), reverse("directory:search"))
    expect(page.locator("main")).to_contain_text(care["activity"].name)
    # On a phone the area is one tap away in the header.
    header = page.locator(".it-header-slim-wrapper")
    header.get_by_role("link", name=it("My area")).click()
    from_area(page, "Ask for help", it("Ask for help"), reverse("referrals:self_refer"))
    header.get_by_role("link", name=it("My area")).click()
    from_area(page, "My data and consents", it("My data"), reverse("referrals:my_data"))
    header.get_by_role("link", name=it("My area")).click()
    from_area(page, "My registrations", it("My registrations"), reverse("learning:mine"))
    expect(page.locator("section[aria-labelledby=coming-title] tbody tr")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Primo incontro")
    journey.check_accessibility(page, "registrations")
