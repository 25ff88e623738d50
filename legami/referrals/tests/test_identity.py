"""Whose record is whose (issue 13, item 1): a public form never takes over, fills or reveals an
existing record; a citizen account is linked to a record only by staff or by a one-time code
sent to the e-mail already on the record, never by knowing a name and a birth date."""

import json
import re
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from legami.accounts.models import User
from legami.conftest import PASSWORD, make_user
from legami.core import roles
from legami.core.crypto import keyed_hash
from legami.core.models import AuditEvent
from legami.network.models import Membership, Person
from legami.referrals import services
from legami.referrals.models import AccountLinkCode, Beneficiary, Referral
from legami.referrals.services.people import identity_hash

from .conftest import TAX_CODE, person_data
from .test_views_public import self_referral_post

SELF_REFER = reverse("referrals:self_refer")
MY_DATA = reverse("referrals:my_data")
MY_EXPORT = reverse("referrals:my_export")
MY_CONSENT = reverse("referrals:my_consent")
LINK = reverse("referrals:my_record_link")
CODE = reverse("referrals:my_record_code")
VICTIM_EMAIL = "maria.rossi@posta.example"


def snapshot(person) -> dict:
    """Every stored column of the record, as the database holds it now."""
    person = Beneficiary.objects.get(pk=person.pk)
    return {f.attname: getattr(person, f.attname) for f in Beneficiary._meta.concrete_fields}


def page(response) -> str:
    """The page as the visitor reads it (CSRF tokens differ on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sign_up(email: str) -> tuple[Client, User]:
    """A new account through the open sign-up page, then signed in."""
    Client().post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    user = User.objects.get(email=email)
    assert user.role == roles.CITIZEN
    return signed_in(user), user


@pytest.fixture
def victim(care):
    """Maria Rossi, referred by her social worker: codice fiscale, phone, e-mail, a reason and
    risks, an open referral."""
    person = care["referral"].beneficiary
    Beneficiary.objects.filter(pk=person.pk).update(email=VICTIM_EMAIL)
    person.refresh_from_db()
    return person


def as_victim(care, **overrides) -> dict:
    """The self-referral form filled with the victim's name and birth date, in other letter
    case, another comune, no codice fiscale, the attacker's own contacts."""
    data = {
        "first_name": "maria",
        "last_name": "ROSSI",
        "birth_date": "1950-01-01",
        "comune": "Casalecchio di Reno",
        "tax_code": "",
        "phone": "333 6666666",
        "email": "attaccante@posta.example",
    }
    return self_referral_post(care, **{**data, **overrides})


# --- the attack of issue 13 -------------------------------------------------------------------
def test_self_referral_with_a_victims_name_and_birth_date_takes_nothing(care, victim):
    before = snapshot(victim)
    client, attacker = sign_up("attaccante@posta.example")

    response = client.post(SELF_REFER, as_victim(care))

    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:self_refer_done")
    # The download holds what the attacker typed, nothing of the victim's.
    export = client.get(MY_EXPORT)
    assert export.status_code == 200
    text = export.content.decode()
    for secret in (TAX_CODE, "0564 000000", VICTIM_EMAIL, "Vive sola", "Caduta recente"):
        assert secret not in text
    data = json.loads(text)
    assert data["person"]["phone"] == "333 6666666"
    assert [r["id"] for r in data["referrals"]] == [
        Referral.objects.get(beneficiary__user=attacker).pk
    ]
    # Withdrawing care coordination closes only the attacker's own request.
    client.post(MY_CONSENT, {"purpose": "care", "action": "withdraw"})
    care["referral"].refresh_from_db()
    assert care["referral"].status == "received"
    assert Referral.objects.get(beneficiary__user=attacker).status == "closed"
    # The victim's record is exactly as it was, and it is not the attacker's.
    assert snapshot(victim) == before
    new = Beneficiary.objects.get(user=attacker)
    assert new.pk != victim.pk
    assert new.self_declared and new.possible_duplicate_of_id == victim.pk


