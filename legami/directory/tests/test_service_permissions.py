"""Every write service of the directory checks, itself, who may do it: called directly with
each persona, it succeeds, refuses the role (PermissionDenied, a 403) or does not find the
object outside the persona's scope (Http404); `by=None`, the system, may do everything.

The world (legami/conftest.py): the provider keeps the Arcidosso association, the territory
admin works on Tuscany; the outside organisation is in Casalecchio (Emilia-Romagna)."""

import inspect
from datetime import date, time
from pathlib import Path

import pytest

from legami.core import roles
from legami.core.tests.service_permissions import as_every_persona, expected, outcome
from legami.directory import services
from legami.directory.hsds import importer as hsds
from legami.directory.hsds.reader import read_path
from legami.directory.models import Taxonomy
from legami.directory.spreadsheet import importer as spreadsheet

TA, PRO, SU = roles.TERRITORY_ADMIN, roles.PROVIDER, roles.SUPERUSER
HSDS_TAXONOMY = Path(__file__).resolve().parents[1] / "hsds" / "spec" / "examples" / "taxonomy.json"
SCHEDULE = {"freq": "WEEKLY", "byday": "MO", "opens_at": time(15), "closes_at": time(17)}


@pytest.fixture
def elsewhere_dir(world):
    """A schedule and a cost of the outside activity, and an activity the outside organisation
    holds in Tuscany: moderated by the territory admin, kept by someone else."""
    outside = world["outside_activity"]
    held_here = services.activity_create(
        by=None,
        organisation=world["outside_org"],
        place=services.place_create(
            by=None, organisation=world["outside_org"], name="Sede estiva", comune=world["massa"]
        ),
        name="Soggiorno al mare",
        description="Una settimana insieme.",
    )
    return {
        "schedule": services.schedule_add(
            by=None, activity=outside, valid_from=date(2025, 9, 1), **SCHEDULE
        ),
        "cost_option": services.cost_option_add(
            by=None, activity=outside, label="Quota", amount=10
        ),
        "held_here": services.activity_set_status(by=None, activity=held_here, status="published"),
    }


def _term(w, by, term=None):
    return services.taxonomy_term_save(
        by=by,
        taxonomy=Taxonomy.objects.get(code=Taxonomy.NEED),
        code="noia",
        name="Noia",
        term=term,
    )


