"""Journeys through impact measurement (/impatto/): the link worker gives a person a link, the
person answers the questionnaire on a phone-sized screen without an account (stopping half-way
and coming back), and the territory administrator reads the impact dashboard. In Italian."""

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, sign_in
from legami.outcomes.models import Response, SelfCompletionLink
from legami.outcomes.tests.test_dashboard import _people
from legami.referrals.tests import conftest as referral_world

care = referral_world.care
engage = referral_world.engage


def _answer(page, number, value):
    """Pick an answer as a person does: on its label, the big touch target."""
    page.locator(f"label[for='id_item_{number}_{value}']").click()
    expect(page.locator(f"#id_item_{number}_{value}")).to_be_checked()


def test_person_answers_on_a_phone_through_a_single_use_link(care, open_page, journey):
    referral = engage(care)
    worker_page = open_page(DESKTOP)
    sign_in(worker_page, care["link_worker"])
    worker_page.goto(f"/invii/{referral.pk}/")
    worker_page.get_by_role("link", name="Questionari di benessere").click()
    expect(worker_page.locator("h1")).to_have_text("Questionari di benessere")
    worker_page.locator("#id_instrument").select_option(label="Indice di benessere OMS (WHO-5)")
    journey.check_accessibility(worker_page, "questionnaires")
    worker_page.get_by_role("button", name="Crea un link per il telefono della persona").click()
    expect(worker_page.locator("h1")).to_have_text("Link per il telefono della persona")
    expect(worker_page.locator(".legami-qr svg")).to_have_count(1)
    journey.check_accessibility(worker_page, "link-and-qr")
    address = worker_page.locator("#link-address").input_value()
    path = address.split("://", 1)[1].split("/", 1)[1]

    phone = open_page(PHONE)  # the person's own phone: no account, no sign-in
    phone.goto("/" + path)
    expect(phone.locator("h1")).to_have_text("Indice di benessere OMS (WHO-5)")
    expect(phone.get_by_text("nelle ultime due settimane")).to_be_visible()
    _answer(phone, 1, 4)
    _answer(phone, 2, 3)
    journey.check_accessibility(phone, "phone-questionnaire")
    phone.get_by_role("button", name="Salva e finisci dopo").click()
    expect(phone.locator(".alert-success")).to_contain_text("Le tue risposte sono salvate")
    assert not Response.objects.exists()

    phone.goto("/" + path)  # later: what was answered is still there
    expect(phone.locator("#id_item_1_4")).to_be_checked()
    expect(phone.locator("#id_item_2_3")).to_be_checked()
    for number in (3, 4, 5):
        _answer(phone, number, 3)
    phone.get_by_role("button", name="Invia le mie risposte").click()
    expect(phone.locator("h1")).to_have_text("Grazie")
    journey.check_accessibility(phone, "sent")
    response = Response.objects.get()
    assert (response.mode, response.raw_score, response.score) == ("self", 16, 64)
    assert SelfCompletionLink.objects.get().used_at is not None

    phone.goto("/" + path)  # the same link again: it has done its job
    expect(phone.locator(".alert")).to_contain_text("Questo questionario è già stato inviato")

    worker_page.goto(f"/impatto/invii/{referral.pk}/")
    row = worker_page.locator("section[aria-labelledby=responses-title] tbody tr")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("compilato in autonomia")
    expect(row.first).to_contain_text("64")


def test_territory_admin_reads_the_impact_dashboard(care, open_page, journey):
    _people(care, 7, gender="female", seed=21)
    _people(care, 6, gender="male", seed=22)
    page = open_page(DESKTOP)
    sign_in(page, care["territory_admin"])
    page.goto("/")
    page.goto("/impatto/")
    expect(page.locator("h1")).to_have_text("Impatto sulle persone")
    page.get_by_label("Suddividi per").select_option(label="Genere")
    page.get_by_role("button", name="Mostra").click()
    table = page.locator("table")
    expect(table.locator("caption")).to_have_text("Variazione per gruppo")
    expect(table.locator("tbody th[scope=row]")).to_have_text(["donna", "uomo", "Tutti"])
    expect(table.locator("tbody tr").last).to_contain_text("13")
    expect(page.locator("#impact-chart")).to_be_visible()
    # Chart.js has drawn: the canvas got its size from the script, not only from the markup.
    assert page.evaluate("document.getElementById('impact-chart').height") > 0
    assert page.evaluate(
        "typeof Chart !== 'undefined' && Chart.getChart('impact-chart') !== undefined"
    )
    journey.check_accessibility(page, "impact-dashboard")


