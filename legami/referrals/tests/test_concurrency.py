"""Two link workers send two people to the last place of an activity at the same moment: with
real concurrent transactions (one connection per thread), exactly one gets the place and the
other is told there are no places left. SQLite queues the writers (IMMEDIATE transactions and
a busy timeout); PostgreSQL locks the activity row (SELECT ... FOR UPDATE)."""

import importlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from legami.conftest import make_user
from legami.core import roles
from legami.directory.models import Activity
from legami.referrals import services
from legami.referrals.models import HOLDING_PLACE, Enrolment
from legami.territory.models import Jurisdiction

from .conftest import engage, person_data

# Transactional tests empty every table afterwards (and reload the migrations' data,
# serialized_rollback), which the append-only audit log refuses below the ORM.
race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="module", autouse=True)
def _audit_log_flushable(django_db_setup, django_db_blocker):
    """Lift the audit log's append-only triggers while this module's transactional tests
    clean up after themselves, and put them back afterwards. Module scope, so that the
    triggers come back only after the last flush."""
    triggers = importlib.import_module("legami.core.migrations.0002_audit_append_only")
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        triggers.drop(None, editor)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        triggers.create(None, editor)


def _second_referral(care, worker):
    referral = services.referral_create(
        by=care["prescriber"],
        person=person_data(
            care["arcidosso"],
            first_name="Lucia",
            last_name="Bianchi",
            birth_date=None,
            tax_code="",
        ),
        consents=["care", "contact"],
        reasons=[care["loneliness"]],
    )
    services.referral_assign(by=worker, referrals=[referral], link_worker=worker)
    services.referral_transition(by=worker, referral=referral, to="contacted")
    services.referral_transition(
        by=worker, referral=referral, to="assessed", what_matters="Cantare in compagnia."
    )
    referral.refresh_from_db()
    return referral


def _race(attempts):
    """Run each (user, referral, activity) in its own thread and connection, all released at
    once; returns what each one got: the enrolment or the ValidationError."""
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def attempt(number, user, referral, activity):
        try:
            barrier.wait(timeout=10)
            outcomes[number] = services.enrolment_create(
                by=user, referral=referral, activity=activity
            )
        except ValidationError as error:
            outcomes[number] = error
        except Exception as error:  # noqa: BLE001 - reported by the test, never swallowed
            outcomes[number] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(number, *args))
        for number, args in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@race
def test_two_link_workers_race_for_the_last_place(care):
    activity = care["activity"]
    # One place left for referrals: the activity takes two, and someone already holds one.
    Activity.objects.filter(pk=activity.pk).update(referral_slots=2)
    first_worker = care["link_worker"]
    second_worker = make_user(roles.LINK_WORKER, "facilitatore.due@test.legami.example")
    Jurisdiction.objects.create(user=second_worker, district=care["district"])
    holder = engage(care)
    services.enrolment_create(by=first_worker, referral=holder, activity=activity)
    mine = _second_referral(care, first_worker)
    theirs = services.referral_create(
        by=care["prescriber"],
        person=person_data(
            care["arcidosso"], first_name="Anna", last_name="Verdi", birth_date=None, tax_code=""
        ),
        consents=["care"],
        reasons=[care["loneliness"]],
    )
    services.referral_assign(by=second_worker, referrals=[theirs], link_worker=second_worker)
    services.referral_transition(by=second_worker, referral=theirs, to="contacted")
    services.referral_transition(
        by=second_worker, referral=theirs, to="assessed", what_matters="Camminare."
    )

    outcomes = _race([(first_worker, mine, activity), (second_worker, theirs, activity)])

    won = [o for o in outcomes if isinstance(o, Enrolment)]
    lost = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(won) == 1, outcomes
    assert len(lost) == 1, outcomes
    assert "has no places left" in lost[0].message_dict["activity"][0]
    held = Enrolment.objects.filter(activity=activity, status__in=HOLDING_PLACE)
    assert held.count() == 2
    assert set(held.values_list("referral_id", flat=True)) == {holder.pk, won[0].referral_id}


@race
def test_racing_for_two_free_places_both_succeed(care):
    """The lock queues the writers, it does not turn them away when there is room."""
    activity = care["activity"]
    Activity.objects.filter(pk=activity.pk).update(referral_slots=2)
    worker = care["link_worker"]
    first = engage(care)
    second = _second_referral(care, worker)

    outcomes = _race([(worker, first, activity), (worker, second, activity)])

    assert all(isinstance(o, Enrolment) for o in outcomes), outcomes
    assert Enrolment.objects.filter(activity=activity, status__in=HOLDING_PLACE).count() == 2
