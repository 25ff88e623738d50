"""Helpers of the fault drills (test_backup.py, test_crash_drill.py): dedicated databases on
the engine the suite runs on, built and driven through manage.py in separate processes, as
an operator or a server would.

The suite's own test database cannot serve: its rows live in the test's uncommitted
transaction, invisible to another process such as pg_dump or a server.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

from legami.core.backup import POSTGRESQL, SQLITE, Database

ROOT = Path(__file__).resolve().parents[3]


def engine() -> str:
    return Database.from_settings(settings.DATABASES["default"]).vendor


def scratch_database(tmp_path: Path, label: str) -> Database:
    """A new, empty database for one drill: a file under tmp_path (SQLite) or a database on
    the suite's PostgreSQL server, with a random name."""
    base = Database.from_settings(settings.DATABASES["default"])
    name = f"legami_{label}_{secrets.token_hex(4)}"
    if base.vendor == SQLITE:
        return base.named(tmp_path / f"{name}.sqlite3")
    return base.named(name)


def url(database: Database) -> str:
    if database.vendor == SQLITE:
        return f"sqlite:///{database.name}"
    params = database.params
    credentials = quote(params.get("user", ""), safe="")
    if params.get("password"):
        credentials += ":" + quote(params["password"], safe="")
    host = params.get("host", "")
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgres://{credentials}@{host}{port}/{database.name}"


def environment(database: Database, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a process working on `database`, with its own var/ folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "LEGAMI_TEST_DB_SUFFIX", "DEBUG", "LEGAMI_VAR_DIR"}
    }
    # The drill's processes run as a deployment would, on throw-away data: with the
    # development key unless the caller gave a SECRET_KEY.
    env.setdefault("LEGAMI_ALLOW_DEV_KEY", "1")
    # ...and made-up data where a seed asks for them (generate_data runs only on a demo site).
    env.setdefault("LEGAMI_DEMO", "1")
    # ...serving the static sources as they are: collecting them (hashing, compressing) takes a
    # minute the drills do not measure; the browser journeys serve the collected files.
    env.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    env.update(
        DJANGO_SETTINGS_MODULE="legami.settings",
        DATABASE_URL=url(database),
        LEGAMI_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def manage(database: Database, var_dir: Path, *args: str, check=True):
    """Run `manage.py *args` on `database`; the completed process (stdout, stderr, status)."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(database, var_dir),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


def run_python(database: Database, var_dir: Path, code: str) -> str:
    """Run Python code with Django set up on `database`; its standard output."""
    prelude = "import django\ndjango.setup()\n"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        env=environment(database, var_dir),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"seeding failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def create_migrated(database: Database, var_dir: Path, seed: str = "") -> str:
    """Create `database`, apply the migrations and run `seed` (Python) in one process."""
    if database.vendor == POSTGRESQL:
        database.create()
    code = (
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0, interactive=False)\n" + seed
    )
    return run_python(database, var_dir, code)


# Seeds run inside the drill's process (Django set up on the drill database).

DIRECTORY_AND_PEOPLE = """
from django.core.management import call_command
from legami.accounts.models import User
from legami.core.audit import audit
from legami.network import services as network
from legami.network.models import Organisation

call_command("load_comuni", verbosity=0)
call_command("generate_data", scale="tiny", seed=1, verbosity=0)
admin = User.objects.create_superuser("drill-admin@test.legami.example", None)
organisation = Organisation.objects.order_by("pk").first()
for number in range(5):
    person = network.person_create(
        by=admin, organisation=organisation, role_title="Volontaria",
        first_name=f"Persona {number}", last_name="Esercitazione",
        email=f"persona{number}@test.legami.example", phone=f"+39 0564 00000{number}",
    )
    audit(by=admin, action="view", obj=person, purpose="drill")
"""

SIGNED_IN_ADMINISTRATOR = """
import json
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from legami.accounts.models import User
from legami.territory.models import Comune, Jurisdiction, Province, Region

toscana = Region.objects.create(code="09", name="Toscana")
grosseto = Province.objects.create(code="053", name="Grosseto", abbreviation="GR", region=toscana)
Comune.objects.create(istat_code="053001", name="Arcidosso", province=grosseto)
user = User.objects.create_user("territorio@drill.example", None, role="territory_admin")
TOTP.activate(user, generate_totp_secret())
Jurisdiction.objects.create(user=user, region=toscana)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key}))
"""


def last_json_line(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])
