"""System checks of Legami's own settings."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.checks import Warning as CheckWarning

# What each secret protects, for the message that refuses to serve without it.
KEY_PURPOSES = {
    "SECRET_KEY": "signs sessions and links",
    "FIELD_ENCRYPTION_KEY": "encrypts tax codes, notes and second-factor seeds",
    "PSEUDONYM_KEY": "keys the hashes that find duplicate people",
}
KEY_CHECK_IDS = {
    "SECRET_KEY": "legami.E001",
    "FIELD_ENCRYPTION_KEY": "legami.E002",
    "PSEUDONYM_KEY": "legami.E003",
}
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def key_message(name: str) -> str:
    return (
        f"{name} must be set in production: it {KEY_PURPOSES[name]} "
        "(for development or tests only: DEBUG=1 or LEGAMI_ALLOW_DEV_KEY=1)"
    )


def development_keys_refused() -> list[str]:
    """The secrets left to their published development value where that is not allowed."""
    if settings.DEVELOPMENT_KEY_ALLOWED:
        return []
    return list(settings.DEVELOPMENT_KEYS_USED)


def refusal_message() -> str:
    return "; ".join(key_message(name) for name in development_keys_refused())


@register(deploy=True)
def keys_set(app_configs, **kwargs):
    return [Error(key_message(name), id=KEY_CHECK_IDS[name]) for name in development_keys_refused()]


@register(deploy=True)
def cache_shared(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        CheckWarning(
            f"The cache ({backend}) lives in each process: with several workers the rate "
            "limits and the sign-in throttle are counted per worker.",
            hint="Leave CACHE_URL unset (database cache) or set CACHE_URL=redis://...",
            id="legami.W001",
        )
    ]


@register(deploy=True)
def escape_hatches_closed(app_configs, **kwargs):
    """The two switches that make a server less safe than it looks: each is named at deploy,
    so that a variable left over from a test machine is seen before real people sign in."""
    found = []
    if not settings.DEBUG and not settings.LEGAMI_REQUIRE_MFA:
        found.append(
            CheckWarning(
                "LEGAMI_REQUIRE_MFA is off: staff who handle personal data sign in with a "
                "password alone.",
                hint="Remove LEGAMI_REQUIRE_MFA from the environment (it is on by default).",
                id="legami.W002",
            )
        )
    if not settings.DEBUG and settings.DEVELOPMENT_KEY_ALLOWED and settings.DEVELOPMENT_KEYS_USED:
        names = ", ".join(settings.DEVELOPMENT_KEYS_USED)
        found.append(
            CheckWarning(
                f"LEGAMI_ALLOW_DEV_KEY lets this server use the published development value of "
                f"{names}: anyone who reads the source can decrypt or forge what they protect.",
                hint="Set each key in the environment and remove LEGAMI_ALLOW_DEV_KEY.",
                id="legami.W003",
            )
        )
    return found


@register(deploy=True)
def static_files_collected(app_configs, **kwargs):
    """Hashed names are looked up in the manifest collectstatic writes: without it every page
    would fail to render."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.exists(storage.manifest_name):
        return []
    return [
        Error(
            f"The static files are not collected in {settings.STATIC_ROOT}: pages cannot "
            "name their styles and scripts.",
            hint="Run `manage.py collectstatic --noinput` at each deploy (README, Production).",
            id="legami.E004",
        )
    ]