def test_the_form_answers_a_match_exactly_as_a_new_person(care, victim):
    """Same status, same page, same e-mails and the same queries, match or not."""
    Client(REMOTE_ADDR="10.0.0.1").post(SELF_REFER, self_referral_post(care, first_name="Primo"))

    def submit(address, **person):
        client = Client(REMOTE_ADDR=address)
        sent = len(mail.outbox)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(SELF_REFER, self_referral_post(care, **person))
        done = client.get(response["Location"])
        return response, done, len(mail.outbox) - sent, len(queries.captured_queries)

    matched = submit("10.0.0.2", first_name="Maria", last_name="Rossi", birth_date="1950-01-01")
    new = submit("10.0.0.3", first_name="Marta", last_name="Russo", birth_date="1951-02-02")

    assert (matched[0].status_code, matched[0]["Location"]) == (
        new[0].status_code,
        new[0]["Location"],
    )
    assert page(matched[1]) == page(new[1])
    assert matched[2] == new[2]  # the same e-mails (the link workers' notice)
    assert matched[3] == new[3]  # the same path through the database
    assert Beneficiary.objects.get(first_name="Maria", self_declared=True).possible_duplicate_of
    assert not Beneficiary.objects.get(first_name="Marta").possible_duplicate_of


def test_a_public_form_with_the_victims_tax_code_makes_a_new_flagged_record(care, victim):
    before = snapshot(victim)
    response = Client().post(SELF_REFER, as_victim(care, tax_code=TAX_CODE.lower()))
    assert response.status_code == 302
    assert snapshot(victim) == before
    new = Beneficiary.objects.get(phone="333 6666666")
    assert new.tax_code == TAX_CODE  # kept (encrypted) for the link worker to compare
    assert new.possible_duplicate_of_id == victim.pk and new.self_declared
    assert new.user is None


def test_a_citizens_linked_record_gets_the_request_whatever_they_type(care, victim):
    citizen = care["citizen"]
    own = services.referral_create(
        by=citizen,
        person=person_data(care["arcidosso"], first_name="Giulia", tax_code=""),
        consents=["care"],
    ).beneficiary
    own_before = snapshot(own)
    victim_before = snapshot(victim)

    response = signed_in(citizen).post(SELF_REFER, as_victim(care))

    assert response.status_code == 302
    assert Referral.objects.filter(beneficiary=own).count() == 2  # by the link, not by name
    assert Referral.objects.filter(beneficiary=victim).count() == 1
    assert snapshot(own) == own_before  # what was typed changes nothing
    assert snapshot(victim) == victim_before


def test_a_citizen_without_a_record_gets_a_new_one_linked_and_flagged(care, victim):
    response = signed_in(care["citizen"]).post(SELF_REFER, as_victim(care))
    assert response.status_code == 302
    new = Beneficiary.objects.get(user=care["citizen"])
    assert new.possible_duplicate_of_id == victim.pk
    assert new.first_name == "maria" and new.comune == care["casalecchio"]


def test_a_professional_referral_never_joins_a_self_declared_record(care):
    """A record made from a public form is not anybody's proof: a doctor's later referral of a
    person with the same name and birth date makes its own record, flagged, and the author
    of the public form sees none of it."""
    client, squatter = sign_up("prima@posta.example")
    client.post(
        SELF_REFER,
        self_referral_post(care, first_name="Anna", last_name="Verdi", birth_date="1940-05-05"),
    )
    squat = Beneficiary.objects.get(user=squatter)

    referral = services.referral_create(
        by=care["prescriber"],
        person=person_data(
            care["arcidosso"],
            first_name="Anna",
            last_name="Verdi",
            birth_date=date(1940, 5, 5),
            tax_code="",
            phone="0564 222222",
        ),
        consents=["care", "contact"],
        reason_text="Lutto recente.",
    )

    assert referral.beneficiary_id != squat.pk
    assert referral.beneficiary.possible_duplicate_of_id == squat.pk
    assert not referral.beneficiary.self_declared
    page = client.get(MY_DATA).content.decode()
    assert "0564 222222" not in page and "Lutto" not in page
    # The link worker comparing the two is warned whose account the other record has.
    compare = reverse("referrals:duplicate", args=[referral.pk])
    html = signed_in(care["link_worker"]).get(compare).content.decode()
    assert "typed on the public form and is linked to a citizen account" in html


