"""Erasure leaves the person nowhere. A person with a distinctive name, codice fiscale, e-mail
and phone goes through every module (referral, notes, a provider's decline naming them, a
questionnaire with their words, a training registration, their own account, the DPO's export),
the DPO erases them, and then neither a dump of the whole database (`manage.py dumpdata`, which
decrypts the encrypted fields) nor a raw scan of every table finds any of it: not in the
records, not in the append-only access log, not in the account.

It lives in core because it crosses every module, as the access-matrix test does."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from legami.conftest import make_user
from legami.core import roles
from legami.core.crypto import keyed_hash
from legami.core.models import AuditEvent
from legami.learning import services as learning
from legami.outcomes.tests.test_builder import _answer, _build
from legami.referrals import services
from legami.referrals.models import Beneficiary
from legami.referrals.services.people import identity_hash
from legami.referrals.services.public import self_referral_create
from legami.referrals.tests.conftest import _english  # noqa: F401 - pages in English

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zenobia", "Quartararo"
TAX_CODE = "QRTZNB57D63A326R"  # valid: a woman born on 23 April 1957 in Arcidosso
EMAIL = "zenobia.quartararo@example.org"
PHONE = "0564 987654"
BORN = date(1957, 4, 23)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def traces() -> list[str]:
    """Everything that would say who she was, as it could be stored."""
    return [
        FIRST,
        LAST,
        TAX_CODE,
        TAX_CODE.lower(),
        keyed_hash(TAX_CODE),
        identity_hash(FIRST, LAST, BORN),
        EMAIL,
        PHONE,
        PHONE.replace(" ", ""),
    ]


def raw_database_text() -> str:
    """Every value of every row of every table, as the database returns it."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # The names come from the database's own catalogue, quoted.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            values.extend(
                str(value) for row in cursor.fetchall() for value in row if value is not None
            )
    return "\n".join(values).lower()


def found(text: str) -> list[str]:
    return [trace for trace in traces() if trace.lower() in text.lower()]


@pytest.fixture
def lived_everywhere(care):
    """Zenobia, through every module, with her name written wherever people write."""
    worker, provider, prescriber = care["link_worker"], care["provider"], care["prescriber"]
    account = make_user(roles.CITIZEN, EMAIL)
    account.first_name, account.last_name = FIRST, LAST
    account.save()
    # make_user has confirmed EMAIL: the account's verified address, as at sign-up.
    named = f"{FIRST} {LAST}"

    referral = services.referral_create(
        by=prescriber,
        person={
            "first_name": FIRST,
            "last_name": LAST,
            "birth_date": BORN,
            "gender": "female",
            "tax_code": TAX_CODE,
            "comune": care["arcidosso"],
            "phone": PHONE,
            "email": EMAIL,
            "access_needs": f"{FIRST} usa il bastone",
            "languages": "it",
        },
        consents=["care", "contact", "outcomes"],
        reasons=[care["loneliness"]],
        reason_text=f"{named} vive sola da quando il marito è morto.",
        risks=f"{LAST}: caduta recente.",
    )
    person = referral.beneficiary
    # Linked by staff, as the identity rules require; then she acts on her own record.
    Beneficiary.objects.filter(pk=person.pk).update(user=account)
    person.refresh_from_db()
    services.consent_give(by=account, beneficiary=person, purpose="research")

    services.referral_assign(by=worker, referrals=[referral], link_worker=worker)
    services.referral_transition(by=worker, referral=referral, to="contacted", reason=named)
    services.referral_transition(
        by=worker, referral=referral, to="assessed", what_matters=f"{FIRST} ama cantare."
    )
    services.referral_transition(
        by=worker, referral=referral, to="plan_agreed", goals=f"{FIRST} esce due volte."
    )
    services.case_note_add(by=worker, referral=referral, text=f"Telefonato a {named}.")
    declined = services.enrolment_create(by=worker, referral=referral, activity=care["activity"])
    services.enrolment_respond(
        by=provider, enrolment=declined, accept=False, reason=f"{named} non sale le scale."
    )
    withdrawn = services.enrolment_create(by=worker, referral=referral, activity=care["activity"])
    services.enrolment_withdraw(by=worker, enrolment=withdrawn, reason=f"{FIRST} ha cambiato idea")

    # Her own request for help, from her account, later declined with a reason naming her.
    again = self_referral_create(
        by=account,
        person={
            "first_name": FIRST,
            "last_name": LAST,
            "birth_date": BORN,
            "tax_code": TAX_CODE,
            "comune": care["arcidosso"],
            "phone": PHONE,
        },
        consents=["care", "contact"],
        reason_text=f"Sono {named}, vorrei compagnia.",
    )
    services.referral_assign(by=worker, referrals=[again], link_worker=worker)
    services.referral_transition(
        by=worker, referral=again, to="declined", reason=f"{FIRST} preferisce aspettare"
    )

    instrument = _build(None)
    _answer(care, referral, instrument, {1: 2, 2: 3, 5: [1], 6: f"Mi chiamo {named}"})

    course = learning.course_create(by=None, data={"title": "Welfare culturale"})
    starts = referral.received_at + timedelta(days=30)
    session = learning.session_create(
        by=None,
        course=course,
        data={
            "title": "Incontro",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "comune": care["arcidosso"],
            "capacity": 10,
        },
    )
    learning.registration_create(
        by=account,
        session=session,
        data={"first_name": FIRST, "last_name": LAST, "email": EMAIL, "role": "pensionata"},
    )

    # Everyone reads her: pages, lists, the API, her own page, the DPO.
    signed_in(worker).get(reverse("referrals:caseload"), {"view": "all"})
    signed_in(worker).get(reverse("referrals:detail", args=[referral.pk]))
    signed_in(worker).get("/api/v1/referrals/referrals/")
    signed_in(provider).get(reverse("referrals:inbox"))
    signed_in(account).get(reverse("referrals:my_data"))
    dpo = signed_in(care["dpo"])
    dpo.post(reverse("referrals:dpo"), {"text": TAX_CODE})
    dpo.get(reverse("referrals:dpo_person", args=[person.pk]))
    exported = dpo.get(reverse("referrals:dpo_export_json", args=[person.pk])).content.decode()
    assert set(found(exported)) >= {FIRST, LAST, TAX_CODE, EMAIL, PHONE}
    return {"person": person, "account": account, "dpo": dpo}


