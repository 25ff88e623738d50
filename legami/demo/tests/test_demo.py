import io

import pytest
from django.core.management import call_command

from legami.accounts.models import User
from legami.network.models import Organisation, Programme, ProgrammePartner


@pytest.mark.django_db
def test_demo_data_comes_from_the_seeds_and_loads_twice(tmp_path):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    cremona = Programme.objects.get(name="Wel(l)FARE legami")
    assert cremona.partners.count() == 13
    assert ProgrammePartner.objects.get(programme=cremona, role="lead").organisation.name == (
        "Comune di Cremona"
    )
    assert cremona.fundings.get().amount == 1500000
    opificio = Programme.objects.get(name="Opificio di Comunità")
    assert opificio.bodies.get().meetings.get().date.isoformat() == "2025-09-11"
    assert Organisation.objects.filter(name="Comune di Volterra").exists()
    roles = set(User.objects.filter(is_demo=True).values_list("role", flat=True))
    assert {
        "citizen",
        "prescriber",
        "link_worker",
        "provider",
        "territory_admin",
        "evaluator",
        "dpo",
    } <= roles
    assert all(u.last_name.endswith("(demo)") for u in User.objects.filter(is_demo=True))
