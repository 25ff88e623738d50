"""Legami settings: one module, read from the environment, safe defaults.

A fresh checkout runs on an embedded SQLite database under var/ with no variable set;
production sets DATABASE_URL, SECRET_KEY, FIELD_ENCRYPTION_KEY, PSEUDONYM_KEY, ALLOWED_HOSTS
and DEBUG=0 (README, "Settings").
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Nothing is created at import: the SQLite connection (legami.core.sqlite3), backups, imports
# and `make` create the folders they write to.
VAR_DIR = Path(os.environ.get("LEGAMI_VAR_DIR", BASE_DIR / "var"))

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable. A typo (DEBUG=ture) stops the start instead of meaning "no": a
    security switch silently read as off is worse than a server that does not start."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of 1/0, true/false, yes/no, on/off"
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# --- Keys --------------------------------------------------------------------------------------
# The three secrets come from the environment. Without one of them a published development
# value is used, so that tools (makemigrations, the test runner, a demo) work on a bare
# checkout; serving with any of them is refused unless asked for (DEBUG=1, or
# LEGAMI_ALLOW_DEV_KEY=1 as `make run` sets): legami/wsgi.py stops gunicorn and the deploy checks
# legami.E001-E003 fail `manage.py check --deploy`. This is the only place with such values.
DEVELOPMENT_VALUES = {
    "SECRET_KEY": "legami-development-key-not-for-production-use-0123456789abcdef",
    "FIELD_ENCRYPTION_KEY": "bGVnYW1pLWRldmVsb3BtZW50LWtleS0zMi1ieXRlcyE=",
    # The development SECRET_KEY, which PSEUDONYM_KEY used to fall back to: the keyed hashes
    # of an existing demo database stay valid.
    "PSEUDONYM_KEY": "legami-development-key-not-for-production-use-0123456789abcdef",
}
DEVELOPMENT_KEYS_USED = [name for name in DEVELOPMENT_VALUES if not os.environ.get(name)]
DEVELOPMENT_KEY_ALLOWED = DEBUG or env_bool("LEGAMI_ALLOW_DEV_KEY", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_VALUES["SECRET_KEY"]
# Key for encrypting sensitive fields (codice fiscale, notes, TOTP seeds). It comes from the
# environment, never from the database; several comma-separated keys rotate it.
FIELD_ENCRYPTION_KEY = (
    os.environ.get("FIELD_ENCRYPTION_KEY") or DEVELOPMENT_VALUES["FIELD_ENCRYPTION_KEY"]
)
# Keyed hash (HMAC) secret for duplicate detection of tax codes. Its own key, never derived
# from SECRET_KEY: changing the session secret must not silently break duplicate detection.
PSEUDONYM_KEY = os.environ.get("PSEUDONYM_KEY") or DEVELOPMENT_VALUES["PSEUDONYM_KEY"]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Modules of Legami, in the order imports may point: each imports only those above it.
    "legami.core",
    "legami.accounts",
    "legami.territory",
    "legami.network",
    "legami.directory",
    "legami.referrals",
    "legami.outcomes",
    "legami.learning",
    "legami.demo",
    # Django and the ecosystem.
    # Django's admin, signing in through allauth (second factor, throttle, audit).
    "legami.accounts.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
]
# Side effects (e-mail now, slow jobs later) are tasks of Django's tasks API (the django-tasks
# backport until Django 6), written to the database in the same transaction as the change and
# run by `manage.py db_worker`: a rolled-back change sends nothing (docs/tasks.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "legami.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "legami.core.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "legami.accounts.middleware.RequireSecondFactorMiddleware",
]

ROOT_URLCONF = "legami.urls"
WSGI_APPLICATION = "legami.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "legami.core.context_processors.legami",
                "legami.core.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Lets several test runs share one checkout without sharing a test database.
TEST_DB_SUFFIX = os.environ.get("LEGAMI_TEST_DB_SUFFIX", "")
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'legami.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE),
        # Seconds a worker keeps its database connection (0: one per request). Production
        # behind gunicorn sets e.g. CONN_MAX_AGE=60 and saves a PostgreSQL connection per request.
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, creating the database's folder (var/) when it first connects.
    DATABASES["default"]["ENGINE"] = "legami.core.sqlite3"
    # WAL lets readers work while one writer commits; synchronous FULL makes every
    # acknowledged commit durable; IMMEDIATE transactions take the write lock up front so
    # two writers queue (busy timeout) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test{TEST_DB_SUFFIX}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_legami{TEST_DB_SUFFIX}"}
    # Legami's tables fit in memory: PostgreSQL's default random_page_cost (4, for spinning
    # disks) makes it scan 15,000 activities rather than look up a few hundred by index.
    # Sent with each connection; a DBA's own setting goes in LEGAMI_PG_OPTIONS ("" for none).
    pg_options = os.environ.get("LEGAMI_PG_OPTIONS", "-c random_page_cost=1.1")
    if pg_options:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = pg_options

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: state every worker must share ---------------------------------------------------
# Rate limits (public forms, allauth's sign-in throttle), used TOTP codes and the vocabulary
# version must be the same in every process, or each gunicorn worker counts on its own. The
# default is Django's database cache (shared by every process, nothing to install; its table
# is made by `migrate`); production may set CACHE_URL=redis://host:6379/0 for Django's Redis
# backend. locmem:// and dummy:// exist for experiments; `check --deploy` warns on them.
CACHE_TABLE = "legami_cache"


def cache_from_url(url: str) -> dict:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": url.split("://", 1)[1] or CACHE_TABLE,
            # Culling deletes live entries, rate-limit counts among them: only far past what
            # the site stores (expired entries are removed first).
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r}: use redis://host:port/db, db://table, locmem:// or dummy://"
    )


CACHES = {
    "default": {
        **cache_from_url(os.environ.get("CACHE_URL") or f"db://{CACHE_TABLE}"),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "legami"),
    }
}

# --- Accounts --------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "legami.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# An address is verified before its account signs in, so that allauth can answer a sign-up
# with a known address exactly as a new one and tell the truth by e-mail: on a platform for
# vulnerable people, whether someone has an account is itself sensitive.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# Failed sign-ins are throttled per address and per account with a cool-off; an account is
# never locked for good (a locked social worker on a Monday morning is a denial of service).
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_FAILED_LIMIT", "10/m/ip,5/5m/key"),
}
ACCOUNT_ADAPTER = "legami.accounts.adapter.AccountAdapter"
# TOTP seeds and recovery codes encrypted with FIELD_ENCRYPTION_KEY (legami.core.crypto).
MFA_ADAPTER = "legami.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Legami"
# Roles that handle personal data must sign in with a second factor (docs/security.md).
LEGAMI_REQUIRE_MFA = env_bool("LEGAMI_REQUIRE_MFA", True)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Language --------------------------------------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "legami" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Rome"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "legami_language"
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# A server (DEBUG off) serves what `manage.py collectstatic` made: hashed names that browsers
# keep for a year, and gzip copies (a first visit on a phone moves a third of the bytes).
# Development serves the sources as they are, with nothing to collect.
DEVELOPMENT_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
PRODUCTION_STATIC = "legami.core.staticstorage.StaticStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND", DEVELOPMENT_STATIC if DEBUG else PRODUCTION_STATIC
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = True

# --- Security --------------------------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Production sends plain HTTP to HTTPS (SECURE_SSL_REDIRECT=1; BEHIND_TLS_PROXY=1 when a proxy
# terminates TLS); the health check stays reachable over HTTP for load balancers.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Behind the proxy every request comes from the proxy's address: the client's is the entry of
# X-Forwarded-For that the outermost of our proxies appended (counting from the right, one per
# proxy of ours). Read only with BEHIND_TLS_PROXY, by legami.core.ratelimit.client_address,
# for Legami's limits and allauth's alike.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Asking browsers to preload HSTS is the domain owner's commitment (every subdomain of the
# Comune's domain must then serve HTTPS, for good): a deployment opts in with
# SECURE_HSTS_PRELOAD=1, so `check --deploy` does not warn about a decision that is not ours.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Closed social-prescribing cases are anonymised after this many days (referrals_retention).
REFERRALS_RETENTION_DAYS = env_int("REFERRALS_RETENTION_DAYS", 5 * 365)

# Impact measurement: how long a self-completion link works, and when follow-ups fall due
# (months after the baseline; a reminder goes out OUTCOMES_REMINDER_DAYS before).
OUTCOMES_LINK_DAYS = env_int("OUTCOMES_LINK_DAYS", 14)
OUTCOMES_FOLLOW_UP_MONTHS = {
    "follow_up_3m": env_int("OUTCOMES_FOLLOW_UP_FIRST_MONTHS", 3),
    "follow_up_6m": env_int("OUTCOMES_FOLLOW_UP_SECOND_MONTHS", 6),
}
OUTCOMES_REMINDER_DAYS = 7

# Address of the site as people reach it, for links in e-mails (no request to read it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Legami <noreply@legami.example>")

# --- Maps ------------------------------------------------------------------------------------
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # DRF's JSON parser, with a depth and a size limit (legami.core.api.JSONParser).
    "DEFAULT_PARSER_CLASSES": [
        "legami.core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "legami.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Legami API",
    "DESCRIPTION": "REST API of Legami, the community-welfare platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "legami.core.api.document_errors",
    ],
}

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

LEGAMI_DEMO = env_bool("LEGAMI_DEMO", False)