def test_a_professional_referral_of_a_known_person_fills_blanks_only(care, victim):
    Beneficiary.objects.filter(pk=victim.pk).update(email="", access_needs="")
    again = services.referral_create(
        by=care["prescriber"],
        also_if_open=True,  # the same person, referred again on purpose
        person=person_data(
            care["arcidosso"],
            phone="333 0000001",
            email="nuova@posta.example",
            access_needs="Udito debole",
        ),
        consents=["care"],
    )
    victim.refresh_from_db()
    assert again.beneficiary_id == victim.pk
    assert victim.phone == "0564 000000"  # existing contact kept
    assert victim.email == "nuova@posta.example" and victim.access_needs == "Udito debole"
    row = AuditEvent.objects.filter(
        purpose="duplicate detected on referral", object_id=str(victim.pk)
    ).latest("id")
    assert row.actor == care["prescriber"]
    assert row.changes == {"fields": ["access_needs", "email"]}


def test_the_same_codice_fiscale_outranks_the_same_name(care):
    code, born = "BNCLRA60C45A326U", date(1960, 3, 5)

    def record(**extra):
        return Beneficiary.objects.create(
            first_name="Laura",
            last_name="Bianchi",
            birth_date=born,
            comune=care["arcidosso"],
            identity_hash=identity_hash("Laura", "Bianchi", born),
            **extra,
        )

    record()  # an older namesake without a codice fiscale
    holder = record(tax_code=code, tax_code_hash=keyed_hash(code))
    referral = services.referral_create(
        by=care["prescriber"],
        person=person_data(
            care["arcidosso"],
            first_name="Laura",
            last_name="Bianchi",
            birth_date=born,
            tax_code=code,
        ),
        consents=["care"],
    )
    assert referral.beneficiary_id == holder.pk


# --- staff link an account --------------------------------------------------------------------
def _confirmed_citizen(email: str) -> User:
    return make_user(roles.CITIZEN, email)  # make_user confirms the address


def test_link_worker_links_the_account_the_person_names(care, victim):
    account = _confirmed_citizen("maria.account@posta.example")
    client = signed_in(care["link_worker"])
    url = reverse("referrals:link_account", args=[care["referral"].pk])

    page = client.get(reverse("referrals:detail", args=[care["referral"].pk])).content.decode()
    assert url in page
    response = client.post(url, {"email": "Maria.Account@posta.example"}, follow=True)

    assert "now sees their record" in response.content.decode()
    victim.refresh_from_db()
    assert victim.user == account
    assert AuditEvent.objects.filter(
        actor=care["link_worker"],
        object_id=str(victim.pk),
        purpose="citizen account linked by staff",
    ).exists()
    assert "Vive sola" not in signed_in(account).get(MY_DATA).content.decode()  # not hers to read
    assert "Maria" in signed_in(account).get(MY_DATA).content.decode()


