"""Providers keep their listings; territory admins moderate them. Bad input is refused with
a message on the field, and nothing is half-saved."""

import io
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from legami.directory import services
from legami.directory.models import Activity, Place, Schedule, TaxonomyTerm

from . import factories


def _errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_provider_lists_a_place_and_an_activity_then_publishes_it(world, client_for):
    provider = client_for("provider")
    org = world["association"]
    response = provider.post(
        reverse("directory:place_create"),
        {
            "organisation": org.pk,
            "name": "Biblioteca di Arcidosso",
            "comune": "Arcidosso (GR)",
            "latitude": "42.8710",
            "longitude": "11.5400",
            "wheelchair_access": "on",
        },
    )
    assert response.status_code == 302
    place = Place.objects.get(name="Biblioteca di Arcidosso")
    reading = TaxonomyTerm.objects.get(code="lettura")
    response = provider.post(
        reverse("directory:activity_create"),
        {
            "organisation": org.pk,
            "name": "Gruppo di lettura",
            "description": "Si legge insieme.",
            "place": place.pk,
            "domains": [reading.pk],
            "languages": ["it", "fr"],
            "capacity": "10",
            "accepts_referrals": "on",
            "referral_slots": "3",
        },
    )
    activity = Activity.objects.get(name="Gruppo di lettura")
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:schedule_add", args=[activity.pk])
    assert activity.status == "draft" and activity.languages == "it,fr"
    assert "Gruppo di lettura" not in client_for(None).get("/attivita/").content.decode()
    response = provider.post(
        reverse("directory:schedule_add", args=[activity.pk]),
        {
            "freq": "WEEKLY",
            "interval": 1,
            "days": ["TH"],
            "opens_at": "17:00",
            "closes_at": "18:30",
            "valid_from": "2025-10-02",
        },
    )
    assert response.status_code == 302
    provider.post(reverse("directory:activity_status", args=[activity.pk]), {"status": "published"})
    activity.refresh_from_db()
    assert activity.status == "published"
    assert activity.next_session_at is not None
    assert timezone.localtime(activity.next_session_at).weekday() == 3  # Thursday
    page = client_for(None).get("/attivita/", {"q": "lettura"}).content.decode()
    assert "Gruppo di lettura" in page


def test_coordinates_outside_italy_are_refused_on_the_field(world, client_for):
    response = client_for("provider").post(
        reverse("directory:place_create"),
        {
            "organisation": world["association"].pk,
            "name": "Altrove",
            "comune": "Arcidosso",
            "latitude": "51.5",
            "longitude": "-0.12",
        },
    )
    text = _errors(response)
    assert 'href="#id_latitude"' in text and 'href="#id_longitude"' in text
    assert not Place.objects.filter(name="Altrove").exists()


def test_schedule_end_before_start_is_refused(world, client_for):
    activity = world["activity"]
    response = client_for("provider").post(
        reverse("directory:schedule_add", args=[activity.pk]),
        {
            "freq": "WEEKLY",
            "interval": 1,
            "days": ["MO"],
            "opens_at": "18:00",
            "closes_at": "17:00",
            "valid_from": "2026-01-05",
            "valid_to": "2025-12-01",
        },
    )
    text = _errors(response)
    assert 'href="#id_closes_at"' in text and 'href="#id_valid_to"' in text
    assert activity.schedules.count() == 1


def test_a_rule_that_never_occurs_is_refused(world, personas):
    # The 31st of the month, valid only in February: there is no such day.
    with pytest.raises(ValidationError) as error:
        services.schedule_add(
            by=personas["provider"],
            activity=world["activity"],
            freq="MONTHLY",
            bymonthday="31",
            opens_at=time(10),
            closes_at=time(11),
            valid_from=date(2027, 2, 1),
            valid_to=date(2027, 2, 28),
        )
    assert "byday" in error.value.message_dict
    assert world["activity"].schedules.count() == 1


