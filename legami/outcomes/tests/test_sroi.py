"""SROI: the arithmetic against an independent closed form, live quantities, bad input, pages."""

from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from legami.outcomes import sroi
from legami.outcomes.models import SroiAnalysis, SroiOutcome
from legami.outcomes.queries import sroi as queries_sroi
from legami.outcomes.services import sroi as services_sroi


def closed_form(quantity, proxy, years, dw, at, dp, drop, rate):
    """Present value as a geometric series: impact/(1+r) * (1 - q^n)/(1 - q), q=(1-d)/(1+r),
    written without cancellation: 1 - q = (r + d)/(1 + r), 1 - q^n = -expm1(n log1p(q - 1))."""
    impact = quantity * proxy * (1 - dw) * (1 - dp) * (1 - at)
    one_minus_q = (rate + drop) / (1 + rate)
    if one_minus_q == 0:
        return impact / (1 + rate) * years
    series = -np.expm1(years * np.log1p(-one_minus_q)) / one_minus_q
    return impact / (1 + rate) * series


@given(
    quantity=st.floats(0, 1e4),
    proxy=st.floats(0, 1e5),
    years=st.integers(1, 20),
    dw=st.floats(0, 1),
    at=st.floats(0, 1),
    dp=st.floats(0, 1),
    drop=st.floats(0, 0.99),
    rate=st.floats(0, 0.2),
)
def test_present_value_matches_the_closed_form(quantity, proxy, years, dw, at, dp, drop, rate):
    outcome = sroi.OutcomeValue(quantity, proxy, years, dw, at, dp, drop)
    expected = closed_form(quantity, proxy, years, dw, at, dp, drop, rate)
    assert sroi.present_value([outcome], rate) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_a_worked_example():
    # 40 people less lonely, 1,000 EUR each a year, 2 years, 20% deadweight, 10% attribution,
    # 50% drop-off, 3.5% discount: year 1 = 40*1000*0.8*0.9/1.035, year 2 = half of it/1.035^2.
    outcome = sroi.OutcomeValue(40, 1000, 2, deadweight=0.2, attribution=0.1, drop_off=0.5)
    year1 = 28_800 / 1.035
    year2 = 14_400 / 1.035**2
    assert sroi.present_value([outcome], 0.035) == pytest.approx(year1 + year2, rel=1e-12)
    assert sroi.ratio([outcome], 0.035, 20_000) == pytest.approx((year1 + year2) / 20_000)
    assert sroi.ratio([outcome], 0.035, 0) is None
    cases = {s.label: s.ratio for s in sroi.sensitivity([outcome], 0.035, 20_000)}
    assert cases["base"] == pytest.approx((year1 + year2) / 20_000)
    assert cases["financial proxies −20%"] == pytest.approx(0.8 * cases["base"])
    assert cases["duration 1 year"] == pytest.approx(year1 / 20_000)
    assert cases["deadweight +10 points"] < cases["base"]


@pytest.fixture
def analysis(care):
    return services_sroi.sroi_analysis_save(
        by=care["territory_admin"],
        data={
            "programme": care["programme"],
            "title": "Coltivare legami 2026",
            "investment": Decimal("20000"),
            "investment_note": "Contributo Interreg e ore di volontariato",
            "discount_rate": Decimal("3.5"),
        },
    )


OUTCOME = {
    "stakeholder": "Persone inviate",
    "outcome": "Meno solitudine",
    "indicator": "UCLA-3 in calo di almeno 1 punto",
    "quantity_source": "manual",
    "quantity": Decimal("40"),
    "proxy": Decimal("1000"),
    "proxy_source": "Valore di esempio",
    "duration": 2,
    "deadweight": Decimal("20"),
    "attribution": Decimal("10"),
    "displacement": Decimal("0"),
    "drop_off": Decimal("50"),
}


@pytest.mark.django_db
def test_analysis_values_its_map(care, analysis):
    services_sroi.sroi_outcome_add(by=care["territory_admin"], analysis=analysis, data=OUTCOME)
    valued = queries_sroi.valuation(analysis)
    expected = 28_800 / 1.035 + 14_400 / 1.035**2
    assert valued.present_value == pytest.approx(expected)
    assert valued.ratio == pytest.approx(expected / 20_000)


@pytest.mark.django_db
def test_live_quantity_counts_people_of_the_programme(care, analysis):
    from legami.outcomes.tests.test_dashboard import _people
    from legami.referrals.models import Referral

    _people(care, 3, seed=30)
    # _people's responses have no referral: tie them to a referral of the programme
    from legami.outcomes.models import Response

    referral = Referral.objects.first()
    referral.programme = care["programme"]
    referral.save(update_fields=["programme"])
    improved = Response.objects.filter(timepoint="follow_up_3m", change__gte=10)
    improved.update(referral=referral)
    people = improved.values("beneficiary").distinct().count()
    assert queries_sroi.live_quantity("who5_improved", care["programme"].pk) == people


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadweight": Decimal("120")}, "deadweight"),
        ({"proxy": Decimal("-5")}, "proxy"),
        ({"duration": 0}, "duration"),
        ({"quantity": None}, "quantity"),
        ({"proxy_source": ""}, "proxy_source"),
    ],
)
def test_bad_outcomes_are_refused_by_field_and_nothing_saved(care, analysis, change, field):
    with pytest.raises(ValidationError) as error:
        services_sroi.sroi_outcome_add(
            by=care["territory_admin"], analysis=analysis, data={**OUTCOME, **change}
        )
    assert field in error.value.message_dict
    assert not SroiOutcome.objects.exists()


@pytest.mark.django_db
def test_pages_territory_admin_builds_evaluator_reads(client, care):
    client.force_login(care["territory_admin"])
    response = client.post(
        reverse("outcomes:sroi_list"),
        {
            "programme": care["programme"].pk,
            "title": "Coltivare legami",
            "investment": "20000",
            "investment_note": "Contributo",
            "discount_rate": "3.5",
        },
    )
    analysis = SroiAnalysis.objects.get()
    assert response.status_code == 302
    url = reverse("outcomes:sroi_detail", args=[analysis.pk])
    page = client.post(url, {"form": "outcome", **OUTCOME, "attribution": "150"})
    assert "Ensure this value is less than or equal to 100" in page.content.decode()
    assert not SroiOutcome.objects.exists()
    client.post(url, {"form": "outcome", **{k: str(v) for k, v in OUTCOME.items()}})
    body = client.get(url).content.decode()
    assert "Meno solitudine" in body and " : 1" in body and "Valore di esempio" in body
    client.force_login(care["evaluator"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "outcome", **OUTCOME}).status_code == 403
