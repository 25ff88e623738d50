"""System checks of Legami's own settings."""

from django.conf import settings
from django.core.checks import Error, register

DEVELOPMENT_KEY_MESSAGE = (
    "SECRET_KEY must be set in production "
    "(for development or tests only: DEBUG=1 or LEGAMI_ALLOW_DEV_KEY=1)"
)


def development_key_refused() -> bool:
    return settings.USING_DEVELOPMENT_KEY and not settings.DEVELOPMENT_KEY_ALLOWED


@register(deploy=True)
def secret_key_set(app_configs, **kwargs):
    if development_key_refused():
        return [Error(DEVELOPMENT_KEY_MESSAGE, id="legami.E001")]
    return []
