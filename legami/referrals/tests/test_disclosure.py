"""Who reads a referral's private texts and the person's contacts (disclosure.py): one rule,
the same on the referral page, the caseload's API, the provider's inbox and the PDFs.

Issue 13 item 11: after the person withdraws the "contact" consent, link workers and providers
no longer see the phone and e-mail anywhere. Issue 14 section 2: the reason for referral and
the risks are read by the referrer and the link workers of the territory, never by other
prescribers of the organisation nor by the superuser."""

import pytest
from django.test import Client
from django.urls import reverse

from legami.conftest import make_user
from legami.core import pdf, roles
from legami.network.models import Membership, Person
from legami.referrals import services
from legami.referrals.disclosure import PRIVATE_TEXTS, Disclosure
from legami.referrals.models import Beneficiary

from .conftest import engage

PHONE = "0564 000000"
EMAIL = "maria.rossi@posta.example"
REASON = "Vive sola dopo la morte del marito."
RISKS = "Caduta recente."
WHAT_MATTERS = "Stare con altre persone."
NOTE = "Telefonata cordiale."
REFERRALS = "/api/v1/referrals/referrals/"
ENROLMENTS = "/api/v1/referrals/enrolments/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(care):
    """Maria's referral, assessed, with a note and an e-mail, sent to the walking group."""
    referral = engage(care)
    Beneficiary.objects.filter(pk=referral.beneficiary_id).update(email=EMAIL)
    services.case_note_add(by=care["link_worker"], referral=referral, text=NOTE)
    enrolment = services.enrolment_create(
        by=care["link_worker"], referral=referral, activity=care["activity"]
    )
    return {"referral": referral, "enrolment": enrolment}


@pytest.fixture
def colleague(care):
    """Another social worker of the referrer's organisation."""
    user = make_user(roles.PRESCRIBER, "collega@test.legami.example")
    Membership.objects.create(
        person=Person.objects.create(first_name="Col", last_name="Lega", user=user),
        organisation=care["comune_org"],
        role_title="Assistente sociale",
    )
    return user


def withdraw_contact(care, referral):
    services.consent_withdraw(
        by=care["link_worker"], beneficiary=referral.beneficiary, purpose="contact"
    )


@pytest.fixture
def rendered(monkeypatch):
    pages = []
    real = pdf.html_to_pdf

    def spy(html):
        pages.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", spy)
    return pages


# --- contacts after the "contact" consent is withdrawn ------------------------------------------
def test_referral_page_hides_contacts_once_consent_is_withdrawn(care, case):
    client = signed_in(care["link_worker"])
    url = reverse("referrals:detail", args=[case["referral"].pk])
    page = client.get(url).content.decode()
    assert PHONE in page and EMAIL in page

    withdraw_contact(care, case["referral"])

    page = client.get(url).content.decode()
    assert PHONE not in page and EMAIL not in page
    assert "has not agreed to be contacted" in page
    # The prescriber who referred her typed them and keeps them.
    referrer = signed_in(care["prescriber"]).get(url).content.decode()
    assert PHONE in referrer


def test_api_detail_and_list_hide_contacts_once_consent_is_withdrawn(care, case):
    client = signed_in(care["link_worker"])
    detail = f"{REFERRALS}{case['referral'].pk}/"
    assert client.get(detail).json()["person"]["email"] == EMAIL

    withdraw_contact(care, case["referral"])

    person = client.get(detail).json()["person"]
    assert person["phone"] is None and person["email"] is None
    rows = client.get(REFERRALS, {"view": "all"}).json()["results"]
    assert [r["person"]["phone"] for r in rows] == [None]
    assert [r["person"]["email"] for r in rows] == [None]
    assert PHONE.encode() not in client.get(REFERRALS, {"view": "all"}).content


def test_provider_inbox_page_and_api_hide_contacts_once_consent_is_withdrawn(care, case):
    client = signed_in(care["provider"])
    inbox = reverse("referrals:inbox")
    one = reverse("referrals:enrolment", args=[case["enrolment"].pk])
    assert EMAIL in client.get(inbox).content.decode()

    withdraw_contact(care, case["referral"])

    for url in (inbox, one):
        page = client.get(url).content.decode()
        assert PHONE not in page and EMAIL not in page
    for url in (ENROLMENTS, f"{ENROLMENTS}{case['enrolment'].pk}/"):
        response = client.get(url)
        assert PHONE.encode() not in response.content and EMAIL.encode() not in response.content


def _closed(care, case):
    services.referral_transition(
        by=care["link_worker"], referral=case["referral"], to="closed", reason="Trasferita"
    )
    return reverse("referrals:summary_pdf", args=[case["referral"].pk])


def test_closing_summary_pdf_carries_contacts_only_with_consent(care, case, rendered):
    url = _closed(care, case)
    client = signed_in(care["link_worker"])
    assert client.get(url).status_code == 200
    assert PHONE in rendered[-1] and EMAIL in rendered[-1]  # the link worker's copy

    withdraw_contact(care, case["referral"])

    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert PHONE not in rendered[-1] and EMAIL not in rendered[-1]
    signed_in(care["prescriber"]).get(url)
    assert PHONE not in rendered[-1]  # the referrer's copy never carries them


