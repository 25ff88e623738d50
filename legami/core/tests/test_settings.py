"""Production-safe settings: yes/no variables read strictly, nothing written at import, the
three secrets required of a server, the pseudonym key independent of the session secret, and
a cache every worker shares."""

import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from legami.core import crypto
from legami.core.tests.test_security import ROOT, production_environment

SETTINGS = str(ROOT / "legami" / "settings.py")
KEYS = ["SECRET_KEY", "FIELD_ENCRYPTION_KEY", "PSEUDONYM_KEY"]


def _settings(monkeypatch, tmp_path, **env) -> dict:
    """legami/settings.py as a process with exactly `env` (and a var folder in tmp) reads it."""
    for name in ["DEBUG", "CACHE_URL", "DATABASE_URL", "LEGAMI_ALLOW_DEV_KEY", *KEYS]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LEGAMI_VAR_DIR", str(tmp_path / "var"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("TRUE", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("False", False),
        ("NO", False),
        ("off", False),
        (" true ", True),
    ],
)
def test_yes_no_variables_accept_the_usual_words_in_any_case(
    monkeypatch, tmp_path, value, expected
):
    assert _settings(monkeypatch, tmp_path, DEBUG=value)["DEBUG"] is expected


@pytest.mark.parametrize("name", ["DEBUG", "SECURE_SSL_REDIRECT", "LEGAMI_REQUIRE_MFA"])
def test_a_typo_in_a_yes_no_variable_stops_the_start_naming_it(monkeypatch, tmp_path, name):
    with pytest.raises(ImproperlyConfigured, match=f"{name}='ture' is not a yes/no value"):
        _settings(monkeypatch, tmp_path, **{name: "ture"})


def test_settings_create_nothing_at_import_and_sqlite_makes_its_folder(
    monkeypatch, tmp_path, django_db_blocker
):
    values = _settings(monkeypatch, tmp_path)
    assert not (tmp_path / "var").exists()
    database = values["DATABASES"]["default"]
    assert Path(database["NAME"]).parent == tmp_path / "var"
    connection = ConnectionHandler({"default": database})["default"]
    with django_db_blocker.unblock():  # a database of its own, in tmp_path
        try:
            connection.ensure_connection()
        finally:
            connection.close()
    assert (tmp_path / "var" / "legami.sqlite3").exists()


def test_the_pseudonym_key_never_falls_back_to_the_secret_key(monkeypatch, tmp_path, settings):
    values = _settings(monkeypatch, tmp_path, SECRET_KEY="a-production-secret-" * 3)
    assert values["PSEUDONYM_KEY"] != values["SECRET_KEY"]
    assert values["DEVELOPMENT_KEYS_USED"] == ["FIELD_ENCRYPTION_KEY", "PSEUDONYM_KEY"]
    # Changing the session secret leaves every duplicate-detection hash as it was.
    before = crypto.keyed_hash("RSSGLI80A41H501X")
    settings.SECRET_KEY = "another-secret-" * 4
    assert crypto.keyed_hash("RSSGLI80A41H501X") == before


def test_the_cache_is_the_databases_unless_cache_url_says_otherwise(monkeypatch, tmp_path):
    default = _settings(monkeypatch, tmp_path)["CACHES"]["default"]
    assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    redis = _settings(monkeypatch, tmp_path, CACHE_URL="redis://10.0.0.5:6379/2")["CACHES"]
    assert redis["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["default"]["LOCATION"] == "redis://10.0.0.5:6379/2"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL='memcache://x'"):
        _settings(monkeypatch, tmp_path, CACHE_URL="memcache://x")


def _run(args, env, tmp_path):
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("key", ["FIELD_ENCRYPTION_KEY", "PSEUDONYM_KEY"])
def test_production_refuses_to_start_without_each_key(tmp_path, key):
    """Without FIELD_ENCRYPTION_KEY the app would encrypt with a key published in the source;
    without PSEUDONYM_KEY, hash with one. Neither the deploy check nor the server accepts it."""
    env = production_environment(tmp_path)
    del env[key]
    check = _run(["manage.py", "check", "--deploy"], env, tmp_path)
    assert check.returncode != 0
    assert f"{key} must be set in production" in check.stderr
    server = _run(["-c", "import legami.wsgi"], env, tmp_path)
    assert server.returncode != 0
    assert f"{key} must be set in production" in server.stderr


def test_the_deploy_check_warns_on_a_cache_each_worker_keeps_to_itself(tmp_path):
    env = {**production_environment(tmp_path), "CACHE_URL": "locmem://"}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    assert "legami.W001" in result.stderr and "counted per worker" in result.stderr


@pytest.mark.parametrize(
    ("variable", "check_id", "words"),
    [
        ("LEGAMI_REQUIRE_MFA", "legami.W002", "password alone"),
        ("LEGAMI_ALLOW_DEV_KEY", "legami.W003", "published development value of PSEUDONYM_KEY"),
    ],
)
def test_the_deploy_check_names_each_escape_hatch_left_open(tmp_path, variable, check_id, words):
    env = production_environment(tmp_path)
    if variable == "LEGAMI_REQUIRE_MFA":
        env[variable] = "0"
    else:
        env[variable] = "1"
        del env["PSEUDONYM_KEY"]
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    assert check_id in result.stderr and words in result.stderr
    clean = _run(["manage.py", "check", "--deploy"], production_environment(tmp_path), tmp_path)
    assert check_id not in clean.stderr


def test_the_deploy_check_asks_for_collectstatic_when_nothing_was_collected(tmp_path):
    """A server serves hashed names from the manifest collectstatic writes: without it no page
    could name its styles, so the deploy check fails before anyone visits."""
    result = _run(["manage.py", "check", "--deploy"], production_environment(tmp_path), tmp_path)
    assert result.returncode != 0
    assert "legami.E004" in result.stderr and "collectstatic" in result.stderr
