"""The case-work services of social prescribing check, themselves, who may act: called directly
with each persona they succeed, refuse the role (PermissionDenied, a 403) or do not find a case
outside the persona's territory (Http404); `by=None`, the system, may act. Pages, API, admin and
jobs call the same services, so none of them can forget the check."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from legami.core import roles
from legami.core.tests.service_permissions import as_every_persona, expected, outcome
from legami.referrals import services
from legami.referrals.models import EnrolmentStatus

LW, PRO, SU = roles.LINK_WORKER, roles.PROVIDER, roles.SUPERUSER


def _accepted(w):
    enrolment = w["enrolment"]
    enrolment.status = EnrolmentStatus.ACCEPTED
    enrolment.save(update_fields=["status"])
    return enrolment


# name: (call(world, by), roles allowed besides the superuser)
CASES = {
    "referral_transition": (
        lambda w, by: services.referral_transition(
            by=by, referral=w["referral"], to="closed", reason="Trasferita"
        ),
        {LW},
    ),
    "case_note_add": (
        lambda w, by: services.case_note_add(by=by, referral=w["referral"], text="Sentita"),
        {LW},
    ),
    "referral_programme_set": (
        lambda w, by: services.referral_programme_set(
            by=by, referral=w["referral"], programme=w["programme"]
        ),
        {LW},
    ),
    "enrolment_create": (
        lambda w, by: services.enrolment_create(
            by=by, referral=w["referral"], activity=w["second_activity"]
        ),
        {LW},
    ),
    "enrolment_withdraw": (
        lambda w, by: services.enrolment_withdraw(by=by, enrolment=w["enrolment"]),
        {LW},
    ),
    # The person's goals: whoever works on the case, never the prescriber or a provider.
    "goal_add": (
        lambda w, by: services.goal_add(
            by=by, referral=w["referral"], text="Tornare a cantare", rating=4
        ),
        {LW},
    ),
    "goal_rate": (
        lambda w, by: services.goal_rate(by=by, referral=w["referral"], ratings={w["goal"]: 6}),
        {LW},
    ),
    "goal_remove": (
        lambda w, by: services.goal_remove(by=by, goal=w["goal"]),
        {LW},
    ),
    "enrolment_respond": (
        lambda w, by: services.enrolment_respond(by=by, enrolment=w["enrolment"], accept=True),
        {PRO},
    ),
    "attendance_record": (
        lambda w, by: services.attendance_record(
            by=by,
            enrolment=_accepted(w),
            session_date=timezone.localdate(),
            present=True,
        ),
        {PRO},
    ),
}


@pytest.fixture
def case_world(matrix_world):
    from legami.directory.models import Activity

    second = Activity.objects.get(pk=matrix_world["activity"].pk)
    second.pk = None
    second.hsds_id = uuid.uuid4()
    second.name = "Coro del paese"
    second.save()
    sent = matrix_world["enrolment"]
    sent.sent_at = timezone.now() - timedelta(days=7)
    sent.save(update_fields=["sent_at"])
    return {**matrix_world, "second_activity": second}


@pytest.mark.parametrize("name", CASES)
def test_each_persona_calling_the_case_service_directly(name, case_world, personas):
    call, allowed = CASES[name]
    assert as_every_persona(call, personas, case_world) == expected(allowed)
    assert outcome(call, case_world, None) == "allowed"  # the system


@pytest.mark.parametrize("name", [n for n, (_, allowed) in CASES.items() if LW in allowed])
def test_a_link_worker_of_another_territory_does_not_find_the_case(name, case_world):
    call, _ = CASES[name]
    assert outcome(call, case_world, case_world["outside_worker"]) == "404"
