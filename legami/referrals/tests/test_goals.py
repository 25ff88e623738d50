"""Goal-based outcomes ("che cosa conta per te"): up to three goals in the person's words, each
rated 1-10 when set and again at each follow-up, history kept; shown on the case page, in the
link worker's closing summary, in the person's export; gone with their erasure."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from legami.core import pdf
from legami.core.errors import Refusal
from legami.core.models import AuditEvent
from legami.referrals import services
from legami.referrals.models import Goal, GoalRating
from legami.referrals.queries import cases as queries_cases

from .conftest import engage

WALK = "Uscire di casa ogni giorno"
FRIEND = "Avere un'amica con cui prendere il caffè"
CHOIR = "Tornare a cantare"
FOURTH = "Imparare a usare il telefono"
REFERRALS_API = "/api/v1/referrals/referrals/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def case(care):
    return engage(care)


def test_a_goal_is_recorded_with_its_first_rating_encrypted_and_audited(care, case):
    worker = care["link_worker"]
    goal = services.goal_add(by=worker, referral=case, text=f"  {WALK} ", rating="3")
    assert goal.text == WALK
    assert [(r.rating, r.rated_by_label) for r in goal.ratings.all()] == [(3, worker.email)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM referrals_goal WHERE id = %s", [goal.pk])
        (stored,) = cursor.fetchone()
    assert WALK not in stored and stored  # a Fernet token, not the person's words
    event = AuditEvent.objects.get(object_type="referrals.goal", object_id=str(goal.pk))
    assert (event.action, event.actor, event.person_id) == ("create", worker, case.beneficiary_id)
    assert WALK not in json.dumps(event.changes) and WALK not in event.object_repr


def test_a_fourth_active_goal_is_refused_until_one_is_set_aside(care, case):
    worker = care["link_worker"]
    first = services.goal_add(by=worker, referral=case, text=WALK, rating=3)
    services.goal_add(by=worker, referral=case, text=FRIEND, rating=2)
    services.goal_add(by=worker, referral=case, text=CHOIR, rating=5)
    with pytest.raises(Refusal, match="already has 3 goals"):
        services.goal_add(by=worker, referral=case, text=FOURTH, rating=1)
    assert Goal.objects.filter(referral=case).count() == 3
    services.goal_remove(by=worker, goal=first)
    services.goal_add(by=worker, referral=case, text=FOURTH, rating=1)
    first.refresh_from_db()
    assert first.archived_at is not None and first.ratings.count() == 1  # history kept
    assert Goal.objects.filter(referral=case, archived_at__isnull=True).count() == 3
    with pytest.raises(Refusal):
        services.goal_remove(by=worker, goal=first)


@pytest.mark.parametrize("rating", [0, 11, -1, "abc", "", "7.5", 7.5, True, None, "٣"])
def test_a_rating_outside_1_to_10_or_not_a_number_is_refused_naming_the_field(care, case, rating):
    with pytest.raises(ValidationError) as refused:
        services.goal_add(by=care["link_worker"], referral=case, text=WALK, rating=rating)
    assert list(refused.value.message_dict) == ["rating"]
    assert "1 to 10" in refused.value.message_dict["rating"][0]
    assert not Goal.objects.exists() and not GoalRating.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", None, "x" * 201])
def test_an_empty_or_overlong_goal_is_refused_naming_the_field(care, case, text):
    with pytest.raises(ValidationError) as refused:
        services.goal_add(by=care["link_worker"], referral=case, text=text, rating=4)
    assert list(refused.value.message_dict) == ["text"]
    assert not Goal.objects.exists()


def test_rating_again_adds_a_dated_rating_and_keeps_the_first(care, case):
    worker = care["link_worker"]
    start = timezone.now() - timedelta(days=90)
    walk = services.goal_add(by=worker, referral=case, text=WALK, rating=3, now=start)
    friend = services.goal_add(by=worker, referral=case, text=FRIEND, rating=2, now=start)
    created = services.goal_rate(by=worker, referral=case, ratings={walk: 7, str(friend.pk): "4"})
    assert sorted(r.rating for r in created) == [4, 7]
    services.goal_rate(by=worker, referral=case, ratings={walk.pk: 8})
    goals = {g.pk: g for g in queries_cases.goals_of(case)}
    assert [r.rating for r in goals[walk.pk].ratings.all()] == [3, 7, 8]
    assert (goals[walk.pk].first_rating.rating, goals[walk.pk].latest_rating.rating) == (3, 8)
    assert goals[walk.pk].change == 5 and goals[friend.pk].change == 2
    assert goals[walk.pk].first_rating.rated_at == start
    assert (
        AuditEvent.objects.filter(
            object_type="referrals.goal", object_id=str(walk.pk), action="update"
        ).count()
        == 2
    )


def test_rating_again_is_all_or_none_and_names_the_goal_that_is_wrong(care, case, other_case):
    worker = care["link_worker"]
    walk = services.goal_add(by=worker, referral=case, text=WALK, rating=3)
    friend = services.goal_add(by=worker, referral=case, text=FRIEND, rating=2)
    with pytest.raises(ValidationError) as refused:
        services.goal_rate(by=worker, referral=case, ratings={walk: 6, friend: 12})
    assert list(refused.value.message_dict) == [f"rating_{friend.pk}"]
    assert FRIEND in refused.value.message_dict[f"rating_{friend.pk}"][0]
    assert GoalRating.objects.count() == 2  # the good one was not saved either
    with pytest.raises(ValidationError) as refused:
        services.goal_rate(by=worker, referral=case, ratings={})
    assert "ratings" in refused.value.message_dict
    # A goal of another referral, or one set aside, is not rated through this one.
    elsewhere = services.goal_add(by=worker, referral=other_case, text=CHOIR, rating=5)
    services.goal_remove(by=worker, goal=friend)
    for wrong in (elsewhere, friend, 10**30, "x"):
        with pytest.raises(ValidationError) as refused:
            services.goal_rate(by=worker, referral=case, ratings={wrong: 5})
        assert "ratings" in refused.value.message_dict
    assert GoalRating.objects.count() == 3


@pytest.fixture
def other_case(care):
    from .conftest import person_data

    referral = services.referral_create(
        by=care["prescriber"],
        person=person_data(care["arcidosso"], tax_code="", first_name="Gina"),
        consents=["care"],
    )
    return engage(care, referral)


def test_an_ended_referral_keeps_its_goals_as_they_are(care, case):
    worker = care["link_worker"]
    goal = services.goal_add(by=worker, referral=case, text=WALK, rating=3)
    services.referral_transition(by=worker, referral=case, to="closed", reason="Trasferita")
    for call in (
        lambda: services.goal_add(by=worker, referral=case, text=FRIEND, rating=2),
        lambda: services.goal_rate(by=worker, referral=case, ratings={goal: 9}),
        lambda: services.goal_remove(by=worker, goal=goal),
    ):
        with pytest.raises(Refusal, match="has ended"):
            call()
    assert GoalRating.objects.count() == 1 and Goal.objects.get().archived_at is None


# --- the case page ------------------------------------------------------------------------------
def test_the_case_page_shows_first_latest_and_change_to_the_link_worker_only(care, case):
    worker = care["link_worker"]
    walk = services.goal_add(
        by=worker, referral=case, text=WALK, rating=3, now=timezone.now() - timedelta(days=90)
    )
    services.goal_rate(by=worker, referral=case, ratings={walk: 7})
    url = reverse("referrals:detail", args=[case.pk])
    page = signed_in(worker).get(url)
    html = page.content.decode()
    assert WALK in html and "+4" in html and "7/10" in html and "3/10" in html
    assert reverse("referrals:goals_rate", args=[case.pk]) in html
    assert f'action="{reverse("referrals:goal_add", args=[case.pk])}"' in html
    assert f'name="rating_{walk.pk}"' in html
    # The prescriber who referred reads the status, not the person's goals.
    other = signed_in(care["prescriber"]).get(url).content.decode()
    assert WALK not in other and "goals-title" not in other


def test_the_link_worker_adds_rates_and_sets_aside_through_the_page(care, case):
    client = signed_in(care["link_worker"])
    add = reverse("referrals:goal_add", args=[case.pk])
    response = client.post(add, {"text": WALK, "rating": "4"}, follow=True)
    assert "Goal recorded" in " ".join(messages_of(response))
    goal = Goal.objects.get(referral=case)
    response = client.post(add, {"text": FRIEND, "rating": "dieci"}, follow=True)
    assert any("1 to 10" in m for m in messages_of(response))
    assert Goal.objects.count() == 1
    rate = reverse("referrals:goals_rate", args=[case.pk])
    response = client.post(rate, {f"rating_{goal.pk}": "8"}, follow=True)
    assert "New rating recorded for 1 goal." in messages_of(response)
    response = client.post(rate, {f"rating_{goal.pk}": "0"}, follow=True)
    assert any(WALK in m and "1 to 10" in m for m in messages_of(response))
    assert [r.rating for r in goal.ratings.order_by("rated_at", "pk")] == [4, 8]
    response = client.post(reverse("referrals:goal_remove", args=[goal.pk]), follow=True)
    assert "Goal set aside" in " ".join(messages_of(response))
    goal.refresh_from_db()
    assert goal.archived_at is not None


def test_a_fourth_goal_on_the_page_is_refused_with_a_message(care, case):
    for text in (WALK, FRIEND, CHOIR):
        services.goal_add(by=care["link_worker"], referral=case, text=text, rating=5)
    client = signed_in(care["link_worker"])
    page = client.get(reverse("referrals:detail", args=[case.pk])).content.decode()
    add = reverse("referrals:goal_add", args=[case.pk])
    assert f'action="{add}"' not in page  # the form is not offered
    assert "set one aside to add another" in page
    response = client.post(
        reverse("referrals:goal_add", args=[case.pk]), {"text": FOURTH, "rating": "2"}, follow=True
    )
    assert any("already has 3 goals" in m for m in messages_of(response))
    assert Goal.objects.count() == 3


def test_outside_the_territory_the_goal_is_not_found(care, case):
    goal = services.goal_add(by=care["link_worker"], referral=case, text=WALK, rating=3)
    outsider = signed_in(care["outside_worker"])
    assert outsider.post(reverse("referrals:goal_remove", args=[goal.pk])).status_code == 404
    response = outsider.post(reverse("referrals:goals_rate", args=[case.pk]), {})
    assert response.status_code == 404
    assert (
        signed_in(care["provider"])
        .post(reverse("referrals:goal_add", args=[case.pk]), {"text": WALK, "rating": "3"})
        .status_code
        == 403
    )
    assert Goal.objects.get().archived_at is None and GoalRating.objects.count() == 1


# --- closing summary, export, erasure -------------------------------------------------------------
@pytest.fixture
def rendered(monkeypatch):
    pages = []
    real = pdf.html_to_pdf

    def spy(html):
        pages.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", spy)
    return pages


def _rated_then_closed(care, case):
    worker = care["link_worker"]
    walk = services.goal_add(
        by=worker, referral=case, text=WALK, rating=3, now=timezone.now() - timedelta(days=90)
    )
    friend = services.goal_add(by=worker, referral=case, text=FRIEND, rating=2)
    services.goal_rate(by=worker, referral=case, ratings={walk: 8})
    services.goal_remove(by=worker, goal=friend)
    services.referral_transition(by=worker, referral=case, to="closed", reason="Trasferita")
    return walk, friend


def test_the_closing_summary_shows_the_goals_on_the_link_workers_copy(care, case, rendered):
    _rated_then_closed(care, case)
    url = reverse("referrals:summary_pdf", args=[case.pk])
    assert signed_in(care["link_worker"]).get(url).status_code == 200
    assert signed_in(care["prescriber"]).get(url).status_code == 200
    worker_copy, referrer_copy = rendered
    assert 'id="personal-goals"' in worker_copy
    assert WALK in worker_copy and "+5" in worker_copy and "8/10" in worker_copy
    assert escape(FRIEND) in worker_copy and "set aside on" in worker_copy
    assert WALK not in referrer_copy and 'id="personal-goals"' not in referrer_copy


def test_the_export_holds_the_goals_and_every_rating(care, case):
    walk, friend = _rated_then_closed(care, case)
    data = services.subject_export(by=care["dpo"], beneficiary=case.beneficiary)
    (exported,) = data["referrals"]
    goals = {g["goal"]: g for g in exported["personal_goals"]}
    assert [r["rating"] for r in goals[WALK]["ratings"]] == [3, 8]
    assert goals[WALK]["set_aside_on"] is None and goals[FRIEND]["set_aside_on"]
    assert goals[WALK]["ratings"][0]["by"] == care["link_worker"].email
    json.dumps(data)  # machine-readable as it is
    response = signed_in(care["dpo"]).get(
        reverse("referrals:dpo_export_json", args=[case.beneficiary_id])
    )
    assert WALK in json.loads(response.content)["referrals"][0]["personal_goals"][0]["goal"]


def test_the_export_pdf_lists_the_goals(care, case, rendered):
    _rated_then_closed(care, case)
    response = signed_in(care["dpo"]).get(
        reverse("referrals:dpo_export_pdf", args=[case.beneficiary_id])
    )
    assert response.status_code == 200
    assert WALK in rendered[0] and escape(FRIEND) in rendered[0]


def test_erasure_removes_the_goals_and_their_ratings(care, case):
    _rated_then_closed(care, case)
    services.subject_erase(by=care["dpo"], beneficiary=case.beneficiary, reason="prot. 2026/15")
    assert not Goal.objects.exists() and not GoalRating.objects.exists()


def test_retention_removes_the_goals_too(care, case):
    _rated_then_closed(care, case)
    services.retention_run(older_than_days=365, now=timezone.now() + timedelta(days=400))
    assert not Goal.objects.filter(referral=case).exists()


# --- API ------------------------------------------------------------------------------------------
def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_api_reads_adds_and_rates_goals_through_the_same_services(care, case):
    client = signed_in(care["link_worker"])
    url = f"{REFERRALS_API}{case.pk}/goals/"
    added = _post(client, url, {"text": WALK, "rating": 3})
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["text"], body["first_rating"], body["change"], body["active"]) == (
        WALK,
        3,
        None,
        True,
    )
    rated = _post(client, f"{url}rate/", {"ratings": [{"goal": body["id"], "rating": 6}]})
    assert rated.status_code == 200, rated.content
    (goal,) = rated.json()
    assert (goal["first_rating"], goal["latest_rating"], goal["change"]) == (3, 6, 3)
    assert [r["rating"] for r in goal["ratings"]] == [3, 6]
    listed = client.get(url)
    assert listed.status_code == 200 and listed.json()[0]["text"] == WALK
    assert AuditEvent.objects.filter(
        actor=care["link_worker"], action="view", purpose="personal goals (API)"
    ).exists()


def test_api_names_the_wrong_field_and_refuses_a_fourth_goal(care, case):
    client = signed_in(care["link_worker"])
    url = f"{REFERRALS_API}{case.pk}/goals/"
    for body, field in (
        ({"text": WALK, "rating": 11}, "rating"),
        ({"text": WALK, "rating": "molto"}, "rating"),
        ({"text": "", "rating": 4}, "text"),
    ):
        response = _post(client, url, body)
        assert response.status_code == 400 and field in response.json(), response.content
    goal = _post(client, url, {"text": WALK, "rating": 3}).json()
    response = _post(client, f"{url}rate/", {"ratings": [{"goal": goal["id"], "rating": 0}]})
    assert response.status_code == 400 and f"rating_{goal['id']}" in response.json()
    for text in (FRIEND, CHOIR):
        assert _post(client, url, {"text": text, "rating": 3}).status_code == 201
    response = _post(client, url, {"text": FOURTH, "rating": 3})
    assert response.status_code == 409 and "3 goals" in response.content.decode()
    assert GoalRating.objects.count() == 3


def test_api_goals_are_the_link_workers_only(care, case):
    services.goal_add(by=care["link_worker"], referral=case, text=WALK, rating=3)
    url = f"{REFERRALS_API}{case.pk}/goals/"
    for who in ("prescriber", "provider", "citizen"):
        response = signed_in(care[who]).get(url)
        assert response.status_code == 403 and WALK not in response.content.decode(), who
        assert _post(signed_in(care[who]), url, {"text": FRIEND, "rating": 3}).status_code == 403
    assert signed_in(care["outside_worker"]).get(url).status_code == 404
    assert Goal.objects.count() == 1