def test_admin_builds_event_feedback_and_a_participant_answers_on_a_phone(care, open_page, journey):
    page = open_page(DESKTOP)
    sign_in(page, care["territory_admin"])
    page.goto("/impatto/questionari/")
    expect(page.locator("h1")).to_have_text("Questionari")
    page.locator("#id_name").fill("Com'è andata la camminata?")
    page.locator("#id_purpose").select_option("event")
    page.get_by_role("button", name="Crea la bozza").click()
    expect(page.locator(".alert-success")).to_contain_text("Bozza creata")
    page.locator("#id_kind").select_option("likert")
    page.locator("#id_text").fill("Quanto ti è piaciuta?")
    page.locator("#id_scale_min").fill("1")
    page.locator("#id_scale_max").fill("3")
    page.locator("#id_options").fill("Poco\nAbbastanza\nMolto")
    page.get_by_role("button", name="Aggiungi la domanda").click()
    expect(page.locator(".alert-success")).to_contain_text("Domanda 1 aggiunta")
    page.locator("#id_kind").select_option("text")
    page.locator("#id_text").fill("Un suggerimento?")
    page.get_by_role("button", name="Aggiungi la domanda").click()
    expect(page.locator("table tbody tr")).to_have_count(2)
    journey.check_accessibility(page, "questionnaire-builder")
    page.get_by_role("button", name="Pubblica il questionario").click()
    expect(page.locator(".alert-success")).to_contain_text("Questionario pubblicato")

    page.goto("/impatto/indagini/")
    page.locator("#id_instrument").select_option(label="Com'è andata la camminata?")
    page.locator("#id_title").fill("Camminata nei castagneti")
    today = timezone.localdate().isoformat()
    page.locator("#id_opens_on").fill(today)
    page.locator("#id_closes_on").fill(today)
    page.get_by_role("button", name="Apri l'indagine").click()
    expect(page.locator("h1")).to_have_text("Camminata nei castagneti")
    expect(page.locator(".legami-qr svg")).to_have_count(1)
    journey.check_accessibility(page, "survey-with-qr")
    address = page.locator("code").inner_text()
    path = address.split("://", 1)[1].split("/", 1)[1]

    phone = open_page(PHONE)  # a participant's phone: no account, anonymous
    phone.goto("/" + path)
    expect(phone.locator("h1")).to_have_text("Camminata nei castagneti")
    _answer(phone, 1, 2)  # the third point, "Molto" (radio ids count from 0)
    phone.locator("#id_item_2").fill("Più soste all'ombra")
    journey.check_accessibility(phone, "event-feedback")
    phone.get_by_role("button", name="Invia").click()
    expect(phone.locator("h1")).to_have_text("Grazie")

    page.reload()
    expect(page.locator("p.lead")).to_contain_text("1 risposta")
    expect(page.get_by_text("Più soste all'ombra")).to_be_visible()


def test_a_provider_answers_for_its_organisation_and_the_admin_tracks_indicators(
    care, open_page, journey
):
    from legami.network.models import ProgrammePartner
    from legami.outcomes.models import Indicator, SurveyResponse
    from legami.outcomes.services import builder as services_builder
    from legami.outcomes.services import surveys as services_surveys

    ProgrammePartner.objects.create(programme=care["programme"], organisation=care["association"])
    draft = services_builder.questionnaire_create(
        by=None, data={"name": "Mappatura della rete", "purpose": "organisation"}
    )
    services_builder.item_add(
        by=None,
        instrument=draft,
        data={"kind": "numeric", "text": "Nuove collaborazioni", "scale_min": 0, "scale_max": 99},
    )
    services_builder.item_add(
        by=None,
        instrument=draft,
        data={"kind": "multiple", "text": "Innovazioni", "options": "Servizi\nSpazi\nFondi"},
    )
    questionnaire = services_builder.questionnaire_publish(by=None, instrument=draft, scored=False)
    today = timezone.localdate()
    services_surveys.survey_open(
        by=None,
        data={
            "instrument": questionnaire,
            "title": "Indagine alle organizzazioni",
            "programme": care["programme"],
            "opens_on": today,
            "closes_on": today,
        },
    )

    provider = open_page(DESKTOP)
    sign_in(provider, care["provider"])
    provider.goto("/impatto/indagini/da-compilare/")
    journey.check_accessibility(provider, "surveys-to-answer")
    provider.get_by_role("link", name="Rispondi").click()
    provider.locator("#id_item_1").fill("4")
    provider.locator("label[for='id_item_2_0']").click()
    provider.locator("label[for='id_item_2_2']").click()
    journey.check_accessibility(provider, "survey-answer")
    provider.get_by_role("button", name="Invia le risposte").click()
    expect(provider.locator(".alert-success")).to_contain_text("risposte della tua organizzazione")
    assert SurveyResponse.objects.get().organisation == care["association"]

    admin = open_page(DESKTOP)
    sign_in(admin, care["territory_admin"])
    admin.goto("/impatto/indagini/")
    journey.check_accessibility(admin, "surveys")
    admin.get_by_role("link", name="Indagine alle organizzazioni").click()
    expect(admin.locator("p.lead")).to_contain_text("1 risposta")
    admin.goto(f"/impatto/organizzazioni/?programme={care['programme'].pk}")
    admin.locator("#id_area").select_option("competences")
    admin.locator("#id_name").fill("Operatori formati")
    admin.locator("#id_target_value").fill("20")
    admin.locator("#id_target_date").fill(str(today.replace(year=today.year + 1)))
    admin.get_by_role("button", name="Aggiungi l'indicatore").click()
    expect(admin.locator(".alert-success")).to_contain_text("Indicatore aggiunto")
    indicator = Indicator.objects.get()
    admin.locator("summary").first.click()
    admin.locator(f"#id_reading-{indicator.pk}-measured_on").fill(str(today))
    admin.locator(f"#id_reading-{indicator.pk}-value").fill("5")
    admin.get_by_role("button", name="Registra").click()
    expect(admin.locator("table")).to_contain_text("25%")
    journey.check_accessibility(admin, "organisations")
    for path, label in (
        ("/impatto/questionari/", "questionnaires"),
        ("/formazione/gestione/", "training-admin"),
    ):
        admin.goto(path)
        journey.check_accessibility(admin, label)