def test_an_unreadable_day_is_named(world, personas):
    with pytest.raises(ValidationError) as error:
        services.schedule_add(
            by=personas["provider"],
            activity=world["activity"],
            freq="WEEKLY",
            byday="MO,XX",
            opens_at=time(10),
            closes_at=time(11),
            valid_from=date(2026, 1, 1),
        )
    assert "XX" in error.value.message_dict["byday"][0]


def test_capacity_below_zero_is_refused_and_nothing_saved(world, client_for):
    response = client_for("provider").post(
        reverse("directory:activity_create"),
        {
            "organisation": world["association"].pk,
            "name": "Negativa",
            "description": "x",
            "languages": ["it"],
            "capacity": "-3",
        },
    )
    assert 'href="#id_capacity"' in _errors(response)
    assert not Activity.objects.filter(name="Negativa").exists()


def test_services_are_all_or_nothing(world, personas):
    with pytest.raises(ValidationError):
        services.activity_create(
            by=personas["provider"],
            organisation=world["association"],
            name="Lingue",
            description="x",
            languages="it,klingon",
        )
    assert not Activity.objects.filter(name="Lingue").exists()


def test_markup_typed_in_a_listing_is_shown_as_text(world, personas, client):
    activity = factories.activity(
        personas["superuser"], world["association"], name="<script>alert(1)</script>"
    )
    page = client.get(reverse("directory:activity_detail", args=[activity.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_provider_cannot_list_for_another_organisation(world, client_for, personas):
    response = client_for("provider").post(
        reverse("directory:activity_create"),
        {
            "organisation": world["outside_org"].pk,
            "name": "Intrusa",
            "description": "x",
            "languages": ["it"],
        },
    )
    assert 'href="#id_organisation"' in _errors(response)
    with pytest.raises(Http404):
        services.activity_create(
            by=personas["provider"],
            organisation=world["outside_org"],
            name="Intrusa",
            description="x",
        )
    assert not Activity.objects.filter(name="Intrusa").exists()


def test_drafts_are_seen_by_their_keepers_only(world, client_for):
    url = reverse("directory:activity_detail", args=[world["outside_activity"].pk])
    assert client_for(None).get(url).status_code == 404
    assert client_for("provider").get(url).status_code == 404
    assert client_for("superuser").get(url).status_code == 200


def test_suspending_needs_a_reason_and_hides_the_listing(world, client_for):
    admin = client_for("territory_admin")
    url = reverse("directory:activity_status", args=[world["activity"].pk])
    response = admin.post(url, {"status": "suspended", "note": ""})
    assert 'href="#id_note"' in _errors(response)
    admin.post(url, {"status": "suspended", "note": "Orari da confermare"})
    world["activity"].refresh_from_db()
    assert world["activity"].status == "suspended"
    assert world["activity"].moderation_note == "Orari da confermare"
    assert "Camminata nei castagneti" not in client_for(None).get("/attivita/").content.decode()


def test_a_territory_admin_cannot_moderate_outside_the_territory(world, client_for):
    url = reverse("directory:activity_status", args=[world["outside_activity"].pk])
    assert client_for("territory_admin").post(url, {"status": "published"}).status_code == 404


def test_old_listings_ask_to_be_verified(world, client_for):
    Activity.objects.filter(pk=world["activity"].pk).update(
        last_verified_on=timezone.localdate() - timedelta(days=200)
    )
    provider = client_for("provider")
    page = provider.get(reverse("directory:manage")).content.decode()
    assert "1 scheda" in page or "da verificare" in page
    provider.post(reverse("directory:activity_verify", args=[world["activity"].pk]))
    world["activity"].refresh_from_db()
    assert world["activity"].last_verified_on == timezone.localdate()


def test_reminder_command_emails_each_keeper_once(world, mailoutbox):
    from django.core.management import call_command

    Activity.objects.filter(pk=world["activity"].pk).update(
        last_verified_on=timezone.localdate() - timedelta(days=200)
    )
    call_command("remind_stale_listings")
    call_command("remind_stale_listings")
    assert [m.to for m in mailoutbox] == [["provider@test.legami.example"]]
    assert "Camminata nei castagneti" in mailoutbox[0].body


def test_reminders_are_queued_with_their_claim_and_sent_by_the_worker(
    world, database_tasks, mailoutbox
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from legami.core.tests.outbox import run_worker

    Activity.objects.filter(pk=world["activity"].pk).update(
        last_verified_on=timezone.localdate() - timedelta(days=200)
    )
    call_command("remind_stale_listings", stdout=io.StringIO())
    assert mailoutbox == [] and DBTaskResult.objects.get().status == "READY"
    run_worker()
    assert [m.to for m in mailoutbox] == [["provider@test.legami.example"]]
    assert "Camminata nei castagneti (Associazione Amiata Cammina)" in mailoutbox[0].body


def test_cancelled_sessions_are_skipped(world, personas, client):
    schedule = world["schedule"]
    activity = world["activity"]
    activity.refresh_from_db()
    first = timezone.localtime(activity.next_session_at).date()
    services.schedule_exception_add(
        by=personas["provider"], schedule=schedule, date=first, reason="Festa del paese"
    )
    activity.refresh_from_db()
    assert timezone.localtime(activity.next_session_at).date() == first + timedelta(days=7)


def test_territory_admin_adds_a_term_with_three_languages(world, client_for):
    from legami.directory.models import Taxonomy

    admin = client_for("territory_admin")
    need = Taxonomy.objects.get(code="need")
    response = admin.post(
        reverse("directory:term_create"),
        {
            "taxonomy": need.pk,
            "code": "digitale",
            "name": "Divario digitale",
            "name_en": "Digital divide",
            "name_fr": "Fracture numérique",
        },
    )
    assert response.status_code == 302
    duplicate = admin.post(
        reverse("directory:term_create"), {"taxonomy": need.pk, "code": "digitale", "name": "Altro"}
    )
    assert 'href="#id_code"' in _errors(duplicate)
    from django.utils import translation

    term = TaxonomyTerm.objects.get(code="digitale")
    with translation.override("fr"):
        assert term.label == "Fracture numérique"
    with translation.override("it"):
        assert term.label == "Divario digitale"


def test_coverage_shows_comuni_without_activities_in_a_domain(world, client_for):
    page = (
        client_for("territory_admin")
        .get(reverse("directory:coverage"), {"gaps": "1", "by": "domain"})
        .content.decode()
    )
    assert "Arcidosso" in page and "Massa Marittima" in page
    assert "Casalecchio" not in page  # outside the admin's region


def test_coverage_by_need_shows_remoteness_and_gaps_of_the_territory(world, client_for):
    arcidosso = world["arcidosso"]
    arcidosso.minutes_to_pole = 49
    arcidosso.save(update_fields=["minutes_to_pole"])
    page = client_for("territory_admin").get(reverse("directory:coverage")).content.decode()
    row = page[page.index('<th scope="row">Arcidosso (GR)</th>') :]
    row = row[: row.index("</tr>")]
    assert "E · comune periferico" in row and "<td>49</td>" in row  # Italian, the default
    assert "<td>1</td>" in row  # the walking group answers loneliness
    assert "Massa Marittima" in page and "Casalecchio" not in page


def test_schedule_removal_updates_the_next_session(world, client_for):
    provider = client_for("provider")
    provider.post(reverse("directory:schedule_remove", args=[world["schedule"].pk]))
    assert not Schedule.objects.filter(pk=world["schedule"].pk).exists()
    world["activity"].refresh_from_db()
    assert world["activity"].next_session_at is None


def test_schedule_days_read_as_words_in_each_language():
    from django.utils import translation

    from legami.directory.templatetags.directory import weekdays

    with translation.override("it"):
        assert weekdays("TU,1SA,-1SU") == "martedì, primo sabato, ultima domenica"
    with translation.override("fr"):
        assert weekdays("TU,1SA,-1SU") == "mardi, premier samedi, dernier dimanche"
