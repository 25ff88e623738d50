"""The impact dashboard: figures computed by the database and checked against scipy on the same
pairs; small groups suppressed (with the complement); territory scope; constant query count."""

import random
from datetime import timedelta

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from scipy import stats as sp

from legami.outcomes import services
from legami.outcomes.models import Instrument
from legami.referrals.models import Beneficiary
from legami.referrals.services import consent_give

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _people(care, count, *, comune=None, gender="", seed=0, by=None):
    """`count` people with a WHO-5 baseline and 3-month follow-up; returns their (before, after)
    WHO-5 scores, computed here from the answers (raw x 4), not read back from Legami."""
    rng = random.Random(seed)
    who5 = Instrument.objects.get(code="who5")
    pairs = []
    for number in range(count):
        person = Beneficiary.objects.create(
            first_name="Esempio",
            last_name=f"Persona {seed}-{number}",
            comune=comune or care["arcidosso"],
            gender=gender,
        )
        consent_give(by=None, beneficiary=person, purpose="outcomes")
        before = [rng.randint(0, 5) for _ in range(5)]
        after = [min(5, max(0, a + rng.choice([-1, 0, 1, 1, 2]))) for a in before]
        for timepoint, answers, days in (("baseline", before, 100), ("follow_up_3m", after, 5)):
            services.response_record(
                by=by or care["link_worker"],
                instrument=who5,
                beneficiary=person,
                timepoint=timepoint,
                administered_on=TODAY - timedelta(days=days),
                answers=dict(enumerate(answers, start=1)),
            )
        pairs.append((sum(before) * 4, sum(after) * 4))
    return pairs


def _expected(pairs, mic=10):
    x = np.array([p[0] for p in pairs], dtype=float)
    y = np.array([p[1] for p in pairs], dtype=float)
    d = y - x
    low, high = sp.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=sp.sem(d))
    return {
        "n": len(d),
        "mean_before": x.mean(),
        "mean_after": y.mean(),
        "mean_change": d.mean(),
        "sd_change": sp.tstd(d),
        "ci_low": low,
        "ci_high": high,
        "cohens_dz": d.mean() / sp.tstd(d),
        "wilcoxon_p": sp.wilcoxon(d).pvalue,  # scipy's own choice of method, as ours
        "share_improved": float(np.mean(d >= mic)),
        "share_deteriorated": float(np.mean(d <= -mic)),
    }


