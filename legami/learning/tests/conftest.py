import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from legami.learning import services


@pytest.fixture(scope="module")
def _audit_log_flushable(django_db_setup, django_db_blocker):
    """Transactional tests empty every table afterwards, which the append-only audit log
    refuses below the ORM: its triggers are lifted for this module and put back after."""
    triggers = importlib.import_module("legami.core.migrations.0002_audit_append_only")
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        triggers.drop(None, editor)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        triggers.create(None, editor)


from legami.referrals.tests.conftest import _english, care  # noqa: E402, F401 - fixtures


@pytest.fixture
def training_kwargs(world, geography):
    """A course with a session three days away and one registration: each URL's arguments."""
    course = services.course_create(by=None, data={"title": "Corso"})
    starts = timezone.now() + timedelta(days=3)
    session = services.session_create(
        by=None,
        course=course,
        data={
            "title": "Incontro",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "comune": geography["arcidosso"],
            "capacity": 10,
        },
    )
    registration = services.registration_create(
        by=None,
        session=session,
        data={"first_name": "A", "last_name": "B", "email": "a@b.it"},
    )
    return {
        "learning:session": {"pk": session.pk},
        "learning:session_calendar": {"pk": session.pk},
        "learning:session_manage": {"pk": session.pk},
        "learning:session_cancel": {"pk": session.pk},
        "learning:registration_cancel": {"pk": registration.pk},
        "api:learning-session-detail": {"pk": session.pk},
        "api:learning-session-register": {"pk": session.pk},
    }