# --- private texts --------------------------------------------------------------------------
def test_a_colleague_of_the_referrer_reads_the_status_only(care, case, colleague):
    client = signed_in(colleague)
    url = reverse("referrals:detail", args=[case["referral"].pk])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Maria" in page and "Assessed" in page
    for private in (REASON, RISKS, WHAT_MATTERS, NOTE, PHONE, EMAIL):
        assert private not in page
    assert "Only the referrer and the link workers read it." in page
    body = client.get(f"{REFERRALS}{case['referral'].pk}/").json()
    assert body["status"] == "assessed"
    assert [body[name] for name in ("reason_text", "risks", "what_matters", "goals")] == [None] * 4
    assert body["person"]["phone"] is None
    rows = client.get(REFERRALS).json()["results"]
    assert [r["reason_text"] for r in rows] == [None]


def test_the_referrer_reads_reason_and_risks_but_not_the_conversation(care, case):
    client = signed_in(care["prescriber"])
    page = client.get(reverse("referrals:detail", args=[case["referral"].pk])).content.decode()
    assert REASON in page and RISKS in page
    assert WHAT_MATTERS not in page and NOTE not in page
    body = client.get(f"{REFERRALS}{case['referral'].pk}/").json()
    assert (body["reason_text"], body["risks"], body["what_matters"]) == (REASON, RISKS, None)


def test_every_link_worker_of_the_territory_reads_the_texts(care, case):
    other = make_user(roles.LINK_WORKER, "seconda.facilitatrice@test.legami.example")
    other.jurisdictions.create(district=care["district"])
    client = signed_in(other)  # not the assigned one
    page = client.get(reverse("referrals:detail", args=[case["referral"].pk])).content.decode()
    for private in (REASON, RISKS, WHAT_MATTERS, NOTE, PHONE):
        assert private in page
    body = client.get(f"{REFERRALS}{case['referral'].pk}/").json()
    assert (body["reason_text"], body["what_matters"]) == (REASON, WHAT_MATTERS)


def test_the_superuser_reads_no_clinical_text_on_page_api_or_pdf(care, case, personas, rendered):
    client = signed_in(personas[roles.SUPERUSER])
    referral = case["referral"]
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Maria" in page
    for private in (REASON, RISKS, WHAT_MATTERS, NOTE, PHONE, EMAIL):
        assert private not in page
    body = client.get(f"{REFERRALS}{referral.pk}/").json()
    assert [body[name] for name in ("reason_text", "risks", "what_matters", "goals")] == [None] * 4
    url = _closed(care, case)
    assert client.get(url).status_code == 200
    assert WHAT_MATTERS not in rendered[-1] and PHONE not in rendered[-1]
    assert "Referrer's copy" in rendered[-1]


@pytest.mark.parametrize(
    ("who", "texts", "contacts"),
    [
        ("link_worker", set(PRIVATE_TEXTS), True),
        ("prescriber", {"reason_text", "risks", "why"}, True),
        ("colleague", set(), False),
        ("outside_worker", set(), False),
        ("provider", set(), True),  # through the enrolment, with consent
        ("citizen_own", {"what_matters", "goals"}, True),
        ("superuser", set(), False),
    ],
)
def test_one_rule_per_role(care, case, colleague, personas, who, texts, contacts):
    referral = case["referral"]
    if who == "citizen_own":
        Beneficiary.objects.filter(pk=referral.beneficiary_id).update(user=care["citizen"])
        referral.beneficiary.refresh_from_db()
        user = care["citizen"]
    else:
        user = {"colleague": colleague, "superuser": personas[roles.SUPERUSER]}.get(who) or care[
            who
        ]
    disclosure = Disclosure(user)
    assert disclosure.texts(referral) == texts
    assert disclosure.contacts(referral, enrolment=case["enrolment"]) is contacts


WHY = "Ricoverata a Castel del Piano."


def test_why_the_case_moved_is_read_by_the_referrer_and_workers_not_by_colleagues(
    care, case, colleague, rendered
):
    """A transition's note and the reason for closing often say why ("ricoverata"): the
    referrer's colleagues read the status and its dates, not the words."""
    services.referral_transition(
        by=care["link_worker"], referral=case["referral"], to="closed", reason=WHY
    )
    detail = reverse("referrals:detail", args=[case["referral"].pk])
    pdf_url = reverse("referrals:summary_pdf", args=[case["referral"].pk])
    api = f"{REFERRALS}{case['referral'].pk}/"

    client = signed_in(colleague)
    page = client.get(detail).content.decode()
    assert "Closed" in page and WHY not in page
    assert WHY not in str(client.get(api).json())
    assert client.get(pdf_url).status_code == 200
    assert WHY not in rendered[-1]

    for reader in (care["prescriber"], care["link_worker"]):
        client = signed_in(reader)
        assert WHY in client.get(detail).content.decode()
        assert WHY in str(client.get(api).json())
        client.get(pdf_url)
        assert WHY in rendered[-1]
