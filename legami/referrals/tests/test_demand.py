"""Demand on the directory's coverage page: the people referred with each need, per comune of
the territory admin's territory, crossed with the activities that answer it. Small counts are
hidden, comuni outside the territory never appear, and the page costs the same queries
whatever the number of comuni and referrals."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legami.core import roles
from legami.core.modules import metric
from legami.directory.models import TaxonomyTerm
from legami.referrals import services
from legami.referrals.demand import NEED_DEMAND, need_demand
from legami.territory.models import Comune

from .conftest import person_data


def _refer(care, comune, need, count, prefix):
    for i in range(count):
        services.referral_create(
            by=care["prescriber"],
            person=person_data(comune, tax_code="", first_name=f"{prefix}{i}"),
            consents=["care"],
            reasons=[need],
        )


def _rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


def _row(html: str, name: str) -> str:
    start = html.index(f'<th scope="row">{name}</th>')
    return html[start : html.index("</tr>", start)]


@pytest.fixture
def demand_world(care, personas):
    massa = care["massa"]
    massa.inner_area_class, massa.minutes_to_pole = "D", "31.2"
    massa.save(update_fields=["inner_area_class", "minutes_to_pole"])
    grief = TaxonomyTerm.objects.get(taxonomy__code="need", code="lutto")
    mood = TaxonomyTerm.objects.get(taxonomy__code="need", code="umore-ansia")
    _refer(care, massa, grief, 6, "Lutto")  # demand, no activity: where to act
    _refer(care, care["arcidosso"], mood, 2, "Umore")  # where to act too, but a small count
    _refer(care, care["casalecchio"], grief, 7, "Fuori")  # outside the admin's region
    return {**care, "grief": grief, "mood": mood, "superuser": personas[roles.SUPERUSER]}


def test_need_demand_counts_people_and_hides_small_counts(demand_world):
    w = demand_world
    assert metric(NEED_DEMAND) is need_demand  # what the directory reads, through the manifest
    counts = need_demand(w["territory_admin"], Comune.objects.all())
    assert counts[(w["massa"].pk, w["grief"].pk)] == 6
    assert counts[(w["arcidosso"].pk, w["mood"].pk)] is None  # 2 people: fewer than 5
    assert counts[(w["arcidosso"].pk, w["loneliness"].pk)] is None  # the fixture's referral
    assert (w["casalecchio"].pk, w["grief"].pk) not in counts  # not the admin's territory
    # Only territory admins (and the superuser) may count; a link worker gets nothing.
    assert need_demand(w["link_worker"], Comune.objects.all()) == {}
    everyone = need_demand(w["superuser"], Comune.objects.all())
    assert everyone[(w["casalecchio"].pk, w["grief"].pk)] == 7


def test_coverage_flags_where_to_act_first_and_suppresses_small_cells(demand_world, client_for):
    w = demand_world
    html = client_for(roles.TERRITORY_ADMIN).get(reverse("directory:coverage")).content.decode()
    rows = _rows(html)
    # Massa: six people asking about bereavement and no activity for it. Arcidosso: needs asked
    # for (low mood; loneliness is answered by the walking group) by fewer than five people.
    assert rows[:2] == ["Massa Marittima (GR)", "Arcidosso (GR)"]
    assert not any("Casalecchio" in r or "Zola" in r for r in rows)
    massa = _row(html, "Massa Marittima (GR)")
    assert "D · intermediate comune" in massa and "<td>31</td>" in massa
    assert 'class="legami-act"><span class="visually-hidden">where to act: </span>0' in massa
    assert '<td class="legami-act">6</td>' in massa
    arcidosso = _row(html, "Arcidosso (GR)")
    assert "E · peripheral comune" in arcidosso
    assert w["mood"].label in arcidosso.split("</td>")[2]  # the "where to act" column
    assert "&lt; 5" in arcidosso and ">2<" not in arcidosso
    # The loneliness activity answers the fixture's referral: demand, but nothing to flag.
    assert w["loneliness"].label not in arcidosso.split("</td>")[2]
    only_act = client_for(roles.TERRITORY_ADMIN).get(reverse("directory:coverage"), {"act": "1"})
    assert _rows(only_act.content.decode()) == ["Massa Marittima (GR)", "Arcidosso (GR)"]


def test_coverage_queries_do_not_grow_with_comuni_or_referrals(
    demand_world, client_for, django_assert_max_num_queries
):
    w = demand_world
    client = client_for(roles.TERRITORY_ADMIN)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("directory:coverage")).status_code == 200
    for i in range(5):
        comune = Comune.objects.create(
            istat_code=f"05309{i}", name=f"Borgo {i}", province=w["grosseto"]
        )
        _refer(w, comune, w["grief"], 5, f"Borgo{i}-")
    with django_assert_max_num_queries(len(first.captured_queries)):
        html = client.get(reverse("directory:coverage")).content.decode()
    assert len(_rows(html)) == 7
