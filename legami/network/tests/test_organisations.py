import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legami.core.models import AuditEvent
from legami.network import services
from legami.network.models import Organisation, Relationship

VALID_ORG_CODE = "00297960197"  # 11 digits with a correct check digit
VALID_PERSON_CODE = "RSSMRA85T10A562S"


def test_valid_codes_are_normalised(world, personas):
    org = services.organisation_create(
        by=personas["superuser"],
        name="Coop Sociale",
        sector="social_cooperative",
        comune=world["arcidosso"],
        tax_code=" 00297960197 ",
        vat_number="IT00297960197",
    )
    assert (org.tax_code, org.vat_number) == (VALID_ORG_CODE, VALID_ORG_CODE)
    org2 = services.organisation_create(
        by=personas["superuser"],
        name="Ditta individuale",
        sector="business",
        comune=world["arcidosso"],
        tax_code=VALID_PERSON_CODE.lower(),
    )
    assert org2.tax_code == VALID_PERSON_CODE


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tax_code", "00297960198"),
        ("tax_code", "RSSMRA85T10A562X"),
        ("tax_code", "123"),
        ("vat_number", "12345678901"),
    ],
)
def test_invalid_tax_codes_are_refused_and_nothing_is_saved(world, personas, field, value):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            by=personas["superuser"],
            name="X",
            sector="business",
            comune=world["arcidosso"],
            **{field: value},
        )
    assert field in error.value.message_dict
    assert Organisation.objects.count() == before


def test_duplicate_tax_code_names_the_existing_organisation(world, personas):
    services.organisation_create(
        by=personas["superuser"],
        name="Prima",
        sector="business",
        comune=world["arcidosso"],
        tax_code=VALID_ORG_CODE,
    )
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            by=personas["superuser"],
            name="Seconda",
            sector="business",
            comune=world["arcidosso"],
            tax_code=VALID_ORG_CODE,
        )
    assert "Prima" in error.value.message_dict["tax_code"][0]
    assert not Organisation.objects.filter(name="Seconda").exists()


def test_runts_number_only_for_third_sector(world, personas):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            by=personas["superuser"],
            name="Impresa",
            sector="business",
            comune=world["arcidosso"],
            runts_number="999",
        )
    assert "runts_number" in error.value.message_dict


def test_administrator_cannot_create_outside_their_territory(world, personas):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            by=personas["territory_admin"],
            name="Fuori",
            sector="business",
            comune=world["casalecchio"],
        )
    assert "comune" in error.value.message_dict


def test_relationship_ending_before_it_starts_is_refused(world, personas):
    with pytest.raises(ValidationError) as error:
        services.relationship_create(
            by=personas["superuser"],
            source=world["association"],
            target=world["comune_org"],
            kind="agreement",
            start_date="2025-05-01",
            end_date="2025-04-30",
        )
    assert "end_date" in error.value.message_dict
    assert not Relationship.objects.exists()


def test_writes_are_audited(world, personas):
    org = services.organisation_create(
        by=personas["territory_admin"],
        name="Pro Loco Arcidosso",
        sector="third_sector",
        comune=world["arcidosso"],
    )
    event = AuditEvent.objects.get(object_type="network.organisation", object_id=str(org.pk))
    assert (event.action, event.actor_role) == ("create", "territory_admin")


def test_form_shows_italian_messages_and_saves_nothing(world, client_for):
    client = client_for("territory_admin")
    with translation.override("it"):
        response = client.post(
            "/rete/organizzazioni/nuova/",
            {
                "name": "Nuova",
                "sector": "third_sector",
                "comune": "Comune inesistente",
                "tax_code": "00297960198",
            },
            HTTP_ACCEPT_LANGUAGE="it",
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nessun comune ha nome o codice ISTAT “Comune inesistente”" in body
    assert 'aria-invalid="true"' in body
    assert not Organisation.objects.filter(name="Nuova").exists()


def test_form_creates_an_organisation_by_comune_name_with_province(world, client_for):
    response = client_for("territory_admin").post(
        "/rete/organizzazioni/nuova/",
        {"name": "Biblioteca di Arcidosso", "sector": "cultural_place", "comune": "Arcidosso (GR)"},
    )
    org = Organisation.objects.get(name="Biblioteca di Arcidosso")
    assert response.status_code == 302 and org.comune == world["arcidosso"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(max_size=300),
    tax=st.text(max_size=30),
    comune=st.text(max_size=200),
    postcode=st.text(max_size=10),
    website=st.text(max_size=50),
)
def test_no_typed_input_breaks_the_organisation_form(
    world, client_for, name, tax, comune, postcode, website
):
    response = client_for("territory_admin").post(
        "/rete/organizzazioni/nuova/",
        {
            "name": name,
            "sector": "third_sector",
            "tax_code": tax,
            "comune": comune,
            "postcode": postcode,
            "website": website,
        },
    )
    assert response.status_code in (200, 302)


def test_markup_typed_into_a_field_is_shown_as_text(world, personas, client_for):
    org = services.organisation_create(
        by=personas["superuser"],
        name="<script>alert(1)</script>",
        sector="business",
        comune=world["arcidosso"],
    )
    body = client_for(None).get(f"/rete/organizzazioni/{org.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_organisation_list_query_count_does_not_grow(
    world, personas, client_for, django_assert_max_num_queries
):
    client = client_for(None)
    for i in range(30):
        services.organisation_create(
            by=personas["superuser"],
            name=f"Associazione {i}",
            sector="third_sector",
            comune=world["arcidosso"],
        )
    with django_assert_max_num_queries(4):
        assert client.get("/rete/?sector=third_sector").status_code == 200


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("amiata", {"Associazione Amiata Cammina", "Coop Sociale Amiata"}),
        ("00297960197", {"Coop Sociale Amiata"}),  # codice fiscale
        ("IT 01114601006", {"Coop Sociale Amiata"}),  # partita IVA, as printed on invoices
        ("rssmra85t10a562s", {"Ditta Rossi"}),  # a sole trader's codice fiscale
        ("99999999999", set()),
    ],
)
def test_the_page_and_the_api_find_the_same_organisations(
    typed, expected, world, personas, client_for
):
    services.organisation_create(
        by=personas["superuser"],
        name="Coop Sociale Amiata",
        sector="social_cooperative",
        comune=world["arcidosso"],
        tax_code=VALID_ORG_CODE,
        vat_number="01114601006",
    )
    services.organisation_create(
        by=personas["superuser"],
        name="Ditta Rossi",
        sector="business",
        comune=world["arcidosso"],
        tax_code=VALID_PERSON_CODE,
    )
    client = client_for(None)
    page = client.get("/rete/", {"q": typed}).content.decode()
    on_page = set(re.findall(r'<a href="/rete/organizzazioni/\d+/">([^<]+)</a>', page))
    in_api = {
        o["name"]
        for o in client.get("/api/v1/network/organisations/", {"q": typed}).json()["results"]
    }
    assert on_page == in_api == expected
