"""Impact on organisations: live indicators counted from the network and the referrals against
hand-built data, progress and schedule against hand computation, bad input refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from legami.network.models import Organisation, ProgrammePartner, Relationship
from legami.outcomes.models import Indicator, IndicatorReading
from legami.outcomes.queries import indicators as queries_indicators
from legami.outcomes.services import indicators as services_indicators
from legami.referrals import services as referrals
from legami.referrals.models import Enrolment, Referral
from legami.referrals.tests.conftest import person_data

pytestmark = pytest.mark.django_db


def _indicator(care, **changes):
    data = {
        "programme": care["programme"],
        "area": "competences",
        "name": "Operatori formati",
        "target_value": 100,
        "target_date": care["programme"].start_date + timedelta(days=200),
        **changes,
    }
    return services_indicators.indicator_create(by=care["territory_admin"], data=data)


def test_new_ties_count_those_of_partners_since_the_programme_began(care):
    programme, lead = care["programme"], care["comune_org"]
    start = programme.start_date
    other = Organisation.objects.create(
        name="Coro di Arcidosso", sector="third_sector", comune=lead.comune
    )
    ties = [
        (lead, care["association"], start - timedelta(days=1)),  # before: not new
        (lead, care["association"], start + timedelta(days=3)),  # new, lead partner at one end
        (other, lead, start + timedelta(days=40)),  # new, partner at the other end
        (other, care["association"], start + timedelta(days=50)),  # no partner: not counted
    ]
    for source, target, began in ties:
        Relationship.objects.create(
            source=source, target=target, kind="agreement", start_date=began
        )
    today = start + timedelta(days=60)
    assert queries_indicators.new_ties(programme, today) == 2
    assert queries_indicators.new_ties(programme, start + timedelta(days=10)) == 1
    ProgrammePartner.objects.create(programme=programme, organisation=other)
    assert queries_indicators.new_ties(programme, today) == 3
    assert queries_indicators.partner_count(programme, today) == 2


def test_first_time_participants_and_small_counts_hidden(care):
    programme = care["programme"]
    activity = care["activity"]
    people = []
    for n in range(6):
        referral = referrals.referral_create(
            by=care["prescriber"],
            person=person_data(care["arcidosso"], last_name=f"Prova{n}", tax_code=""),
            consents=["care"],
            reasons=[care["loneliness"]],
        )
        people.append(referral)
    Referral.objects.filter(pk__in=[r.pk for r in people[:5]]).update(programme=programme)
    for n, referral in enumerate(people):
        status = "accepted" if n != 4 else "declined"  # a declined enrolment is not taking part
        Enrolment.objects.create(referral=referral, activity=activity, status=status)
    # the first person had already taken part before the programme began
    early = Enrolment.objects.create(referral=people[0], activity=activity, status="completed")
    Enrolment.objects.filter(pk=early.pk).update(
        sent_at=timezone.make_aware(timezone.datetime(2025, 1, 10))
    )
    # within the programme, accepted, never before: people 1, 2, 3 (4 declined, 5 elsewhere)
    today = timezone.localdate()
    assert queries_indicators.first_time_participants(programme, today) == 3
    status = queries_indicators.indicator_status(
        _indicator(care, metric="first_time", area="audience", target_value=50), programme
    )
    assert status["hidden"] and status["current"] is None and status["state"] == "hidden"


def test_progress_and_schedule_of_a_recorded_indicator(care):
    programme = care["programme"]
    start = programme.start_date
    indicator = _indicator(care, baseline_value=20, target_value=120)
    halfway = start + timedelta(days=100)
    assert queries_indicators.indicator_status(indicator, programme, halfway)["state"] == "no_data"
    services_indicators.reading_add(
        by=care["territory_admin"], indicator=indicator, measured_on=halfway, value=Decimal(70)
    )
    on_time = queries_indicators.indicator_status(indicator, programme, halfway)
    assert on_time["progress"] == pytest.approx(0.5) and on_time["expected"] == pytest.approx(0.5)
    assert on_time["state"] == "on_track" and on_time["current"] == 70
    late = queries_indicators.indicator_status(indicator, programme, start + timedelta(days=150))
    assert late["expected"] == pytest.approx(0.75) and late["state"] == "behind"
    services_indicators.reading_add(
        by=care["territory_admin"],
        indicator=indicator,
        measured_on=halfway + timedelta(days=1),
        value=Decimal(130),
        note="Registro corsi 2026",
    )
    reached = queries_indicators.indicator_status(indicator, programme, halfway)
    assert reached["state"] == "reached" and reached["progress"] == 1.0


def test_bad_indicator_input_is_named_and_nothing_saved(care):
    with pytest.raises(Exception, match="must differ"):
        _indicator(care, baseline_value=5, target_value=5)
    with pytest.raises(Exception, match="before the programme starts"):
        _indicator(care, target_date=date(2020, 1, 1))
    live = _indicator(care, metric="new_ties", area="network")
    with pytest.raises(Exception, match="takes no values by hand"):
        services_indicators.reading_add(
            by=None, indicator=live, measured_on=timezone.localdate(), value=3
        )
    manual = _indicator(care)
    with pytest.raises(Exception, match="future"):
        services_indicators.reading_add(
            by=None,
            indicator=manual,
            measured_on=timezone.localdate() + timedelta(days=1),
            value=3,
        )
    assert Indicator.objects.count() == 2 and not IndicatorReading.objects.exists()


def test_page_defines_indicators_and_records_values(client, care):
    client.force_login(care["territory_admin"])
    url = reverse("outcomes:organisations")
    response = client.post(
        url,
        {
            "programme": care["programme"].pk,
            "area": "network",
            "name": "Nuovi legami",
            "metric": "new_ties",
            "baseline_value": "0",
            "target_value": "10",
            "target_date": "2027-06-30",
        },
    )
    assert response.status_code == 302
    manual = _indicator(care)
    client.post(
        reverse("outcomes:reading_add", args=[manual.pk]),
        {
            f"reading-{manual.pk}-measured_on": timezone.localdate().isoformat(),
            f"reading-{manual.pk}-value": "45",
            f"reading-{manual.pk}-note": "Registro presenze",
        },
    )
    assert manual.readings.get().value == 45
    page = client.get(url, {"programme": care["programme"].pk}).content.decode()
    assert "Nuovi legami" in page and "45" in page and "<progress" in page
    client.force_login(care["evaluator"])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"programme": care["programme"].pk, "name": "X"})
    assert refused.status_code == 403 and Indicator.objects.count() == 2


def test_api_lists_a_programmes_indicators_with_progress(client, care):
    indicator = _indicator(
        care, baseline_value=0, target_value=10, metric="partners", area="network"
    )
    client.force_login(care["evaluator"])
    url = reverse("api:outcomes-indicator-list")
    rows = client.get(url, {"programme": care["programme"].pk}).json()
    assert rows[0]["id"] == indicator.pk and rows[0]["current"] == "1.00"
    assert rows[0]["progress"] == pytest.approx(0.1)
    assert client.get(url, {"programme": "x"}).status_code == 400


def test_organisations_page_queries_are_bounded(client, care, django_assert_max_num_queries):
    for n, metric in enumerate(["manual", "new_ties", "first_time", "partners", "survey_orgs"]):
        indicator = _indicator(care, name=f"Indicatore {n}", metric=metric)
        if metric == "manual":
            services_indicators.reading_add(
                by=None, indicator=indicator, measured_on=timezone.localdate(), value=n
            )
    client.force_login(care["territory_admin"])
    # 12 today: one query per live indicator (each counts its own source), the rest fixed
    with django_assert_max_num_queries(14):
        page = client.get(reverse("outcomes:organisations"), {"programme": care["programme"].pk})
    assert page.status_code == 200 and "Indicatore 4" in page.content.decode()