def test_staff_link_refuses_unconfirmed_or_taken_accounts_and_strangers(care, victim):
    services_link = services.beneficiary_link_account
    unconfirmed = make_user(roles.CITIZEN, "non.confermato@posta.example")
    EmailAddress.objects.filter(user=unconfirmed).update(verified=False)
    with pytest.raises(ValidationError, match="not confirmed"):
        services_link(by=care["link_worker"], beneficiary=victim, email=unconfirmed.email)
    with pytest.raises(ValidationError, match="No citizen account"):
        services_link(by=care["link_worker"], beneficiary=victim, email="nessuno@posta.example")
    # Staff who may link, but not this person: as if the record did not exist.
    for stranger in (care["outside_worker"], care["outside_prescriber"]):
        with pytest.raises(Http404):
            services_link(by=stranger, beneficiary=victim, email=unconfirmed.email)
    with pytest.raises(PermissionDenied):
        services_link(by=care["provider"], beneficiary=victim, email=unconfirmed.email)
    # A colleague of the referrer reads the status only and links nothing: for linking, the
    # record is out of their scope.
    colleague = make_user(roles.PRESCRIBER, "collega@test.legami.example")
    Membership.objects.create(
        person=Person.objects.create(first_name="Col", last_name="Lega", user=colleague),
        organisation=care["comune_org"],
        role_title="Assistente sociale",
    )
    with pytest.raises(Http404):
        services_link(by=colleague, beneficiary=victim, email=unconfirmed.email)
    # The referrer may.
    taken = _confirmed_citizen("gia.collegato@posta.example")
    services_link(by=care["prescriber"], beneficiary=victim, email=taken.email)
    with pytest.raises(ValidationError, match="already linked"):
        services_link(by=care["prescriber"], beneficiary=victim, email=taken.email)
    victim.refresh_from_db()
    assert victim.user == taken


# --- a one-time code to the e-mail on the record ----------------------------------------------
def _ask(client, **overrides):
    data = {"first_name": "Maria", "last_name": "Rossi", "birth_date": "1950-01-01"}
    data.update(overrides)
    return client.post(LINK, data, follow=True)


def _code_from(message) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_a_name_and_birth_date_alone_never_link_and_the_answer_never_tells(care, victim):
    client, claimant = sign_up("chiede@posta.example")
    mail.outbox.clear()

    known = _ask(client)
    unknown = _ask(client, first_name="Nessuna", last_name="Persona")

    for response in (known, unknown):
        assert response.status_code == 200
        assert "If we hold a record with these details" in response.content.decode()
    assert page(known) == page(unknown)
    victim.refresh_from_db()
    assert victim.user is None
    assert client.get(MY_DATA).content.decode().count("Rossi") == 0
    # The code went to the victim's own address, not to the one asking.
    assert [m.to for m in mail.outbox] == [[VICTIM_EMAIL]]
    assert claimant.email in mail.outbox[0].body  # she learns who asked
    code = _code_from(mail.outbox[0])
    stored = AccountLinkCode.objects.get()
    assert stored.code_hash != code and code not in stored.code_hash
    assert stored.code_hash == keyed_hash(f"account-link|{claimant.pk}|{code}")


def test_the_right_code_links_once(care, victim):
    client, claimant = sign_up("maria.nuovo@posta.example")
    mail.outbox.clear()
    _ask(client)
    code = _code_from(mail.outbox[0])

    response = client.post(CODE, {"code": f" {code[:3]} {code[3:]} "}, follow=True)

    assert "your record is now in your account" in response.content.decode()
    victim.refresh_from_db()
    assert victim.user == claimant
    assert AuditEvent.objects.filter(
        actor=claimant,
        object_id=str(victim.pk),
        purpose="citizen account linked: one-time code to the e-mail on the record",
    ).exists()
    assert "Rossi" in client.get(MY_DATA).content.decode()
    # Single use: the same code does nothing for another account either.
    other = signed_in(make_user(roles.CITIZEN, "altro@posta.example"))
    assert "not right" in other.post(CODE, {"code": code}, follow=True).content.decode()
    with pytest.raises(ValidationError):
        services.account_link_confirm(by=claimant, code=code)


