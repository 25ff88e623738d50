"""Social prescribing speaks Italian by default (the other tests assert English messages)."""

import pytest

from .conftest import engage


@pytest.fixture
def italian(settings):
    settings.LANGUAGE_CODE = "it"


def test_self_referral_form_is_in_italian(italian, client, world):
    body = client.get("/invii/autosegnalazione/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Acconsento a essere contattato" in body  # the contact consent's text
    assert "I agree" not in body


def test_full_activity_message_is_in_italian(italian, care, client):
    referral = engage(care)
    care["activity"].referral_slots = 0
    care["activity"].save(update_fields=["referral_slots"])
    client.force_login(care["link_worker"])
    response = client.post(
        f"/invii/{referral.pk}/iscrivi/",
        {"activity": care["activity"].pk},
        HTTP_ACCEPT_LANGUAGE="it",
        follow=True,
    )
    body = response.content.decode()
    assert "Camminata nei castagneti" in body
    assert "no places left" not in body
    assert "posti" in body
