"""Legami's settings for benchmarks: the product's own, with a benchmark-only URLconf (which
adds a minimal view, the framework's floor) and DEBUG off, whatever the environment says."""

import os

# Benchmarks run on generated data: the development key is fine unless one is given.
os.environ.setdefault("LEGAMI_ALLOW_DEV_KEY", "1")

from legami.settings import *  # noqa: E402, F403
from legami.settings import DATABASES, LOGGING  # noqa: E402

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
# As the product runs by default (a new connection per request); BENCH_CONN_MAX_AGE=600
# measures persistent connections instead.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "0"))
# A 404 under test is reported in the table, not logged at every request.
LOGGING = {**LOGGING, "loggers": {"django.request": {"level": "ERROR"}}}
