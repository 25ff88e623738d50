"""Legami's settings for benchmarks: the product's own, with a benchmark-only URLconf (which
adds a minimal view, the framework's floor) and DEBUG off, whatever the environment says."""

import os

from legami.settings import *  # noqa: F403
from legami.settings import DATABASES, LOGGING

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
# As the product runs by default (a new connection per request); BENCH_CONN_MAX_AGE=600
# measures persistent connections instead.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "0"))
# A 404 under test is reported in the table, not logged at every request.
LOGGING = {**LOGGING, "loggers": {"django.request": {"level": "ERROR"}}}
