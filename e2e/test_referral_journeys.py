"""Journeys through social prescribing (/invii/), as the people who use it: the prescriber who
refers, the link worker who follows the person and finds an activity, the provider who
welcomes them, and a citizen who asks for help without an account. Pages in Italian, the
default language."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, sign_in, tick
from legami.referrals import services
from legami.referrals.models import Beneficiary, EnrolmentStatus, Referral, Status
from legami.referrals.tests import conftest as referral_world

# The referral world of the module's own tests (prescriber, link worker, provider, a referral),
# here committed to the live server's database; its English-only fixture is left out.
care = referral_world.care
engage = referral_world.engage

# The last letter (the check character) of the valid code in the referral world, changed.
BAD_TAX_CODE = "RSSMRA50A41A326X"


def _submit(page):
    page.locator("form.legami-form button[type=submit]").click()


def test_prescriber_refers_a_person(care, open_page, journey):
    before, people = Referral.objects.count(), Beneficiary.objects.count()
    page = open_page(DESKTOP)
    sign_in(page, care["prescriber"])
    page.goto("/invii/nuovo/")
    expect(page.locator("h1")).to_have_text("Invia una persona")
    page.fill("input[name=first_name]", "Giovanni")
    page.fill("input[name=last_name]", "Bianchi")
    page.fill("input[name=birth_date]", "1948-03-15")
    page.fill("input[name=tax_code]", BAD_TAX_CODE)
    page.fill("input[name=comune]", "Arcidosso")
    page.fill("input[name=phone]", "0564 111222")
    tick(page, f"input[name=reasons][value='{care['loneliness'].pk}']")
    tick(page, "input[name=consent_care]")
    journey.check_accessibility(page, "new-referral")
    _submit(page)

    # A codice fiscale that does not check out: said on the field, in Italian; nothing saved.
    expect(page.locator("#id_tax_code-error")).to_have_text(
        "Questo codice fiscale non è valido: controllalo lettera per lettera."
    )
    expect(page.locator(".alert-danger")).to_contain_text("Non è stato salvato nulla.")
    expect(page.locator(".alert-danger a[href='#id_tax_code']")).to_have_count(1)
    assert Referral.objects.count() == before
    assert Beneficiary.objects.count() == people
    journey.check_accessibility(page, "bad-tax-code")

    # What was typed and ticked is still there: empty the code (it is optional) and send.
    expect(page.locator("input[name=first_name]")).to_have_value("Giovanni")
    expect(page.locator("input[name=consent_care]")).to_be_checked()
    page.fill("input[name=tax_code]", "")
    _submit(page)

    expect(page).to_have_url(re.compile(r"/invii/\d+/$"))
    referral = Referral.objects.get(beneficiary__last_name="Bianchi")
    assert Referral.objects.count() == before + 1
    assert page.url.endswith(f"/invii/{referral.pk}/")
    expect(page.locator("h1")).to_have_text("Giovanni Bianchi")
    expect(page.locator(".lead strong")).to_have_text("Ricevuto")
    expect(page.get_by_text("Invio fatto: i facilitatori di Arcidosso")).to_be_visible()
    timeline = page.locator("section[aria-labelledby=timeline-title]")
    expect(timeline.locator("h2")).to_have_text("Cronologia")
    expect(timeline.locator("tbody tr")).to_have_count(1)
    expect(timeline.locator("tbody tr").first).to_contain_text("ricevuto")
    journey.check_accessibility(page, "referral")
    assert referral.status == Status.RECEIVED
    assert [c.purpose for c in referral.beneficiary.consents.all()] == ["care"]
    assert list(referral.reasons.all()) == [care["loneliness"]]


def test_link_worker_takes_assesses_and_matches(care, open_page, journey):
    referral = care["referral"]
    page = open_page(DESKTOP)
    sign_in(page, care["link_worker"])
    page.goto("/invii/casi/?view=unassigned")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Maria Rossi")
    expect(rows.first).to_contain_text("ancora nessuno")
    journey.check_accessibility(page, "caseload-unassigned")
    rows.first.locator(f"a[href='/invii/{referral.pk}/']").click()
    expect(page.locator("h1")).to_have_text("Maria Rossi")
    journey.check_accessibility(page, "referral")

    page.get_by_role("button", name="Prendi in carico questo invio").click()
    expect(page.get_by_role("button", name="Prendi in carico questo invio")).to_have_count(0)
    about = page.locator("section[aria-labelledby=referral-title] .legami-kv")
    expect(about).not_to_contain_text("non ancora assegnato")
    expect(about).to_contain_text(care["link_worker"].get_full_name() or care["link_worker"].email)

    next_step = page.locator("section[aria-labelledby=next-title]")
    contacted = next_step.locator("details", has=page.locator("input[name=to][value=contacted]"))
    contacted.locator("summary").click()
    contacted.get_by_role("button", name="Passa a “contattato”").click()
    expect(page.locator(".lead strong")).to_have_text("Contattato")

    assessed = next_step.locator("details", has=page.locator("input[name=to][value=assessed]"))
    assessed.locator("summary").click()
    assessed.get_by_label("Ciò che conta per la persona").fill(
        "Stare con altre persone, camminare all'aperto."
    )
    journey.check_accessibility(page, "assess")
    assessed.get_by_role("button", name="Passa a “valutato”").click()
    expect(page.locator(".lead strong")).to_have_text("Valutato")
    expect(about).to_contain_text("camminare all'aperto")
    steps = page.locator("section[aria-labelledby=timeline-title] tbody tr")
    expect(steps.filter(has_text="ricevuto → contattato")).to_have_count(1)
    expect(steps.filter(has_text="contattato → valutato")).to_have_count(1)

    page.get_by_role("link", name="Trova attività per questa persona").click()
    expect(page).to_have_url(re.compile(rf"/invii/{referral.pk}/abbinamento/$"))
    expect(page.locator("h1")).to_have_text("Attività per Maria")
    suggestion = page.locator("article", has_text="Camminata nei castagneti")
    expect(suggestion).to_have_count(1)
    expect(suggestion.locator("h2")).to_have_text("1. Camminata nei castagneti")
    reasons = suggestion.locator("ul li")
    expect(reasons.filter(has_text="risponde a: solitudine e isolamento")).to_have_count(1)
    journey.check_accessibility(page, "matching")
    suggestion.get_by_role("button", name="Invia a questa attività").click()

    expect(page.locator("h1")).to_have_text("Maria Rossi")
    enrolments = page.locator("section[aria-labelledby=enrolments-title] tbody tr")
    expect(enrolments).to_have_count(1)
    expect(enrolments.first).to_contain_text("Camminata nei castagneti")
    expect(enrolments.first).to_contain_text("in attesa dell'erogatore")
    journey.check_accessibility(page, "sent-to-activity")
    enrolment = referral.enrolments.get()
    assert enrolment.status == EnrolmentStatus.PENDING
    assert enrolment.activity == care["activity"]


def test_provider_accepts_and_records_attendance(care, open_page, journey):
    # The link worker has met the person and agreed a plan: the first presence starts it.
    referral = engage(care)
    services.referral_transition(
        by=care["link_worker"],
        referral=referral,
        to=Status.PLAN_AGREED,
        goals="Uscire di casa una volta a settimana.",
    )
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=care["activity"]
    )
    page = open_page(PHONE)
    sign_in(page, care["provider"])
    page.goto("/invii/ente/")
    expect(page.locator("h1")).to_have_text("Invii alle tue attività")
    row = page.locator("table tbody tr")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("Maria")
    expect(row.first).to_contain_text("Camminata nei castagneti")
    # The minimum a provider needs: the first name, never the surname.
    expect(page.locator("main")).not_to_contain_text("Rossi")
    assert "Rossi" not in page.content()
    journey.check_accessibility(page, "inbox")

    row.first.get_by_role("link", name="Rispondi").click()
    expect(page).to_have_url(re.compile(rf"/invii/ente/{enrolment.pk}/$"))
    assert "Rossi" not in page.content()
    journey.check_accessibility(page, "answer")
    tick(page, "input[name=decision][value=accept]")
    page.get_by_role("button", name="Invia la risposta").click()

    register = page.locator("section[aria-labelledby=register-title]")
    expect(register.locator("h2")).to_have_text("Registro presenze")
    today = timezone.localdate()
    page.fill("input[name=session_date]", today.isoformat())
    tick(page, "input[name=present][value='1']")
    journey.check_accessibility(page, "register")
    register.get_by_role("button", name="Registra").click()

    lines = page.locator("section[aria-labelledby=register-title] tbody tr")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text("presente")
    journey.check_accessibility(page, "attendance")
    enrolment.refresh_from_db()
    referral.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACCEPTED
    assert [(a.session_date, a.present) for a in enrolment.attendance.all()] == [(today, True)]
    assert referral.status == Status.ENGAGED


def test_citizen_asks_for_help_without_an_account(care, open_page, journey):
    before = Referral.objects.count()
    page = open_page(PHONE)
    page.goto("/invii/autosegnalazione/")
    expect(page.locator("h1")).to_have_text("Chiedi aiuto")
    journey.check_accessibility(page, "form")
    page.fill("input[name=first_name]", "Anna")
    page.fill("input[name=last_name]", "Verdi")
    page.fill("input[name=birth_date]", "1952-06-20")
    page.fill("input[name=comune]", "Arcidosso")
    page.fill("input[name=phone]", "0564 333444")
    tick(page, "input[name=preferred_contact][value=phone]")
    tick(page, f"input[name=needs][value='{care['loneliness'].pk}']")
    page.fill("textarea[name=reason_text]", "Vorrei conoscere altre persone del paese.")
    tick(page, "input[name=consent_care]")
    page.get_by_role("button", name="Invia la mia richiesta").click()

    expect(page).to_have_url(re.compile(r"/invii/autosegnalazione/inviata/$"))
    expect(page.locator("h1")).to_have_text("Grazie: la tua richiesta è stata inviata")
    expect(page.locator("h2")).to_have_text("Cosa succede adesso")
    steps = page.locator("main ol li")
    expect(steps).to_have_count(3)
    expect(steps.first).to_contain_text("Un facilitatore ti contatterà entro")
    expect(steps.first).to_contain_text("numero di telefono")
    journey.check_accessibility(page, "sent")
    referral = Referral.objects.exclude(pk=care["referral"].pk).get()
    assert Referral.objects.count() == before + 1
    assert referral.source == "self" and referral.status == Status.RECEIVED
    assert referral.beneficiary.first_name == "Anna"
