import importlib

import pytest
from django.db import connection


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
