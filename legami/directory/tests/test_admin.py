"""The directory back office shows listings, places, timetables and terms and writes none of
them (their pages do, through the services); a status changed on a selection goes through
the service and is logged."""

from legami.core import roles
from legami.core.models import AuditEvent
from legami.core.tests.read_only_admin import assert_read_only_in_admin
from legami.directory.models import Activity, Taxonomy


def test_listings_places_and_terms_are_read_only_in_the_admin(world, client_for):
    client = client_for(roles.SUPERUSER)
    for obj in (
        world["activity"],
        world["place"],
        world["term"],
        Taxonomy.objects.first(),
    ):
        assert_read_only_in_admin(client, obj)
    assert client.get("/admin/directory/scheduleexception/add/").status_code == 403


def test_a_status_set_on_a_selection_goes_through_the_service(world, client_for):
    activity = world["activity"]
    response = client_for(roles.SUPERUSER).post(
        "/admin/directory/activity/",
        {"action": "make_suspended", "_selected_action": [activity.pk]},
    )
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).status == "suspended"
    event = AuditEvent.objects.filter(
        object_type="directory.activity", object_id=str(activity.pk), action="update"
    ).latest("at")
    assert event.changes["status"] == ["published", "suspended"]
    assert event.actor_label == "superuser@test.legami.example"
