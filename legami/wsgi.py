import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legami.settings")
application = get_wsgi_application()

from legami.core.checks import development_keys_refused, refusal_message  # noqa: E402

if development_keys_refused():
    # A server started with a published key would sign sessions, encrypt data or key the
    # duplicate hashes with a value anyone can read in the source.
    raise RuntimeError(refusal_message())
