"""Referring someone who already has an open referral: the prescriber is told when that referral
is one they may read, and chooses to add what is new to it or to send a new one; a referral
made elsewhere is never named."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from legami.core.models import AuditEvent
from legami.directory.models import TaxonomyTerm
from legami.referrals import services
from legami.referrals.models import Referral

from .conftest import engage, person_data
from .test_views_cases import form_data, signed_in


def _again(care, by=None, **options):
    return services.referral_create(
        by=by or care["prescriber"],
        person=person_data(care["arcidosso"]),
        consents=["care"],
        reasons=[care["loneliness"]],
        reason_text="Di nuovo sola.",
        **options,
    )


def test_the_service_names_the_open_referral_and_saves_nothing(care):
    before = Referral.objects.count()
    with pytest.raises(services.OpenReferralExists) as refused:
        _again(care)
    assert refused.value.referral == care["referral"]
    assert f"no. {care['referral'].pk}" in refused.value.message
    assert Referral.objects.count() == before


def test_a_new_referral_anyway_when_the_prescriber_says_so(care):
    referral = _again(care, also_if_open=True)
    assert referral.beneficiary == care["referral"].beneficiary
    assert Referral.objects.filter(beneficiary=referral.beneficiary).count() == 2


def test_a_referral_made_elsewhere_is_never_named(care):
    """Another organisation's prescriber who types the same name and birth date learns nothing:
    the referral is made, and the link workers see both on the same record."""
    referral = _again(care, by=care["outside_prescriber"])
    assert referral.beneficiary == care["referral"].beneficiary


def test_an_ended_referral_does_not_count(care):
    referral = engage(care)
    services.referral_transition(
        by=care["link_worker"], referral=referral, to="closed", reason="Trasferita"
    )
    assert _again(care).pk != care["referral"].pk


def test_adding_to_the_open_referral_keeps_one_story(care):
    isolation = TaxonomyTerm.objects.filter(taxonomy__code="need").exclude(
        pk=care["loneliness"].pk
    )[0]
    services.referral_add_to_open(
        by=care["prescriber"],
        referral=care["referral"],
        person=person_data(care["arcidosso"]),
        reasons=[isolation],
        reason_text="Ha smesso di uscire.",
    )
    referral = Referral.objects.get(pk=care["referral"].pk)
    assert set(referral.reasons.all()) == {care["loneliness"], isolation}
    assert referral.reason_text.startswith("Vive sola dopo la morte del marito.")
    assert referral.reason_text.endswith("Ha smesso di uscire.")
    assert AuditEvent.objects.filter(purpose="referral: new request added").count() == 1


def test_adding_is_refused_to_others_and_when_empty(care):
    with pytest.raises(Http404):
        services.referral_add_to_open(
            by=care["outside_prescriber"],
            referral=care["referral"],
            person=person_data(care["arcidosso"]),
            reason_text="x",
        )
    with pytest.raises(ValidationError):
        services.referral_add_to_open(
            by=care["prescriber"],
            referral=care["referral"],
            person=person_data(care["arcidosso"]),
        )


def test_only_the_referral_named_for_the_person_typed_can_be_written_to(care):
    """A colleague cannot point the "add" choice at another person's open referral of the
    organisation: the referral must belong to the person on the form."""
    someone_else = person_data(
        care["arcidosso"], first_name="Gino", last_name="Bianchi", tax_code="", phone="333 1"
    )
    with pytest.raises(Http404):
        services.referral_add_to_open(
            by=care["prescriber"],
            referral=care["referral"],
            person=someone_else,
            reason_text="Scritto sulla persona sbagliata.",
        )
    client = signed_in(care["prescriber"])
    data = form_data(care, first_name="Gino", last_name="Bianchi", reason_text="Altro.")
    response = client.post(
        reverse("referrals:create"),
        {**data, "open_referral": "add", "open_pk": care["referral"].pk},
    )
    assert response.status_code == 404
    assert "Altro." not in Referral.objects.get(pk=care["referral"].pk).reason_text


def test_the_form_offers_both_choices_then_adds(care):
    client = signed_in(care["prescriber"])
    data = form_data(
        care, first_name="Maria", last_name="Rossi", tax_code="", reason_text="Non esce più."
    )
    response = client.post(reverse("referrals:create"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "already has an open referral" in text
    assert 'value="add"' in text and 'value="new"' in text
    count = Referral.objects.count()
    response = client.post(
        reverse("referrals:create"),
        {**data, "open_referral": "add", "open_pk": care["referral"].pk},
    )
    assert response.status_code == 302
    assert Referral.objects.count() == count
    assert "Non esce più." in Referral.objects.get(pk=care["referral"].pk).reason_text


def test_the_api_answers_409_then_creates_when_asked(care):
    client = signed_in(care["prescriber"])
    body = {
        "person": {
            "first_name": "Maria",
            "last_name": "Rossi",
            "birth_date": "1950-01-01",
            "comune": care["arcidosso"].istat_code,
            "phone": "0564 000000",
        },
        "consents": ["care"],
        "reasons": [care["loneliness"].pk],
    }
    url = "/api/v1/referrals/referrals/"
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 409, refused.json()
    assert str(care["referral"].pk) in refused.json()["detail"]
    made = client.post(url, {**body, "also_if_open": True}, content_type="application/json")
    assert made.status_code == 201