def test_wrong_codes_use_up_the_attempts(care, victim):
    client, claimant = sign_up("tenta@posta.example")
    mail.outbox.clear()
    _ask(client)
    code = _code_from(mail.outbox[0])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _attempt in range(5):
        response = client.post(CODE, {"code": wrong}, follow=True)
        assert "not right" in response.content.decode()
    assert AccountLinkCode.objects.get().attempts == 5

    client.post(CODE, {"code": code})

    victim.refresh_from_db()
    assert victim.user is None


def test_an_expired_code_is_refused(care, victim):
    claimant = make_user(roles.CITIZEN, "tardi@posta.example")
    now = timezone.now()
    services.account_link_request(
        by=claimant, first_name="Maria", last_name="Rossi", birth_date=date(1950, 1, 1), now=now
    )
    code = _code_from(mail.outbox[-1])
    with pytest.raises(ValidationError):
        services.account_link_confirm(by=claimant, code=code, now=now + timedelta(minutes=16))
    victim.refresh_from_db()
    assert victim.user is None
    assert services.account_link_confirm(by=claimant, code=code, now=now + timedelta(minutes=14))


def test_codes_per_record_are_bounded_without_telling(care, victim):
    claimant = make_user(roles.CITIZEN, "insiste@posta.example")
    mail.outbox.clear()
    for _n in range(6):
        services.account_link_request(
            by=claimant, first_name="Maria", last_name="Rossi", birth_date=date(1950, 1, 1)
        )
    assert len(mail.outbox) == 3  # three codes a day per account and record, then silence
    assert AccountLinkCode.objects.filter(expires_at__gt=timezone.now()).count() == 1


def test_asking_for_codes_is_rate_limited_per_connection(care):
    client, _claimant = sign_up("veloce@posta.example")
    for _n in range(5):
        assert _ask(client, first_name=f"Persona{_n}").status_code == 200
    response = client.post(
        LINK, {"first_name": "Sesta", "last_name": "Rossi", "birth_date": "1950-01-01"}
    )
    assert response.status_code == 429
    assert "many times in the last hour" in response.content.decode()


def test_a_citizen_with_a_record_who_proves_another_flags_it_for_merging(care, victim):
    citizen = care["citizen"]
    own = services.referral_create(
        by=citizen, person=person_data(care["arcidosso"], tax_code=""), consents=["care"]
    ).beneficiary
    Beneficiary.objects.filter(pk=own.pk).update(possible_duplicate_of=None)
    mail.outbox.clear()
    services.account_link_request(
        by=citizen, first_name="Maria", last_name="Rossi", birth_date=date(1950, 1, 1)
    )

    person, linked = services.account_link_confirm(by=citizen, code=_code_from(mail.outbox[0]))

    assert (person, linked) == (victim, False)
    own.refresh_from_db()
    victim.refresh_from_db()
    assert own.possible_duplicate_of == victim and victim.user is None


def test_only_citizens_ask_for_codes(care):
    for who in (AnonymousUser(), care["link_worker"], care["prescriber"]):
        with pytest.raises(PermissionDenied):
            services.account_link_request(
                by=who, first_name="Maria", last_name="Rossi", birth_date=date(1950, 1, 1)
            )
        with pytest.raises(PermissionDenied):
            services.account_link_confirm(by=who, code="123456")


def test_erasure_drops_codes_and_duplicate_flags(care, victim):
    Client().post(SELF_REFER, as_victim(care))
    claimant = make_user(roles.CITIZEN, "cancella@posta.example")
    services.account_link_request(
        by=claimant, first_name="Maria", last_name="Rossi", birth_date=date(1950, 1, 1)
    )
    assert AccountLinkCode.objects.filter(beneficiary=victim).exists()

    services.subject_erase(by=care["dpo"], beneficiary=victim, reason="Richiesta 12/2026")

    assert not AccountLinkCode.objects.filter(beneficiary=victim).exists()
    assert not Beneficiary.objects.filter(possible_duplicate_of=victim).exists()
