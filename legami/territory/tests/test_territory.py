import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from legami.territory.models import Comune, District, Province, Region


@pytest.mark.django_db
def test_load_comuni_loads_the_official_list_and_is_idempotent(tmp_path):
    call_command("load_comuni", stdout=io.StringIO())
    counts = (Region.objects.count(), Province.objects.count(), Comune.objects.count())
    assert counts[0] == 20 and counts[1] == 107 and counts[2] > 7800
    arcidosso = Comune.objects.get(istat_code="053001")
    assert (arcidosso.name, arcidosso.province.abbreviation) == ("Arcidosso", "GR")
    assert arcidosso.province.region.name == "Toscana" and arcidosso.latitude is not None
    second = io.StringIO()
    call_command("load_comuni", stdout=second)
    assert (Region.objects.count(), Province.objects.count(), Comune.objects.count()) == counts
    assert "comuni created 0, updated 0" in second.getvalue()


@pytest.mark.django_db
def test_load_comuni_refuses_a_file_that_is_not_the_istat_list(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("nome;codice\nRoma;058091\n", encoding="latin-1")
    with pytest.raises(CommandError, match="ISTAT"):
        call_command("load_comuni", istat=bad)
    assert not Comune.objects.exists()


def test_inner_area_file_with_unknown_class_changes_nothing(geography, tmp_path):
    from django.core.exceptions import ValidationError

    from legami.territory.services import _load_inner_areas

    path = tmp_path / "aree.csv"
    path.write_text("istat_code,class\n053015,D\n037011,Z\n")
    with pytest.raises(ValidationError, match="riga 3"):
        from django.db import transaction

        with transaction.atomic():
            _load_inner_areas(path)
    assert Comune.objects.get(istat_code="053015").inner_area_class == ""


def test_administrator_defines_a_district_by_comune_names(world, client_for):
    client = client_for("territory_admin")
    response = client.post(
        "/territorio/distretti/nuovo/",
        {"name": "Colline Metallifere", "kind": "social", "comuni": "Massa Marittima\n053001"},
    )
    district = District.objects.get(name="Colline Metallifere")
    assert response.status_code == 302
    assert {c.istat_code for c in district.comuni.all()} == {"053015", "053001"}


def test_district_with_unknown_or_out_of_scope_comuni_is_not_saved(world, client_for):
    client = client_for("territory_admin")
    response = client.post(
        "/territorio/distretti/nuovo/",
        {"name": "Misto", "kind": "social", "comuni": "Arcidosso\n999999"},
    )
    assert response.status_code == 200 and "999999" in response.content.decode()
    response = client.post(
        "/territorio/distretti/nuovo/",
        {"name": "Misto", "kind": "social", "comuni": "Arcidosso\nZola Predosa"},
    )
    assert response.status_code == 200 and "Zola Predosa" in response.content.decode()
    assert not District.objects.filter(name="Misto").exists()


def test_comune_api_filters_by_region_and_name(world, client):
    response = client.get("/api/v1/territory/comuni/", {"region": "09", "q": "arci"})
    results = response.json()["results"]
    assert [c["istat_code"] for c in results] == ["053001"]
    assert results[0]["is_inner_area"] is True
