import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from legami.accounts.models import User
from legami.network.models import GovernanceBody, Organisation, Programme, ProgrammePartner
from legami.network.permissions import policy as network_policy


@pytest.mark.django_db
def test_demo_data_comes_from_the_seeds_and_loads_twice(client):
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
    # The seed's course of 2025 is held: gone from the coming sessions, kept in the archive.
    course = "Welfare culturale e prescrizione sociale nelle aree interne"
    assert course not in client.get(reverse("learning:index")).text
    archive = client.get(reverse("learning:archive")).text
    assert course in archive and "La prescrizione sociale. Fondamenti" in archive
    _every_demo_account_signs_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["load_demo", "generate_data"])
def test_demo_commands_refuse_to_run_outside_a_demo_site(settings, command):
    """Run once on a production database, load_demo would create a superuser with the
    published password and TOTP secret."""
    settings.DEBUG = False
    settings.LEGAMI_DEMO = False
    with pytest.raises(CommandError, match="DEBUG=1 or LEGAMI_DEMO=1"):
        call_command(command, stdout=io.StringIO())
    assert not User.objects.exists() and not Organisation.objects.exists()


def _every_demo_account_signs_in(client):
    """`make run` prints these accounts: each one signs in through the real pages (verified
    address, then the second factor for staff), the administrator into the back office too."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from legami.demo import seed, seed_referrals

    for email, *_ in [*seed_referrals.DEMO_USERS, *seed.DEMO_USERS]:
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": seed.DEMO_PASSWORD})
        assert response.status_code == 302, email
        if "/accounts/2fa/authenticate" in response["Location"]:
            code = format_hotp_value(hotp_value(seed.DEMO_TOTP_SECRET, int(time.time()) // 30))
            response = client.post("/accounts/2fa/authenticate/", {"code": code})
        assert response.status_code == 302 and "/accounts/" not in response["Location"], email
        assert client.get("/area-personale/").status_code == 200, email
    assert client.get("/admin/").status_code == 200  # the last one is the administrator
