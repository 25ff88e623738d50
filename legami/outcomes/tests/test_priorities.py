"""Social priorities: needs recorded in referrals by quarter and comune, small counts hidden,
territory scope, constant number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from legami.directory.models import TaxonomyTerm
from legami.outcomes.queries import priorities as queries_priorities
from legami.referrals import services
from legami.referrals.models import Referral
from legami.referrals.tests.conftest import person_data

pytestmark = pytest.mark.django_db


def _refer(care, count, need_code, comune, start=0):
    need = TaxonomyTerm.objects.get(taxonomy__code="need", code=need_code)
    for number in range(count):
        services.referral_create(
            by=care["prescriber"],
            person=person_data(comune, tax_code="", first_name=f"P{need_code}{start + number}"),
            consents=["care"],
            reasons=[need],
        )


def test_counts_by_quarter_and_comune_with_small_counts_hidden(care):
    _refer(care, 5, "solitudine", care["arcidosso"])  # with the care fixture's own: 6
    _refer(care, 2, "caregiver", care["arcidosso"])
    report = queries_priorities.priorities(Referral.objects.all())
    loneliness = TaxonomyTerm.objects.get(taxonomy__code="need", code="solitudine")
    caregivers = TaxonomyTerm.objects.get(taxonomy__code="need", code="caregiver")
    this_quarter = report.quarters[-1]
    assert this_quarter <= timezone.localdate() and len(report.quarters) == 8
    assert report.by_quarter[loneliness.pk][this_quarter] == 6
    assert report.by_quarter[caregivers.pk][this_quarter] is None  # 2: hidden
    arcidosso = care["arcidosso"].pk
    assert report.by_comune[arcidosso][loneliness.pk] == 6
    assert report.by_comune[arcidosso][caregivers.pk] is None
    assert [c.pk for c in report.comuni] == [arcidosso]


def test_page_scoped_to_the_territory_admin(client, care, django_assert_max_num_queries):
    _refer(care, 6, "solitudine", care["casalecchio"])  # outside Tuscany
    client.force_login(care["territory_admin"])
    with django_assert_max_num_queries(12):
        body = client.get(reverse("outcomes:priorities")).content.decode()
    assert "Casalecchio" not in body and "Arcidosso" in body
    assert "&lt; 5" in body  # Arcidosso's single referral
    client.force_login(care["evaluator"])
    assert "Casalecchio" in client.get(reverse("outcomes:priorities")).content.decode()
