"""Security properties every page keeps, checked on the whole URL × role matrix.

- headers: a Content-Security-Policy without inline code, nosniff, a Referrer-Policy, no
  framing, and HSTS over HTTPS with the production settings;
- nothing personal cached: pages of a signed-in user are `no-store, private` and vary on the
  cookie, and no response that sets a cookie is publicly cacheable;
- `manage.py check --deploy` is clean with the environment a production deployment sets;
- no personal data in URLs or in logs; markup typed into a form is shown as text;
- password and session rules.
"""

import json
import logging
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.urls import reverse

from legami.conftest import PASSWORD
from legami.core.roles import ALL_ROLES
from legami.core.tests.test_access_matrix import ANON, MATRIX, _kwargs

ROOT = Path(__file__).resolve().parents[3]
ROLES = [ANON, *ALL_ROLES]
# Pages outside the matrix (third-party trees, errors) that must carry the same headers.
EXTRA_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/admin/login/",
    "/pagina-che-non-esiste/",
    "/api/v1/non-esiste/",
]
MARKUP = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>']


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are created per test; the production hasher would spend the run hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _pages(world):
    for name in MATRIX:
        yield reverse(name, kwargs=_kwargs(name, world))
    yield from EXTRA_PAGES


def _directives(csp: str) -> dict[str, list[str]]:
    result = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def header_problems(response, *, signed_in: bool, https: bool) -> list[str]:
    """What is wrong with the security headers of one response (empty when all is well)."""
    problems = []
    csp = _directives(response.get("Content-Security-Policy", ""))
    if not csp:
        problems.append("no Content-Security-Policy")
    for directive, sources in csp.items():
        if {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(sources):
            problems.append(f"CSP {directive} allows {sources}")
    for directive, expected in (
        ("object-src", ["'none'"]),
        ("base-uri", ["'none'"]),
        ("frame-ancestors", ["'none'"]),
    ):
        if csp and csp.get(directive) != expected:
            problems.append(f"CSP {directive} is {csp.get(directive)}, expected {expected}")
    if csp and "script-src" not in csp and "default-src" not in csp:
        problems.append("CSP has neither script-src nor default-src")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("Referrer-Policy") not in {"same-origin", "no-referrer", "strict-origin"}:
        problems.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options {response.get('X-Frame-Options')!r}")
    hsts = response.get("Strict-Transport-Security", "")
    if https:
        max_age = re.search(r"max-age=(\d+)", hsts)
        if not max_age or int(max_age.group(1)) < 31536000 or "includeSubDomains" not in hsts:
            problems.append(f"Strict-Transport-Security {hsts!r}")
    elif hsts:
        problems.append("HSTS sent over plain HTTP")
    cache_control = {v.strip() for v in response.get("Cache-Control", "").lower().split(",")}
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    if signed_in and not {"no-store", "private"} <= cache_control:
        problems.append(f"signed in, Cache-Control {response.get('Cache-Control')!r}")
    if signed_in and "cookie" not in vary:
        problems.append(f"signed in, Vary {response.get('Vary')!r}")
    if response.cookies and (
        "public" in cache_control
        or not ({"private", "no-store"} & cache_control or "cookie" in vary)
    ):
        problems.append("sets a cookie on a response a shared cache may keep")
    return problems


PRODUCTION = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
    "SECURE_SSL_REDIRECT": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_security_headers_on_every_page_for_every_role(role, world, client_for, settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    client = client_for(None if role == ANON else role)
    wrong = []
    pages = list(_pages(world))
    for url in pages:
        response = client.get(url, secure=True)
        for problem in header_problems(response, signed_in=role != ANON, https=True):
            wrong.append(f"{url} ({response.status_code}): {problem}")
    assert len(pages) > 90
    assert not wrong, "\n".join(wrong)


def test_plain_http_is_sent_to_https_in_production_but_not_the_health_check(
    world, client_for, settings
):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    client = client_for("territory_admin")
    response = client.get("/rete/persone/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/rete/persone/"
    assert "Strict-Transport-Security" not in response  # only ever sent over HTTPS
    assert client.get("/healthz").status_code == 200


# --- check --deploy with the environment of a production deployment ----------------------


def production_environment(tmp_path) -> dict[str, str]:
    """The variables a production deployment sets (README), with fresh secrets."""
    from cryptography.fernet import Fernet

    keep = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    return {
        **{name: os.environ[name] for name in keep if name in os.environ},
        "DJANGO_SETTINGS_MODULE": "legami.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "PSEUDONYM_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "legami.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://legami.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "BEHIND_TLS_PROXY": "1",
        "CONN_MAX_AGE": "60",
        "DATABASE_URL": "postgres://legami@127.0.0.1:5432/legami",
        "EMAIL_HOST": "smtp.example.org",
        "LEGAMI_VAR_DIR": str(tmp_path),
    }


SETTINGS_DUMP = """
import json, django
from django.conf import settings
from django.core.management import call_command
django.setup()
call_command("check", deploy=True, fail_level="WARNING")
names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "LANGUAGE_COOKIE_SECURE",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def collected(tmp_path) -> None:
    """What a deployment's `collectstatic` leaves for the deploy check to find: its manifest.
    (Collecting for real takes a minute; the browser journeys do it and serve the result.)"""
    static = tmp_path / "static"
    static.mkdir(exist_ok=True)
    (static / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')


def test_check_deploy_is_clean_with_the_production_environment(tmp_path):
    collected(tmp_path)
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", SETTINGS_DUMP],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["LANGUAGE_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["SESSION_COOKIE_AGE"] <= 8 * 3600
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_environment(tmp_path)
    del env["SECRET_KEY"]
    env["LEGAMI_ALLOW_DEV_KEY"] = "0"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_the_wsgi_server_refuses_the_development_key(tmp_path):
    """Tools run on a bare checkout, but a production server never signs sessions with the
    development key anyone can read in the source."""
    env = production_environment(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", "import legami.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


# --- no personal data in URLs, logs or shared caches --------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src", "action", "formaction", "data-url", "hx-get", "hx-post"}:
                self.urls.append(value or "")


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [url for url in parser.urls if not url.startswith(("mailto:", "tel:"))]


def _personal_values(person) -> list[str]:
    values = [person.email, person.first_name, person.last_name, person.phone]
    values.append(person.phone.replace(" ", ""))
    return [value.lower() for value in values if value]


@pytest.fixture
def person(world):
    from legami.network.models import Person

    Person.objects.filter(pk=world["person"].pk).update(
        first_name="Graziella", last_name="Bernardini", phone="+39 0564 967111"
    )
    return Person.objects.get(pk=world["person"].pk)


def test_people_pages_put_no_personal_data_in_urls(world, person, client_for):
    client = client_for("territory_admin")
    pages = [
        "/rete/persone/",
        f"/rete/persone/{person.pk}/",
        f"/rete/persone/{person.pk}/modifica/",
        f"/rete/organizzazioni/{world['association'].pk}/",
        "/api/v1/network/people/",
        f"/api/v1/network/people/{person.pk}/",
    ]
    leaks = []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            urls = re.findall(r'"(https?://[^"]+)"', body)
        else:
            urls = _links(body)
        for url in urls:
            parts = urlsplit(unquote(url).lower())
            for value in _personal_values(person):
                if value in parts.path or value in parts.query or value in parts.fragment:
                    leaks.append(f"{page}: {url} carries {value!r}")
    # Saving a person redirects to an address made of its id only.
    response = client.post(
        f"/rete/persone/{person.pk}/modifica/",
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/rete/persone/{person.pk}/"
    assert not leaks, "\n".join(leaks)


def test_requests_for_people_leave_no_personal_data_in_logs(world, person, client_for, caplog):
    client = client_for("territory_admin")
    with caplog.at_level(logging.DEBUG):
        for url in (
            f"/rete/persone/{person.pk}/",
            "/rete/persone/",
            f"/api/v1/network/people/{person.pk}/",
            "/api/v1/network/people/",
            "/rete/persone/999999/",
        ):
            client.get(url)
        # A rejected write (wrong method) and an invalid form are logged or answered too.
        client.post("/api/v1/network/people/", {"email": person.email})
        client.post(
            f"/rete/persone/{person.pk}/modifica/",
            {"first_name": person.first_name, "last_name": "", "email": "non-valida"},
        )
    assert caplog.records, "the requests above log at least the 404 and the 405"
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {getattr(record, 'request', '')}"
        for record in caplog.records
    ).lower()
    for value in _personal_values(person):
        assert value not in logged


def test_pages_of_a_person_are_never_kept_by_shared_caches(world, person, client_for):
    client = client_for("territory_admin")
    for url in (f"/rete/persone/{person.pk}/", f"/api/v1/network/people/{person.pk}/"):
        response = client.get(url)
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control
        assert "public" not in cache_control and "max-age" not in cache_control
        assert "Cookie" in response["Vary"]
        assert "Expires" in response  # in the past: HTTP/1.0 caches do not keep it either


# --- markup typed into any field is shown as text ------------------------------------------


def _assert_shown_as_text(html: str, where: str):
    for payload in MARKUP:
        assert payload not in html, f"{where}: raw {payload!r}"
    assert "&lt;script&gt;alert(" in html, where


def test_markup_typed_into_organisation_person_and_place_forms_is_shown_as_text(world, client_for):
    from legami.directory.models import Place
    from legami.network.models import Organisation, Person

    client = client_for("territory_admin")
    script, image, svg = MARKUP
    response = client.post(
        reverse("network:organisation_create"),
        {
            "name": f"Associazione {script}",
            "sector": "third_sector",
            "comune": "053001",
            "address": image,
            "phone": "<b>0564</b>",
            "description": f"{script} {image} {svg}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(name=f"Associazione {script}")
    for url in (
        response["Location"],
        reverse("network:organisation_list"),
        reverse("network:organisation_edit", args=[organisation.pk]),
    ):
        _assert_shown_as_text(client.get(url).content.decode(), url)

    response = client.post(
        reverse("network:person_create"),
        {
            "first_name": script,
            "last_name": svg,
            "phone": "<i>1</i>",
            "organisation": organisation.pk,
            "role_title": image,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(first_name=script)
    for url in (
        response["Location"],
        reverse("network:person_list"),
        reverse("network:person_edit", args=[person.pk]),
    ):
        _assert_shown_as_text(client.get(url).content.decode(), url)

    response = client.post(
        reverse("directory:place_create"),
        {
            "organisation": world["association"].pk,
            "name": f"Sala {script}",
            "comune": "053001",
            "address": image,
            "description": svg,
            "accessibility_notes": script,
            "transport_notes": image,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    place = Place.objects.get(name=f"Sala {script}")
    for url in (reverse("directory:place_list"), reverse("directory:place_edit", args=[place.pk])):
        _assert_shown_as_text(client.get(url).content.decode(), url)


# --- password and session rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("corta-1", "La tua password deve contenere almeno 12 caratteri."),
        ("abbastanza1", "La tua password deve contenere almeno 12 caratteri."),
        ("password1234", "Questa password è troppo comune."),
        ("123456789012345", "Questa password è interamente numerica."),
    ],
)
def test_sign_up_refuses_weak_passwords_in_italian(client, db, password, message):
    from legami.accounts.models import User

    response = client.post(
        "/accounts/signup/",
        {"email": "nuova@test.legami.example", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["password1"]
    assert "This password" not in response.content.decode()
    assert not User.objects.filter(email="nuova@test.legami.example").exists()


def test_sign_up_accepts_a_long_uncommon_password(client, db):
    response = client.post(
        "/accounts/signup/",
        {"email": "nuova@test.legami.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("secure", [False, True])
def test_session_cookie_is_http_only_same_site_and_secure_in_production(
    client, db, settings, secure
):
    from legami.conftest import make_user

    settings.SESSION_COOKIE_SECURE = secure
    settings.CSRF_COOKIE_SECURE = secure
    user = make_user("citizen")
    client.get("/accounts/login/", secure=secure)
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, secure=secure
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) is secure
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] is True and bool(csrf["secure"]) is secure
    # The server forgets the session after SESSION_COOKIE_AGE (8 hours) at the latest.
    assert client.session.get_expiry_age() <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_signing_out_ends_the_session_on_the_server(client, db):
    from django.contrib.sessions.models import Session

    from legami.conftest import make_user

    user = make_user("citizen")
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/area-personale/").status_code == 302
