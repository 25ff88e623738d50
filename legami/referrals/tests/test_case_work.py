"""What the link worker sees of their work on the caseload and the case page (open cases before
ended ones, the late first contact flagged on both), and the programme a referral counts in:
chosen by the prescriber, defaulted from the district, changed by the link worker, in the API."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from legami.core.models import AuditEvent
from legami.referrals import services
from legami.referrals.models import Referral, ReferralSettings

from .conftest import engage, person_data
from .test_views_cases import another_referral, form_data, page, signed_in

WEIGHTS = ("need", "distance", "schedule", "cost", "access", "language", "capacity")

pytestmark = pytest.mark.django_db


def test_the_caseload_lists_open_cases_before_ended_ones(care):
    worker = care["link_worker"]
    ended = engage(care, another_referral(care, first_name="Ada", last_name="Chiusa"))
    services.referral_transition(by=worker, referral=ended, to="declined", reason="Non ora")
    late = another_referral(care, first_name="Bruno", last_name="Tardi")
    Referral.objects.filter(pk=late.pk).update(
        first_contact_due=timezone.localdate() - timedelta(days=2)
    )
    html = page(signed_in(worker).get(reverse("referrals:caseload"), {"view": "all"}))
    # The late first contact heads the list, the other open case follows, the ended one last.
    assert html.index("Bruno Tardi") < html.index("Maria Rossi") < html.index("Ada Chiusa")


def test_the_case_page_flags_a_late_first_contact(care):
    referral = care["referral"]
    client = signed_in(care["link_worker"])
    url = reverse("referrals:detail", args=[referral.pk])
    assert "overdue: first contact late" not in page(client.get(url))
    Referral.objects.filter(pk=referral.pk).update(
        first_contact_due=timezone.localdate() - timedelta(days=1)
    )
    assert "overdue: first contact late" in page(client.get(url))
    # The prescriber following the referral sees it is late too.
    assert "overdue: first contact late" in page(signed_in(care["prescriber"]).get(url))


# --- the programme a referral counts in ------------------------------------------------------
@pytest.fixture
def programmes(care):
    """The world's running programme covering Arcidosso, one that has ended there, and one
    running elsewhere only."""
    from legami.network.models import Programme

    ended = Programme.objects.create(
        name="Progetto concluso", start_date=date(2020, 1, 1), end_date=date(2021, 12, 31)
    )
    ended.comuni.set([care["arcidosso"]])
    elsewhere = Programme.objects.create(name="Altrove", start_date=date(2024, 1, 1))
    elsewhere.comuni.set([care["casalecchio"]])
    return {"running": care["programme"], "ended": ended, "elsewhere": elsewhere}


def test_the_prescriber_chooses_the_programme_and_a_refused_one_says_why(care, programmes):
    client = signed_in(care["prescriber"])
    form = page(client.get(reverse("referrals:create")))
    assert "Comunità resilienti" in form and "Progetto concluso" not in form
    response = client.post(
        reverse("referrals:create"), form_data(care, programme=programmes["running"].pk)
    )
    assert response.status_code == 302
    assert Referral.objects.latest("pk").programme == programmes["running"]
    # A programme of another territory: the page says so, nothing is referred.
    count = Referral.objects.count()
    html = page(
        client.post(
            reverse("referrals:create"),
            form_data(care, first_name="Ugo", programme=programmes["elsewhere"].pk),
        )
    )
    assert "does not cover the person&#x27;s comune" in html
    assert Referral.objects.count() == count
    # An ended programme is not even offered.
    html = page(
        client.post(
            reverse("referrals:create"),
            form_data(care, first_name="Ugo", programme=programmes["ended"].pk),
        )
    )
    assert "Select a valid choice" in html and Referral.objects.count() == count


def test_a_referral_counts_in_the_districts_default_programme(care, programmes):
    from legami.referrals.services.settings import referral_settings_save

    admin = care["territory_admin"]
    with pytest.raises(ValidationError) as refused:
        referral_settings_save(
            by=admin, district=care["district"], default_programme=programmes["elsewhere"]
        )
    assert "default_programme" in refused.value.message_dict
    # Through the administrator's page.
    url = reverse("referrals:settings_edit", args=[care["district"].pk])
    client = signed_in(admin)
    assert "Comunità resilienti" in page(client.get(url))
    data = {
        "first_contact_working_days": 5,
        "provider_reminder_days": 3,
        "provider_return_days": 7,
        **{f"weight_{w}": 1 for w in WEIGHTS},
        "default_programme": programmes["running"].pk,
    }
    assert client.post(url, data).status_code == 302
    saved = ReferralSettings.objects.get(district=care["district"])
    assert saved.default_programme == programmes["running"]
    referral = another_referral(care)
    assert referral.programme == programmes["running"]
    # Outside the district the default does not apply.
    outside = services.referral_create(
        by=care["prescriber"],
        person=person_data(care["casalecchio"], tax_code="", first_name="Zeno"),
        consents=["care"],
    )
    assert outside.programme is None


def test_the_link_worker_changes_the_programme_on_the_case_page(care, programmes):
    referral = care["referral"]
    client = signed_in(care["link_worker"])
    detail = page(client.get(reverse("referrals:detail", args=[referral.pk])))
    assert 'name="programme"' in detail and "Progetto concluso" not in detail
    url = reverse("referrals:programme", args=[referral.pk])
    html = page(client.post(url, {"programme": programmes["running"].pk}, follow=True))
    assert "counts in “Comunità resilienti”" in html
    referral.refresh_from_db()
    assert referral.programme == programmes["running"]
    assert AuditEvent.objects.filter(
        purpose="referral programme", object_id=str(referral.pk), actor=care["link_worker"]
    ).exists()
    assert referral.events.filter(note="programme: Comunità resilienti").exists()
    # Refused: one of another territory (the service says why), one that has ended.
    with pytest.raises(ValidationError):
        services.referral_programme_set(
            by=care["link_worker"], referral=referral, programme=programmes["elsewhere"]
        )
    with pytest.raises(ValidationError):
        services.referral_programme_set(
            by=care["link_worker"], referral=referral, programme=programmes["ended"]
        )
    html = page(client.post(url, {"programme": programmes["elsewhere"].pk}, follow=True))
    assert "Choose a programme from the list" in html
    referral.refresh_from_db()
    assert referral.programme == programmes["running"]
    html = page(client.post(url, {"programme": ""}, follow=True))
    assert "counts in no programme" in html
    referral.refresh_from_db()
    assert referral.programme is None
    # The prescriber reads the programme, and may not change it.
    assert signed_in(care["prescriber"]).post(url, {"programme": ""}).status_code == 403


def test_the_api_takes_only_a_programme_of_the_persons_territory_that_is_running(care, programmes):
    from .test_api import REFERRALS, payload, post
    from .test_api import signed_in as api_client

    client = api_client(care["prescriber"])
    made = post(client, REFERRALS, payload(care, programme=programmes["running"].pk))
    assert made.status_code == 201, made.content
    assert made.json()["programme"] == programmes["running"].pk
    count = Referral.objects.count()
    for refused in ("ended", "elsewhere"):
        person = {**payload(care)["person"], "tax_code": "", "first_name": refused}
        response = post(
            client, REFERRALS, payload(care, person=person, programme=programmes[refused].pk)
        )
        assert response.status_code == 400, response.content
        assert "programme" in response.json()
    assert Referral.objects.count() == count
    # The link worker changes it through the API; a refused one changes nothing.
    worker = api_client(care["link_worker"])
    referral = care["referral"]
    url = f"{REFERRALS}{referral.pk}/programme/"
    response = post(worker, url, {"programme": programmes["ended"].pk})
    assert response.status_code == 400 and "programme" in response.json()
    response = post(worker, url, {"programme": programmes["running"].pk})
    assert response.status_code == 200 and response.json()["programme"] == programmes["running"].pk
    response = post(worker, url, {"programme": None})
    assert response.status_code == 200 and response.json()["programme"] is None
