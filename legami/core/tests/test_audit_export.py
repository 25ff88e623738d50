"""The access log's downloads beside the page: buttons that keep the filters, times as real
date-times in XLSX, refused to whoever the page refuses, queries that do not grow with rows.
(Words, BOM, inert cells and the logging of the export: test_audit_words.py.)"""

import io
from datetime import datetime

import openpyxl
import pytest

from legami.core import roles
from legami.core.models import AuditEvent

from .test_audit_words import _log

URL = "/registro-accessi/"


def test_the_page_links_the_downloads_with_its_filters(client, personas):
    client.force_login(personas[roles.DPO])
    body = client.get(URL, {"object_type": "referrals.referral"}).content.decode()
    assert "object_type=referrals.referral&amp;export=csv" in body
    assert "object_type=referrals.referral&amp;export=xlsx" in body
    assert 'class="btn btn-outline-primary btn-sm"' in body


def test_xlsx_times_are_dates_and_the_rows_are_the_filtered_ones(client, personas):
    _log(personas, 3)
    client.force_login(personas[roles.DPO])
    response = client.get(URL, {"export": "xlsx", "person": "101"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 1
    at = rows[0][0]
    assert at.is_date and isinstance(at.value, datetime)
    event = AuditEvent.objects.get(person_id=101)
    assert at.value.replace(microsecond=0) == event.at.replace(tzinfo=None, microsecond=0)


@pytest.mark.parametrize("role", [None, roles.CITIZEN, roles.LINK_WORKER, roles.TERRITORY_ADMIN])
def test_refused_as_the_page_is(client_for, personas, role):
    _log(personas, 2)
    client = client_for(role)
    page = client.get(URL)
    for kind in ("csv", "xlsx"):
        response = client.get(URL, {"export": kind})
        assert response.status_code == page.status_code
        assert response.status_code in (302, 403)
        assert "spreadsheet" not in response.get("Content-Type", "")
        assert not response.get("Content-Type", "").startswith("text/csv")


def test_queries_do_not_grow_with_the_rows(client, personas, django_assert_max_num_queries):
    client.force_login(personas[roles.DPO])
    _log(personas, 3)
    with django_assert_max_num_queries(20) as few:
        b"".join(client.get(URL, {"export": "csv"}).streaming_content)
    _log(personas, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = b"".join(client.get(URL, {"export": "csv"}).streaming_content)
    assert content.count(b"\n") > 60
