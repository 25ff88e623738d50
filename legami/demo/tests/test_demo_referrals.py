"""The social-prescribing demo: every status, made through the services, loaded once."""

import io
from datetime import timedelta

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from legami.accounts.models import User
from legami.demo import seed_outcomes, seed_referrals
from legami.referrals import scopes
from legami.referrals.models import (
    Beneficiary,
    Consent,
    Enrolment,
    Goal,
    Referral,
    ReferralEvent,
    Source,
    Status,
)


@pytest.mark.django_db
def test_demo_referrals_cover_every_status_and_load_once():
    call_command("load_demo", stdout=io.StringIO())
    counts = seed_referrals.summary()
    events = ReferralEvent.objects.count()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert "Demo referrals loaded" not in output.getvalue()
    assert seed_referrals.summary() == counts
    assert ReferralEvent.objects.count() == events
    assert User.objects.filter(email__in=[u[0] for u in seed_referrals.DEMO_USERS]).count() == 3

    referrals = Referral.objects.all()
    assert set(referrals.values_list("status", flat=True)) == set(Status.values)
    assert not referrals.filter(is_demo=False).exists()
    people = Beneficiary.objects.all()
    cohort = sum(seed_outcomes.COHORT_SIZE.values())  # the past cohort of the impact demo
    assert people.count() == len(seed_referrals.PEOPLE) + 1 + cohort
    assert not people.filter(is_demo=False).exists()
    assert all(p.last_name == "Esempio" for p in people.exclude(user__isnull=False))
    assert not people.exclude(tax_code="").exists()  # no tax code invented for anyone
    # The particular cases a demo has to show.
    overdue = referrals.filter(status=Status.RECEIVED, first_contact_due__lt=timezone.localdate())
    assert overdue.count() == 1
    assert referrals.filter(has_safeguarding_flag=True).count() == 1
    self_referral = referrals.get(source=Source.SELF)
    assert self_referral.beneficiary.user.email == seed_referrals.CITIZEN
    assert self_referral.referrer is None
    withdrawn = Consent.objects.get(withdrawn_at__isnull=False)
    assert withdrawn.purpose == "contact"
    # A completed path completes its accepted activity, which frees the place.
    assert set(Enrolment.objects.values_list("status", flat=True)) == {
        "pending",
        "accepted",
        "declined",
        "completed",
    }
    # Two people have their own goals, each rated when set and again at the follow-up.
    goals = Goal.objects.filter(referral__is_demo=True)
    assert goals.values("referral").distinct().count() == 2
    assert all(g.ratings.count() == 2 for g in goals)
    assert {
        g.ratings.earliest("rated_at").rated_at < timezone.now() - timedelta(days=80) for g in goals
    } == {True}
    # Made through the services: every referral has its timeline, no e-mail left the machine.
    assert not referrals.filter(events__isnull=True).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_demo_accounts_reach_the_demo_referrals():
    call_command("load_demo", stdout=io.StringIO())
    everything = Referral.objects.all()
    for email in (
        "connettore@demo.legami.example",
        "facilitatore@demo.legami.example",
        "prescrittore@demo.legami.example",
        "assistente.sociale@demo.legami.example",
        seed_referrals.CITIZEN,
    ):
        user = User.objects.get(email=email)
        assert scopes.referrals_visible(user, everything).exists(), email
    for email in ("fornitore@demo.legami.example", "biblioteca@demo.legami.example"):
        provider = User.objects.get(email=email)
        assert is_mfa_enabled(provider)
        assert scopes.enrolments_for_provider(provider, Enrolment.objects.all()).exists(), email
    worker = User.objects.get(email="connettore@demo.legami.example")
    tuscany = User.objects.get(email="facilitatore@demo.legami.example")
    mine = set(scopes.referrals_visible(worker, everything).values_list("pk", flat=True))
    theirs = set(scopes.referrals_visible(tuscany, everything).values_list("pk", flat=True))
    assert mine and theirs and not mine & theirs
    assert all(u.last_name.endswith("(demo)") for u in User.objects.filter(is_demo=True))


@pytest.mark.django_db
def test_demo_questionnaires_fill_the_impact_dashboard_once(client):
    from legami.outcomes.models import Response

    call_command("load_demo", stdout=io.StringIO())
    responses = Response.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Response.objects.count() == responses
    assert not Response.objects.exclude(beneficiary__is_demo=True).exists()
    # the demo evaluator sees both territories' pairs, per programme, none suppressed
    client.force_login(User.objects.get(role="evaluator", is_demo=True))
    report = client.get(
        "/api/v1/outcomes/impact/", {"instrument": "who5", "breakdown": "programme"}
    ).json()
    assert report["overall"]["n"] == sum(seed_outcomes.COHORT_SIZE.values())
    assert report["hidden_groups"] == 0 and len(report["rows"]) == 2  # both programmes
    # The comuni carry their real SNAI 2020 classes: the people live in several of them.
    classes = set(Response.objects.values_list("comune__inner_area_class", flat=True))
    assert {"C", "D", "E"} <= classes, classes
    by_class = client.get(
        "/api/v1/outcomes/impact/", {"instrument": "who5", "breakdown": "inner_area_class"}
    ).json()
    assert len(by_class["rows"]) >= 2
    # and today's caseload has baselines for the people who agreed to be measured
    assert Response.objects.filter(
        referral__link_worker__email="facilitatore@demo.legami.example",
        administered_on=timezone.localdate(),
    ).exists()


@pytest.mark.django_db
def test_demo_sroi_example_is_valued_from_live_data():
    from legami.outcomes.models import SroiAnalysis
    from legami.outcomes.queries import sroi as queries_sroi

    call_command("load_demo", stdout=io.StringIO())
    analysis = SroiAnalysis.objects.get()
    valued = queries_sroi.valuation(analysis)
    live = [row for row in valued.rows if row.outcome.quantity_source != "manual"]
    assert live and all(row.quantity > 0 for row in live)  # counted from the demo cohort
    assert all(row.outcome.proxy_source for row in valued.rows)
    assert valued.ratio is not None and valued.ratio > 0


@pytest.mark.django_db
def test_demo_dates_phones_and_scores_tell_a_possible_story():
    from legami.directory.models import Activity
    from legami.outcomes.models import Response

    call_command("load_demo", stdout=io.StringIO())
    activities = Activity.objects.filter(extra__demo=True)
    assert activities.exists()
    assert all(a.phone.startswith("0000 000 ") for a in activities), "every one has a phone"
    assert len({a.phone for a in activities}) == activities.count()
    # Received before the first-contact deadline, even the stories told from the past, and
    # the "received" step of the timeline is the receipt.
    for referral in Referral.objects.all():
        received = timezone.localtime(referral.received_at)
        assert received.date() <= referral.first_contact_due, referral.pk
        first = referral.events.order_by("at", "pk").first()
        assert first.to_status == Status.RECEIVED
        assert abs(first.at - referral.received_at) < timedelta(minutes=1), referral.pk
    past = Referral.objects.filter(first_contact_due__lt=timezone.localdate())
    assert past.exists() and all(r.received_at < timezone.now() for r in past)
    # Every score is dated on or after the referral it follows.
    responses = Response.objects.filter(referral__isnull=False).select_related("referral")
    assert responses.exists()
    for response in responses:
        received = timezone.localtime(response.referral.received_at).date()
        assert response.administered_on >= received, (response.pk, received)
