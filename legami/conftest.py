"""Shared fixtures: a small territory, one persona per role, and the demo world."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from legami.accounts.models import User
from legami.accounts.services import email_address_confirm
from legami.core import roles
from legami.network import services as network
from legami.network.models import Membership, Person
from legami.territory.models import Comune, District, Jurisdiction, Province, Region

PASSWORD = "una-password-lunga-2026"  # noqa: S105 - test accounts only


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher costs ~0.3 s per password on purpose; tests create hundreds of
    # accounts and are not testing the hasher's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _static_sources():
    """Pages name their static files as they are in the sources: a server's hashed, compressed
    copies are made by collectstatic, which takes a minute (the browser journeys serve them)."""
    from django.test.utils import override_settings

    storages = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": django_settings.DEVELOPMENT_STATIC},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English leaves English active in this thread; the next test starts fresh.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Enqueued tasks (e-mails) run where they are enqueued, so a test reads mail.outbox right
    # after the request. The real path (task row in the transaction, worker, retries) is
    # proven by the tests that ask for `database_tasks` (core/tests/test_tasks.py...).
    settings.TASKS = {"default": {"BACKEND": "legami.core.tests.outbox.RunAtOnce"}}


@pytest.fixture
def database_tasks(settings):
    """Tasks as in production: rows of the database backend, run by `run_worker()`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def mail_server(settings):
    """The SMTP boundary, up (`mail_server.down = False`) or down (`True`)."""
    from legami.core.tests.outbox import PATH, MailServer

    settings.EMAIL_BACKEND = PATH
    MailServer.reset()
    yield MailServer
    MailServer.reset()


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # The cache is the database's (or Redis, with CACHE_URL): the rate limits and throttles of
    # one test must not reach the next. A test without the database cannot reach the database
    # cache either, and has nothing to clear.
    uses_database = "_django_db_helper" in request.fixturenames
    if not uses_database and "redis" not in django_settings.CACHES["default"]["BACKEND"]:
        yield
        return
    if uses_database:
        request.getfixturevalue("_django_db_helper")  # the database (and its cache) first
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def geography(db):
    toscana = Region.objects.create(code="09", name="Toscana")
    emilia = Region.objects.create(code="08", name="Emilia-Romagna")
    grosseto = Province.objects.create(
        code="053", name="Grosseto", abbreviation="GR", region=toscana
    )
    bologna = Province.objects.create(code="037", name="Bologna", abbreviation="BO", region=emilia)
    comuni = {
        "arcidosso": Comune.objects.create(
            istat_code="053001",
            name="Arcidosso",
            province=grosseto,
            latitude="42.87130",
            longitude="11.54100",
            inner_area_class="E",
        ),
        "massa": Comune.objects.create(
            istat_code="053015", name="Massa Marittima", province=grosseto
        ),
        "casalecchio": Comune.objects.create(
            istat_code="037011", name="Casalecchio di Reno", province=bologna
        ),
        "zola": Comune.objects.create(istat_code="037060", name="Zola Predosa", province=bologna),
    }
    return {
        "toscana": toscana,
        "emilia": emilia,
        "grosseto": grosseto,
        "bologna": bologna,
        **comuni,
    }


def make_user(role: str, email: str | None = None, mfa: bool = True) -> User:
    email = email or f"{role}@test.legami.example"
    if role == roles.SUPERUSER:
        user = User.objects.create_superuser(email, PASSWORD)
    else:
        user = User.objects.create_user(email, PASSWORD, role=role)
    # Sign-in needs a verified address (mandatory verification), as a real account has.
    email_address_confirm(by=None, user=user)
    if mfa and role in roles.PERSONAL_DATA_ROLES:
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def personas(db):
    return {role: make_user(role) for role in roles.ALL_ROLES}


