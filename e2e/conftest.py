"""Browser journeys: Playwright for Python driving Debian's Chromium (never a downloaded
browser) against a live Legami server on 127.0.0.1, with axe-core on each key page and a
screenshot of each step under var/e2e/."""

import importlib
import os
import re
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from playwright.sync_api import sync_playwright

from legami.conftest import (  # noqa: F401 - fixtures shared with the suite
    PASSWORD,
    _clear_cache,
    client_for,
    geography,
    personas,
    world,
)

# Playwright's sync API keeps an event loop in this thread; the ORM calls in fixtures are
# still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AUDIT_TRIGGERS = "0002_audit_append_only"
CHROMIUM = os.environ.get("LEGAMI_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "var" / "e2e"
AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(request, django_db_blocker, tmp_path_factory):
    """The server as production runs it for static files: collectstatic's hashed, compressed
    copies served by WhiteNoise (pytest-django's own live server would hand /static/ to
    Django's development handler, uncompressed, and no journey could measure the bytes)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": settings.PRODUCTION_STATIC}}
    served = override_settings(
        STATIC_ROOT=tmp_path_factory.mktemp("static"),
        STORAGES=storages,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    )
    served.enable()
    call_command("collectstatic", interactive=False, verbosity=0)
    server = LiveServer("127.0.0.1", start=False)
    server.thread.static_handler = lambda handler: handler  # WhiteNoise, in the middleware
    with django_db_blocker.unblock():
        server.start()
    yield server
    server.stop()
    served.disable()


def _console_error(message, errors):
    # A page answered 404 or 410 on purpose logs "Failed to load resource": the responses are
    # judged by _missing_part instead, which knows a page from the files it needs.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def _missing_part(response, errors):
    """A style, script, image or font a page asked for and did not get (a page itself may
    answer 404 or 410: a journey checks that on purpose)."""
    if response.status >= 400 and response.request.resource_type != "document":
        errors.append(f"{response.status} for {response.url}")


@pytest.fixture
def open_page(browser, live_server):
    """A fresh browser context per journey; map tiles (the only resource from outside this
    machine) are answered with an empty image so the journeys run offline."""
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="it-IT", base_url=live_server.url)
        context.route(
            re.compile(r"https?://(?!127\.0\.0\.1|localhost).*"),
            lambda route: route.fulfill(status=204, body=""),
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("console", lambda message: _console_error(message, errors))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda response: _missing_part(response, errors))
        return page

    errors = []
    yield make
    for context in contexts:
        context.close()
    # A refused script or style (the CSP) or a script that throws breaks the page for everyone.
    assert not errors, "console errors: " + "; ".join(errors)


class Journey:
    """Numbered screenshots and accessibility checks for one journey."""

    def __init__(self, name):
        self.name = name
        self.step = 0

    def shot(self, page, label):
        self.step += 1
        page.screenshot(
            path=str(SHOTS / f"{self.name}-{self.step:02d}-{label}.png"), full_page=True
        )

    def check_accessibility(self, page, label):
        """axe-core with the WCAG 2.1 A and AA rules: no serious or critical violation."""
        self.shot(page, label)
        page.evaluate(AXE)
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(
                n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                for n in v["nodes"][:3]
            )
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not bad, f"{label}: " + "; ".join(bad)


@pytest.fixture(autouse=True)
def _append_only_audit_log_between_journeys(transactional_db):
    """Journeys commit for real, so the database is emptied after each one. SQLite empties a
    table row by row, which the audit log's append-only triggers refuse: they are lifted for
    the cleaning only, and put back before the next journey.
    Emptying also removes what data migrations wrote (the base vocabularies): put back too."""
    from django.apps import apps as django_apps
    from django.db import connection

    migration = importlib.import_module(f"legami.core.migrations.{AUDIT_TRIGGERS}")
    if connection.vendor == "sqlite":
        with connection.schema_editor() as editor:
            migration.drop(None, editor)
            migration.create(None, editor)
    # Emptying also removed what data migrations wrote: the base vocabularies.
    vocabulary = importlib.import_module("legami.directory.migrations.0003_vocabulary")
    vocabulary.create(django_apps, None)
    for name in ("0002_instrument_library", "0004_answer_labels", "0009_ons4_by_subscale"):
        importlib.import_module(f"legami.outcomes.migrations.{name}").load(django_apps, None)
    yield
    if connection.vendor == "sqlite":
        with connection.schema_editor() as editor:
            migration.drop(None, editor)


@pytest.fixture
def journey(request):
    return Journey(request.node.name.removeprefix("test_"))


def totp_code(user) -> str:
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(totp.data["secret"])  # stored encrypted (MFA_ADAPTER)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page, user):
    """Through the real sign-in pages: e-mail and password, then the TOTP code."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator(
            "main form button[type=submit], form.legami-form button[type=submit]"
        ).last.click()
    # A code typed as its 30-second window closes arrives in the next one and is refused: the
    # page asks again, and the code of the window now open is typed once more.
    for _attempt in range(2):
        if not page.locator("input[name=code]").count():
            break
        page.fill("input[name=code]", totp_code(user))
        with page.expect_navigation():
            page.locator("input[name=code]").press("Enter")
    assert "/accounts/login" not in page.url, "sign-in failed"


def tick(page, selector):
    """Tick a checkbox as a person does, on its label (Bootstrap Italia draws the box there)."""
    box = page.locator(selector).first
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    assert box.is_checked()