def test_after_erasure_she_is_in_no_table(care, lived_everywhere, tmp_path):
    person, dpo = lived_everywhere["person"], lived_everywhere["dpo"]
    url = reverse("referrals:dpo_erase", args=[person.pk])

    # The reference stays in the log: one naming her is refused, nothing is erased.
    for naming in (f"{LAST} prot. 12", f"prot. 12 {TAX_CODE}", f"{FIRST.lower()} 2026/1"):
        refused = dpo.post(url, {"ground": "request", "reason": naming})
        assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    person.refresh_from_db()
    assert person.anonymised_at is None

    # Before: she is everywhere (the dump decrypts; the raw scan sees hashes and plain text).
    before = tmp_path / "before.json"
    call_command("dumpdata", output=str(before), verbosity=0)
    assert set(found(before.read_text(encoding="utf-8"))) >= set(traces()) - {"0564987654"}
    assert set(found(raw_database_text())) >= {FIRST, LAST, EMAIL, keyed_hash(TAX_CODE)}

    erased = dpo.post(url, {"ground": "request", "reason": "prot. 2026/77"})
    assert erased.status_code == 302

    after = tmp_path / "after.json"
    call_command("dumpdata", output=str(after), verbosity=0)
    assert found(after.read_text(encoding="utf-8")) == []
    assert found(raw_database_text()) == []
    # What the log still says: who erased whom (by number), when, and the reference.
    erase = AuditEvent.objects.get(action="erase", person_id=person.pk)
    assert erase.purpose == "erasure (request): prot. 2026/77"
    account = lived_everywhere["account"]
    account.refresh_from_db()
    assert not account.is_active and not account.has_usable_password()
    assert (
        signed_in(care["link_worker"])
        .get(reverse("referrals:detail", args=[care["referral"].pk]))
        .status_code
        == 200
    )


def test_the_log_never_held_her_name_even_before_erasure(lived_everywhere):
    """Rows of the access log cannot be changed, so they must never have held her name."""
    for event in AuditEvent.objects.all():
        written = " ".join(
            [event.actor_label, event.object_repr, event.purpose, str(event.changes)]
        )
        assert found(written) == [], (event.action, event.object_type, written)
