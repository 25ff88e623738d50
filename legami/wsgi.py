import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legami.settings")
application = get_wsgi_application()

from legami.core.checks import DEVELOPMENT_KEY_MESSAGE, development_key_refused  # noqa: E402

if development_key_refused():
    # A server started without SECRET_KEY would sign sessions with a key anyone can read.
    raise RuntimeError(DEVELOPMENT_KEY_MESSAGE)