# name: (call(world, elsewhere, by), roles allowed, roles that get 404)
# Roles neither allowed nor 404 get PermissionDenied. The superuser is always allowed.
CASES = {
    "taxonomy_term_save": (lambda w, e, by: _term(w, by), {TA}, set()),
    "taxonomy_term_save existing": (lambda w, e, by: _term(w, by, w["term"]), {TA}, set()),
    "place_create": (
        lambda w, e, by: services.place_create(
            by=by, organisation=w["association"], name="Pieve", comune=w["arcidosso"]
        ),
        {TA, PRO},
        set(),
    ),
    "place_create elsewhere": (
        lambda w, e, by: services.place_create(
            by=by, organisation=w["outside_org"], name="Sala", comune=w["casalecchio"]
        ),
        set(),
        {TA, PRO},
    ),
    "place_update": (
        lambda w, e, by: services.place_update(by=by, place=w["place"], address="Via Roma 1"),
        {TA, PRO},
        set(),
    ),
    "place_update elsewhere": (
        lambda w, e, by: services.place_update(by=by, place=w["outside_place"], address="Via 1"),
        set(),
        {TA, PRO},
    ),
    "activity_create": (
        lambda w, e, by: services.activity_create(
            by=by, organisation=w["association"], name="Coro", description="Si canta."
        ),
        {TA, PRO},
        set(),
    ),
    "activity_create elsewhere": (
        lambda w, e, by: services.activity_create(
            by=by, organisation=w["outside_org"], name="Coro", description="Si canta."
        ),
        set(),
        {TA, PRO},
    ),
    "activity_update": (
        lambda w, e, by: services.activity_update(by=by, activity=w["activity"], capacity=15),
        {TA, PRO},
        set(),
    ),
    "activity_update elsewhere": (
        lambda w, e, by: services.activity_update(
            by=by, activity=w["outside_activity"], capacity=15
        ),
        set(),
        {TA, PRO},
    ),
    "activity_set_status": (
        lambda w, e, by: services.activity_set_status(
            by=by, activity=w["activity"], status="suspended", note="Orari da confermare"
        ),
        {TA, PRO},
        set(),
    ),
    "activity_set_status elsewhere": (
        lambda w, e, by: services.activity_set_status(
            by=by, activity=w["outside_activity"], status="archived"
        ),
        set(),
        {TA, PRO},
    ),
    # Kept by an organisation of another region, held in Tuscany: the admin moderates it.
    "activity_set_status held in the territory": (
        lambda w, e, by: services.activity_set_status(
            by=by, activity=e["held_here"], status="suspended", note="Da verificare"
        ),
        {TA},
        {PRO},
    ),
    "activity_verify": (
        lambda w, e, by: services.activity_verify(by=by, activity=w["activity"]),
        {TA, PRO},
        set(),
    ),
    "activity_verify elsewhere": (
        lambda w, e, by: services.activity_verify(by=by, activity=w["outside_activity"]),
        set(),
        {TA, PRO},
    ),
    "schedule_add": (
        lambda w, e, by: services.schedule_add(
            by=by, activity=w["activity"], valid_from=date(2025, 9, 1), **SCHEDULE
        ),
        {TA, PRO},
        set(),
    ),
    "schedule_add elsewhere": (
        lambda w, e, by: services.schedule_add(
            by=by, activity=w["outside_activity"], valid_from=date(2025, 9, 1), **SCHEDULE
        ),
        set(),
        {TA, PRO},
    ),
    "schedule_remove": (
        lambda w, e, by: services.schedule_remove(by=by, schedule=w["schedule"]),
        {TA, PRO},
        set(),
    ),
    "schedule_remove elsewhere": (
        lambda w, e, by: services.schedule_remove(by=by, schedule=e["schedule"]),
        set(),
        {TA, PRO},
    ),
    "schedule_exception_add": (
        lambda w, e, by: services.schedule_exception_add(
            by=by, schedule=w["schedule"], date=date(2025, 12, 23), reason="Festa"
        ),
        {TA, PRO},
        set(),
    ),
    "schedule_exception_add elsewhere": (
        lambda w, e, by: services.schedule_exception_add(
            by=by, schedule=e["schedule"], date=date(2025, 12, 22)
        ),
        set(),
        {TA, PRO},
    ),
    "cost_option_add": (
        lambda w, e, by: services.cost_option_add(
            by=by, activity=w["activity"], label="Merenda", amount=2
        ),
        {TA, PRO},
        set(),
    ),
    "cost_option_add elsewhere": (
        lambda w, e, by: services.cost_option_add(
            by=by, activity=w["outside_activity"], label="Merenda", amount=2
        ),
        set(),
        {TA, PRO},
    ),
    "cost_option_remove": (
        lambda w, e, by: services.cost_option_remove(by=by, option=w["cost_option"]),
        {TA, PRO},
        set(),
    ),
    "cost_option_remove elsewhere": (
        lambda w, e, by: services.cost_option_remove(by=by, option=e["cost_option"]),
        set(),
        {TA, PRO},
    ),
    # A row for an organisation one does not keep is a problem in the report, by row; the
    # file as a whole is refused only for the role (test_import covers the rows).
    "import_activities": (
        lambda w, e, by: spreadsheet.import_activities(
            by=by, file=b"Nome;Descrizione\n", filename="a.csv", dry_run=True
        ),
        {TA, PRO},
        set(),
    ),
    # Organisations and vocabulary for the whole network: the system administrator's only.
    "import_bundle": (
        lambda w, e, by: hsds.import_bundle(read_path(HSDS_TAXONOMY), by=by, dry_run=True),
        set(),
        set(),
    ),
    "import_path": (
        lambda w, e, by: hsds.import_path(HSDS_TAXONOMY, by=by, dry_run=True),
        set(),
        set(),
    ),
}


def _writers(module) -> set[str]:
    """The public functions of `module` that act for someone: those taking `by`."""
    return {
        name
        for name, function in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(function)
        and function.__module__.startswith(module.__name__)
        and "by" in inspect.signature(function).parameters
    }


def test_every_write_service_is_in_the_table():
    written = {name.split(" ")[0] for name in CASES}
    assert written == _writers(services) | _writers(spreadsheet) | _writers(hsds)


@pytest.mark.parametrize("name", CASES)
def test_each_persona_calling_the_service_directly(name, world, elsewhere_dir, personas):
    call, allowed, hidden = CASES[name]
    assert as_every_persona(call, personas, world, elsewhere_dir) == expected(allowed, hidden)
    assert outcome(call, world, elsewhere_dir, None) == "allowed"  # the system
