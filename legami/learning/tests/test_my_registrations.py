"""A citizen's own registrations: the sessions they registered for while signed in, and no
one else's (not even one typed with their address on the public form)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from legami.core import roles
from legami.core.models import AuditEvent
from legami.learning import services

PERSON = {"first_name": "Giulia", "last_name": "Rossi"}


def _session(comune, title, days):
    course = services.course_create(by=None, data={"title": f"Corso {title}"})
    starts = timezone.now() + timedelta(days=days)
    return services.session_create(
        by=None,
        course=course,
        data={
            "title": title,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "comune": comune,
            "capacity": 10,
        },
    )


def test_a_citizen_sees_their_registrations_and_no_one_elses(
    client, personas, geography, django_assert_num_queries
):
    citizen = personas[roles.CITIZEN]
    coming = _session(geography["arcidosso"], "Incontro di primavera", 3)
    other = _session(geography["arcidosso"], "Incontro di altri", 5)
    services.registration_create(
        by=citizen, session=coming, data={**PERSON, "email": citizen.email}
    )
    # Typed on the public form with the citizen's address, by someone not signed in.
    services.registration_create(by=None, session=other, data={**PERSON, "email": citizen.email})
    services.registration_create(
        by=None, session=other, data={**PERSON, "email": "altra@example.org"}
    )
    client.force_login(citizen)
    client.get("/")  # the session and the user are read once, before the count
    # session + user, registrations, the audit insert, the notifications' badge
    with django_assert_num_queries(5):
        response = client.get(reverse("learning:mine"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Incontro di primavera" in html
    assert "Incontro di altri" not in html
    assert AuditEvent.objects.filter(purpose="own registrations (citizen)").count() == 1


def test_the_page_is_the_citizens_only(client_for, db):
    assert client_for(roles.PROVIDER).get(reverse("learning:mine")).status_code == 403
    response = client_for(None).get(reverse("learning:mine"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
