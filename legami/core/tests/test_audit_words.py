"""The access log reads in the reader's words: kinds of record by name, roles by title,
purposes from one vocabulary; filtered by kind of record; exported as CSV and XLSX."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from legami.core import audit_words, roles
from legami.core.audit import audit
from legami.core.models import AuditEvent

SOURCE = Path(__file__).resolve().parents[2]


def _written_purposes():
    """Every purpose the source writes as a literal (purpose="..."), and the sign-in ones."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r'\bpurpose=\(?\s*"([^"]+)"', text))
        found.update(re.findall(r'^[A-Z_]+ = "([^"]+)"  # audit purpose', text, re.M))
    from legami.accounts import adapter

    found.update({adapter.SIGNED_IN, adapter.SIGN_IN_FAILED, adapter.SECOND_FACTOR_FAILED})
    return found


def test_every_purpose_the_code_writes_has_words_in_the_vocabulary():
    written = _written_purposes()
    assert len(written) > 40  # the scan reads the modules
    untold = sorted(p for p in written if p not in audit_words.PURPOSES)
    assert not untold, f"add these purposes to core/audit_words.PURPOSES: {untold}"


def test_a_row_reads_in_italian():
    event = AuditEvent(
        actor_label="connettore@test.legami.example",
        actor_role=roles.LINK_WORKER,
        action="view",
        object_type="referrals.referral",
        object_id="12",
        purpose="caseload assignment",
        person_id=7,
    )
    with translation.override("it"):
        row = audit_words.words(event)
    assert row["object"] == "Invio n. 12"
    assert row["role"] == "facilitatore"
    assert row["action"] == "Lettura"
    assert row["purpose"] == "assegnazione dei casi"


def test_purposes_with_a_value_and_typed_purposes():
    with translation.override("it"):
        assert audit_words.purpose_label("consent given: contact") == "consenso dato: contatto"
        # typed by a DPO: shown as typed, never guessed
        assert audit_words.purpose_label("richiesta prot. 12") == "richiesta prot. 12"
        citizen = AuditEvent(actor_label="citizen account #41", actor_role=roles.CITIZEN)
        assert audit_words.actor_label(citizen) == "account di cittadinanza n. 41"


def _log(personas, n):
    for i in range(n):
        audit(
            by=personas[roles.LINK_WORKER],
            action="view",
            object_type="referrals.referral",
            object_id=str(i + 1),
            purpose="referral detail",
            person_id=100 + i,
        )
    audit(by=personas[roles.PROVIDER], action="list", object_type="directory.activity")


def test_the_log_page_in_words_and_filtered_by_kind_of_record(client, personas):
    _log(personas, 3)
    client.force_login(personas[roles.DPO])
    page = client.get("/registro-accessi/", HTTP_ACCEPT_LANGUAGE="it")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Invio n. 3" in html and "pagina dell&#x27;invio" in html
    assert '<option value="referrals.referral">Invio</option>' in html
    filtered = client.get("/registro-accessi/?object_type=directory.activity").content.decode()
    assert "Invio n. 1" not in filtered and "Attività" in filtered
    # a kind that is no record of the project is refused by the filter, not searched
    wrong = client.get("/registro-accessi/?object_type=auth.permission").content.decode()
    assert "auth.permission non è tra quelle disponibili" in wrong


def test_the_page_costs_the_same_queries_for_5_or_50_rows(client, personas):
    client.force_login(personas[roles.DPO])
    _log(personas, 4)
    with CaptureQueriesContext(connection) as few:
        client.get("/registro-accessi/")
    _log(personas, 45)
    with CaptureQueriesContext(connection) as many:
        client.get("/registro-accessi/")
    assert len(many) == len(few)


def test_csv_export_in_words_with_a_bom_safe_cells_and_logged(client, personas):
    _log(personas, 2)
    audit(
        by=personas[roles.DPO],
        action="view",
        object_type="referrals.beneficiary",
        object_id="9",
        purpose='=HYPERLINK("x")',
    )
    client.force_login(personas[roles.DPO])
    response = client.get("/registro-accessi/?export=csv&object_type=referrals.referral")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Data e ora (UTC),Chi,Ruolo")
    assert len(lines) == 3 and all("Invio n." in line for line in lines[1:])
    everything = b"".join(client.get("/registro-accessi/?export=csv").streaming_content)
    assert b"'=HYPERLINK" in everything
    assert AuditEvent.objects.filter(
        actor=personas[roles.DPO], action="export", object_type="core.auditevent"
    ).exists()


def test_xlsx_export_has_the_same_rows(client, personas):
    _log(personas, 2)
    client.force_login(personas[roles.DPO])
    response = client.get("/registro-accessi/?export=xlsx&object_type=referrals.referral")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Data e ora (UTC)", "Chi", "Ruolo")
    assert [r[4] for r in rows[1:]] == ["Invio n. 2", "Invio n. 1"]
    assert rows[1][5] == 101  # the person's id stays a number


@pytest.mark.parametrize("role", sorted(set(roles.ALL_ROLES) - {roles.DPO, roles.SUPERUSER}))
def test_only_the_dpo_and_the_superuser_export_the_log(client, personas, role):
    client.force_login(personas[role])
    assert client.get("/registro-accessi/?export=csv").status_code == 403