@pytest.fixture
def world(geography, personas):
    """A district, organisations, a programme with a body, and people, with the territory
    administrator working on Tuscany and the provider a member of one association."""
    su = personas[roles.SUPERUSER]
    ta = personas[roles.TERRITORY_ADMIN]
    Jurisdiction.objects.create(user=ta, region=geography["toscana"])
    district = District.objects.create(name="Amiata", kind="social")
    district.comuni.set([geography["arcidosso"]])
    outside_district = District.objects.create(name="Casalecchio", kind="social")
    outside_district.comuni.set([geography["casalecchio"], geography["zola"]])
    comune = network.organisation_create(
        by=su,
        name="Comune di Arcidosso",
        sector="public_administration",
        comune=geography["arcidosso"],
    )
    association = network.organisation_create(
        by=su,
        name="Associazione Amiata Cammina",
        sector="third_sector",
        comune=geography["arcidosso"],
        runts_number="12345",
    )
    outside = network.organisation_create(
        by=su,
        name="Comune di Casalecchio di Reno",
        sector="public_administration",
        comune=geography["casalecchio"],
    )
    programme = network.programme_create(
        by=su,
        name="Comunità resilienti",
        lead_partner=comune,
        start_date="2025-09-25",
        comuni=[geography["arcidosso"]],
    )
    body = network.body_create(
        by=su, programme=programme, name="Cabina di regia", kind="steering_core"
    )
    person = network.person_create(
        by=su,
        organisation=association,
        role_title="Presidente",
        first_name="Demo",
        last_name="Persona",
        email="persona@test.legami.example",
    )
    provider_person = Person.objects.create(
        first_name="Pro", last_name="Vider", user=personas[roles.PROVIDER]
    )
    Membership.objects.create(
        person=provider_person, organisation=association, role_title="Volontario"
    )
    outside_person = network.person_create(
        by=su,
        organisation=outside,
        role_title="Referente",
        first_name="Fuori",
        last_name="Ambito",
    )
    return {
        "district": district,
        "outside_district": outside_district,
        "comune_org": comune,
        "association": association,
        "outside_org": outside,
        "programme": programme,
        "body": body,
        "person": person,
        "outside_person": outside_person,
        **_offer(su, association, outside, geography),
        **geography,
    }


def _offer(su, association, outside, geography):
    """A published activity of the provider's association in Arcidosso, and one of an
    organisation outside the territory administrator's region."""
    from datetime import date, time

    from legami.directory import services as directory
    from legami.directory.models import TaxonomyTerm

    terms = {
        t.code: t
        for t in TaxonomyTerm.objects.filter(code__in=["camminate-natura", "solitudine", "anziani"])
    }
    place = directory.place_create(
        by=su,
        organisation=association,
        name="Castello",
        comune=geography["arcidosso"],
        latitude=42.8721,
        longitude=11.5388,
        wheelchair_access=True,
    )
    activity = directory.activity_create(
        by=su,
        organisation=association,
        place=place,
        name="Camminata nei castagneti",
        description="Passeggiata nella natura tra i castagneti.",
        terms=terms.values(),
        capacity=12,
    )
    schedule = directory.schedule_add(
        by=su,
        activity=activity,
        freq="WEEKLY",
        byday="TU",
        opens_at=time(9, 30),
        closes_at=time(11),
        valid_from=date(2025, 9, 2),
    )
    cost_option = directory.cost_option_add(by=su, activity=activity, label="Tessera", amount=5)
    directory.activity_set_status(by=su, activity=activity, status="published")
    outside_place = directory.place_create(
        by=su,
        organisation=outside,
        name="Casa della Salute",
        comune=geography["casalecchio"],
    )
    outside_activity = directory.activity_create(
        by=su,
        organisation=outside,
        place=outside_place,
        name="Gruppo di cammino",
        description="Camminata di un'ora.",
    )
    return {
        "place": place,
        "activity": activity,
        "schedule": schedule,
        "cost_option": cost_option,
        "term": terms["solitudine"],
        "outside_place": outside_place,
        "outside_activity": outside_activity,
    }


@pytest.fixture
def client_for(client, personas):
    """A test client signed in as the persona of `role` (None: anonymous)."""
    from django.test import Client

    def make(role):
        c = Client()
        if role is not None:
            c.force_login(personas[role])
        return c

    return make
