"""The training back office writes nothing: courses and sessions are written on their pages,
through the services that check who runs them and log each change."""

from legami.core import roles
from legami.core.tests.read_only_admin import assert_read_only_in_admin


def test_courses_and_sessions_are_read_only_in_the_admin(training_kwargs, client_for):
    from legami.learning.models import TrainingSession

    session = TrainingSession.objects.get()
    client = client_for(roles.SUPERUSER)
    assert_read_only_in_admin(client, session.course)
    assert_read_only_in_admin(client, session)