def _api(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("api:outcomes-impact-list"), {"instrument": "who5", **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_overall_change_agrees_with_scipy(client, care):
    pairs = _people(care, 24, seed=1)
    overall = _api(client, care["territory_admin"])["overall"]
    for key, value in _expected(pairs).items():
        assert overall[key] == pytest.approx(value, abs=1e-9), key


def test_breakdown_suppresses_small_groups_and_their_complement(client, care):
    women = _people(care, 12, gender="female", seed=2)
    _people(care, 7, gender="male", seed=3)
    _people(care, 3, gender="other", seed=4)
    report = _api(client, care["evaluator"], breakdown="gender")
    rows = {row["group"]: row for row in report["rows"]}
    assert rows["woman"]["change"]["n"] == 12
    assert rows["woman"]["change"]["mean_change"] == pytest.approx(
        _expected(women)["mean_change"], abs=1e-9
    )
    # "other" has 3 people; "man" is hidden too, or 22 - 12 - 7 would give the 3 away.
    assert set(rows) == {"woman"}
    assert report["hidden_groups"] == 2
    assert report["overall"]["n"] == 22


def test_fewer_than_five_people_show_nothing(client, care):
    _people(care, 4, seed=5)
    report = _api(client, care["territory_admin"], breakdown="comune")
    assert report["overall"] is None and report["rows"] == []
    client.force_login(care["territory_admin"])
    page = client.get(reverse("outcomes:dashboard"))
    assert "Fewer than 5 people" in page.content.decode()


def test_territory_admin_sees_only_their_territory(client, care):
    inside = _people(care, 6, seed=6)
    _people(care, 6, comune=care["casalecchio"], seed=7, by=care["outside_worker"])
    assert _api(client, care["territory_admin"])["overall"]["n"] == len(inside)
    assert _api(client, care["evaluator"])["overall"]["n"] == 12


def test_dashboard_page_shows_table_and_chart_data(client, care):
    _people(care, 6, gender="female", seed=8)
    _people(care, 6, gender="male", seed=9)
    client.force_login(care["territory_admin"])
    page = client.get(reverse("outcomes:dashboard"), {"breakdown": "gender"})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="impact-data"' in body and "impact-chart" in body
    assert '<th scope="row">woman</th>' in body and '<th scope="row">man</th>' in body


def test_bad_filters_are_named_not_a_500(client, care):
    client.force_login(care["territory_admin"])
    page = client.get(
        reverse("outcomes:dashboard"),
        {"breakdown": "shoe_size", "date_from": "2026-05-01", "date_to": "2026-01-01"},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Select a valid choice" in body
    assert "The end date comes before the start date." in body
    api = client.get(reverse("api:outcomes-impact-list"), {"instrument": "nonesuch"})
    assert api.status_code == 400 and "instrument" in api.json()


@pytest.mark.parametrize(
    "breakdown",
    [
        "",
        "programme",
        "domain",
        "provider",
        "comune",
        "inner_area",
        "inner_area_class",
        "gender",
        "age_band",
    ],
)
def test_query_count_does_not_grow_with_people(
    client, care, breakdown, django_assert_max_num_queries
):
    client.force_login(care["territory_admin"])
    url = reverse("outcomes:dashboard")
    _people(care, 6, seed=10)
    with django_assert_max_num_queries(14):
        assert client.get(url, {"breakdown": breakdown}).status_code == 200
    _people(care, 14, seed=11)
    with django_assert_max_num_queries(14):
        assert client.get(url, {"breakdown": breakdown}).status_code == 200


def test_inner_area_breakdowns_read_the_class_of_the_comune(care):
    from legami.outcomes import queries
    from legami.outcomes.models import Response
    from legami.territory.models import Comune

    grosseto = Comune.objects.create(
        istat_code="053011", name="Grosseto", province=care["grosseto"], inner_area_class="A"
    )
    care["district"].comuni.add(grosseto, care["massa"])  # the link worker's territory
    _people(care, 6, seed=21)  # Arcidosso, class E (peripheral)
    _people(care, 5, comune=grosseto, seed=22)
    _people(care, 5, comune=care["massa"], seed=23)  # no class recorded
    who5 = Instrument.objects.get(code="who5")
    by_class = queries.impact(Response.objects.all(), instrument=who5, dimension="inner_area_class")
    rows = {row.key: (row.label, row.change.n) for row in by_class.rows}
    assert rows == {
        "E": ("E - peripheral (inner area)", 6),
        "A": ("A - pole", 5),
        "-": ("not recorded", 5),
    }
    inner = queries.impact(Response.objects.all(), instrument=who5, dimension="inner_area")
    assert {row.key: row.change.n for row in inner.rows} == {"yes": 6, "no": 5, "-": 5}


def test_page_lists_the_largest_groups_the_api_all(care):
    from legami.outcomes import queries
    from legami.outcomes.models import Response

    _people(care, 7, gender="female", seed=13)
    _people(care, 6, gender="male", seed=14)
    who5 = Instrument.objects.get(code="who5")
    page = queries.impact(Response.objects.all(), instrument=who5, dimension="gender", largest=1)
    assert [row.key for row in page.rows] == ["female"] and page.more_groups == 1
    every = queries.impact(Response.objects.all(), instrument=who5, dimension="gender")
    assert {row.key for row in every.rows} == {"female", "male"} and every.more_groups == 0


def test_spreadsheet_has_the_same_figures_as_the_api(client, care):
    from io import BytesIO

    from openpyxl import load_workbook

    _people(care, 6, gender="female", seed=15)
    _people(care, 5, gender="male", seed=16)
    report = _api(client, care["evaluator"], breakdown="gender")
    response = client.get(reverse("outcomes:dashboard_xlsx"), {"breakdown": "gender"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    by_group = {row[0]: row for row in rows if row and row[0] in ("woman", "man", "All")}
    for row in report["rows"]:
        assert by_group[row["group"]][1] == row["change"]["n"]
        assert by_group[row["group"]][4] == round(row["change"]["mean_change"], 2)
    assert by_group["All"][1] == report["overall"]["n"] == 11


def test_pdf_report_holds_the_figures_and_the_chart(client, care, monkeypatch):
    from legami.core import pdf

    drawn = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: drawn.append(html) or real(html))
    _people(care, 6, gender="female", seed=17)
    _people(care, 6, gender="male", seed=18)
    report = _api(client, care["territory_admin"], breakdown="gender")
    response = client.get(reverse("outcomes:dashboard_pdf"), {"breakdown": "gender"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (html,) = drawn
    assert "<svg" in html and ">woman<" in html and ">man<" in html
    assert f"{report['overall']['mean_change']:.2f}" in html
    assert "Wilcoxon" in html


def test_chart_of_the_pdf_marks_zero_and_every_group(care):
    from legami.outcomes import queries
    from legami.outcomes.models import Response
    from legami.outcomes.report import pdf as report_pdf

    _people(care, 6, gender="female", seed=19)
    _people(care, 6, gender="male", seed=20)
    report = queries.impact(
        Response.objects.all(), instrument=Instrument.objects.get(code="who5"), dimension="gender"
    )
    svg = report_pdf.chart_svg(report, "title")
    assert svg.startswith("<svg") and svg.count("<rect") == 3  # two groups and all
    assert ">woman<" in svg and ">man<" in svg


def test_ons4_is_compared_one_question_at_a_time_against_scipy(client, care):
    """ONS4 has no total: each question's change, anxiety with lower as better."""
    rng = random.Random(40)
    ons4 = Instrument.objects.get(code="ons4")
    pairs = {"life_satisfaction": [], "anxiety": []}
    for number in range(9):
        person = Beneficiary.objects.create(
            first_name="Esempio", last_name=f"ONS {number}", comune=care["arcidosso"]
        )
        consent_give(by=None, beneficiary=person, purpose="outcomes")
        before = [rng.randint(0, 10) for _ in range(4)]
        after = [min(10, max(0, a + rng.choice([-3, -1, 0, 2, 4]))) for a in before]
        if number == 8:
            after[3] = None  # anxiety not answered at follow-up: out of that comparison only
        for timepoint, answers, days in (("baseline", before, 100), ("follow_up_3m", after, 5)):
            services.response_record(
                by=care["link_worker"],
                instrument=ons4,
                beneficiary=person,
                timepoint=timepoint,
                administered_on=TODAY - timedelta(days=days),
                answers=dict(enumerate(answers, start=1)),
            )
        pairs["life_satisfaction"].append((before[0], after[0]))
        if after[3] is not None:
            pairs["anxiety"].append((before[3], after[3]))
    first = _api(client, care["evaluator"], instrument="ons4")
    assert first["subscale"] == "life_satisfaction"
    for key, value in _expected(pairs["life_satisfaction"], mic=1).items():
        assert first["overall"][key] == pytest.approx(value, abs=1e-9), key
    anxiety = _api(client, care["evaluator"], instrument="ons4", subscale="anxiety")["overall"]
    expected = _expected(pairs["anxiety"], mic=1)
    assert anxiety["n"] == 8
    assert anxiety["mean_change"] == pytest.approx(expected["mean_change"], abs=1e-9)
    # lower anxiety is the improvement: the shares swap
    assert anxiety["share_improved"] == pytest.approx(expected["share_deteriorated"], abs=1e-9)
    assert anxiety["share_deteriorated"] == pytest.approx(expected["share_improved"], abs=1e-9)
    bad = client.get(reverse("api:outcomes-impact-list"), {"instrument": "ons4", "subscale": "x"})
    assert bad.status_code == 400 and "no question" in bad.content.decode()
    page = client.get(reverse("outcomes:dashboard"), {"instrument": ons4.pk, "subscale": "anxiety"})
    assert "ONS personal well-being (ONS4) · Anxiety" in page.content.decode()


def test_a_programmes_pdf_report_adds_its_organisation_indicators(client, care, monkeypatch):
    from legami.core import pdf
    from legami.outcomes.services import indicators as services_indicators

    drawn = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: drawn.append(html) or b"%PDF-")
    services_indicators.indicator_create(
        by=None,
        data={
            "programme": care["programme"],
            "area": "network",
            "name": "Nuovi legami nella rete",
            "metric": "partners",
            "target_value": 4,
            "target_date": care["programme"].start_date + timedelta(days=300),
        },
    )
    client.force_login(care["territory_admin"])
    client.get(reverse("outcomes:dashboard_pdf"), {"programme": care["programme"].pk})
    client.get(reverse("outcomes:dashboard_pdf"))
    with_programme, without = drawn
    assert "Nuovi legami nella rete" in with_programme and "25%" in with_programme
    assert "Nuovi legami nella rete" not in without
