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
    from django.db import transaction
    from django.utils import translation

    from legami.territory.services import _load_inner_areas

    path = tmp_path / "aree.csv"
    path.write_text("istat_code,class\n053015,D\n037011,Z\n")
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="row 3: Z is not"),
        transaction.atomic(),
    ):
        _load_inner_areas(path)
    assert Comune.objects.get(istat_code="053015").inner_area_class == ""


@pytest.mark.django_db
def test_load_comuni_gives_every_comune_its_inner_area_and_point_from_the_official_files():
    """Checked against the files themselves, read here with the csv module."""
    import csv
    from decimal import Decimal
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "data"
    call_command("load_comuni", stdout=io.StringIO())
    official = {
        row["pro_com_t"]: row
        for row in csv.DictReader((data / "aree-interne-2020.csv").open(encoding="utf-8"))
    }
    points = {
        row["pro_com_t"]: row
        for row in csv.DictReader((data / "comuni-coordinate.csv").open(encoding="utf-8"))
    }
    comuni = list(Comune.objects.all())
    for comune in comuni:
        if comune.istat_code in official:
            row = official[comune.istat_code]
            assert comune.inner_area_class == row["cod_ai_2020"], comune
            assert comune.minutes_to_pole == Decimal(row["minuti_polo"]).quantize(Decimal("0.1"))
        if comune.istat_code in points:
            assert abs(float(comune.latitude) - float(points[comune.istat_code]["lat"])) < 1e-5
    arcidosso = Comune.objects.get(istat_code="053001")
    assert arcidosso.inner_area_class == "E" and arcidosso.is_inner_area
    # Merged since 2020: the class of the predecessors, minutes weighted by their residents.
    uggiate = Comune.objects.get(istat_code="013256")
    ronago, trevano = official["013199"], official["013228"]
    weights = [(int(r["popolazione_2020"]), Decimal(r["minuti_polo"])) for r in (ronago, trevano)]
    expected = sum(w * m for w, m in weights) / sum(w for w, _m in weights)
    assert uggiate.inner_area_class == "D"
    assert uggiate.minutes_to_pole == expected.quantize(Decimal("0.1"))
    without_class = [c for c in comuni if not c.inner_area_class]
    without_point = [c for c in comuni if c.latitude is None]
    assert without_class == []
    assert len(without_point) <= 2, without_point


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
