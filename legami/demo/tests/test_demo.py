import io

import pytest
from django.core.management import call_command

from legami.accounts.models import User
from legami.network.models import GovernanceBody, Organisation, Programme, ProgrammePartner
from legami.network.permissions import policy as network_policy


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
    meeting = opificio.bodies.get().meetings.get()
    assert meeting.date.isoformat() == "2025-09-11"
    assert "beni comuni" in meeting.minutes
    assert [o.name for o in meeting.attendees.all()] == ["Comune di Santarcangelo di Romagna"]
    decision = meeting.decisions.get()
    assert (decision.owner.name, decision.due_date.isoformat()) == (
        "Comune di Santarcangelo di Romagna",
        "2025-09-30",
    )
    ristretta = GovernanceBody.objects.get(name="Cabina di regia ristretta")
    assert ristretta.meetings.get().attendees.count() == 5
    assert ristretta.meetings.get().decisions.get().owner.name.startswith("Ufficio di Piano")
    # "Comunità resilienti" has no lead partner: the demo's territory administrator, whose
    # region holds its three comuni, edits it.
    territory_admin = User.objects.get(email="territorio@demo.legami.example")
    resilienti = Programme.objects.get(name="Comunità resilienti")
    assert not resilienti.partners.filter(role="lead").exists()
    assert network_policy.can(territory_admin, "change_programme", resilienti)
    assert not network_policy.can(territory_admin, "change_programme", opificio)
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
