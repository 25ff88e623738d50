"""State every worker shares: the rate limits live in the cache (the database's by default,
Redis with CACHE_URL), so that two gunicorn workers count one bucket between them; the client
address they count by comes from the proxy's header only behind our TLS proxy.

.ci/run runs this module again with CACHE_URL on Redis."""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client, RequestFactory, override_settings

from legami.conftest import make_user
from legami.core import ratelimit
from legami.core.backup import Database
from legami.core.tests import drills
from legami.core.tests.test_security import ROOT

pytestmark = pytest.mark.shared_cache

SELF_REFER = {"self-refer:sent": 5}  # the self-referral form's limit: 5 an hour


def _request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/invii/chiedi-aiuto/", **extra)


# --- the client address -------------------------------------------------------------------------


def test_without_the_proxy_setting_the_forwarded_header_is_ignored(settings):
    settings.BEHIND_TLS_PROXY = False
    # Anyone can send X-Forwarded-For: trusting it here would give each request a new bucket.
    assert ratelimit.client_address(_request(forwarded="198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("forwarded", "proxies", "client"),
    [
        ("198.51.100.23", 1, "198.51.100.23"),
        # The client wrote the left entry itself; our proxy appended the right one.
        ("10.9.9.9, 198.51.100.23", 1, "198.51.100.23"),
        # Two proxies of ours (a load balancer, then nginx): the client is second from right.
        ("10.9.9.9, 198.51.100.23, 192.0.2.10", 2, "198.51.100.23"),
        ("2001:db8::1", 1, "2001:db8::1"),
        # A broken or missing header: the proxy's own address, one bucket for everyone.
        ("", 1, "203.0.113.7"),
        ("not-an-address", 1, "203.0.113.7"),
        ("198.51.100.23", 2, "203.0.113.7"),
    ],
)
def test_behind_the_proxy_the_client_is_the_right_most_untrusted_hop(
    settings, forwarded, proxies, client
):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = proxies
    assert ratelimit.client_address(_request(forwarded=forwarded)) == client


@pytest.mark.django_db
def test_behind_the_proxy_each_visitor_has_a_bucket_of_their_own(settings):
    settings.BEHIND_TLS_PROXY = True
    anna = _request(forwarded="198.51.100.1")
    assert all(ratelimit.take(anna, SELF_REFER) for _ in range(5))
    assert ratelimit.take(anna, SELF_REFER) is None
    # The same proxy brings Bruno: his own five.
    assert ratelimit.take(_request(forwarded="198.51.100.2"), SELF_REFER)
    # Anna cannot escape her bucket by writing another address in front.
    assert ratelimit.take(_request(forwarded="192.0.2.99, 198.51.100.1"), SELF_REFER) is None
    # One IPv6 customer holds a /64: its addresses share one bucket.
    first = _request(forwarded="2001:db8:1:2::10")
    assert all(ratelimit.take(first, SELF_REFER) for _ in range(5))
    assert ratelimit.take(_request(forwarded="2001:db8:1:2::99"), SELF_REFER) is None


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"})
def test_allauths_sign_in_throttle_counts_by_the_same_address(settings):
    settings.BEHIND_TLS_PROXY = True
    user = make_user("citizen")
    anna = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    bruno = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    for n in range(3):
        anna.post("/accounts/login/", {"login": f"x{n}@example.org", "password": "no"})
    throttled = anna.post("/accounts/login/", {"login": user.email, "password": "no"})
    assert "too_many_login_attempts" in _error_codes(throttled)
    answer = bruno.post("/accounts/login/", {"login": user.email, "password": "no"})
    assert "too_many_login_attempts" not in _error_codes(answer)
    # Without the setting both are the proxy's address: Bruno's failures stop Anna too.
    settings.BEHIND_TLS_PROXY = False
    for n in range(3):
        bruno.post("/accounts/login/", {"login": f"y{n}@example.org", "password": "no"})
    answer = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.3").post(
        "/accounts/login/", {"login": user.email, "password": "no"}
    )
    assert "too_many_login_attempts" in _error_codes(answer)


def _error_codes(response) -> set[str]:
    form = response.context["form"]
    return {error.code for errors in form.errors.as_data().values() for error in errors}


# --- one bucket for every process ---------------------------------------------------------------

ATTEMPTS = """
from django.test import RequestFactory
from legami.core import ratelimit
request = RequestFactory().post("/invii/chiedi-aiuto/", REMOTE_ADDR="203.0.113.50")
passed = [bool(ratelimit.take(request, {"self-refer:sent": 5})) for _ in range(5)]
print(sum(passed))
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_worker_processes_share_one_bucket(tmp_path):
    """With a cache per process, two gunicorn workers let 10 self-referrals through where 5
    are allowed. Two separate processes, started together on the same database (and on Redis
    when CACHE_URL says so), try 5 each: 5 pass in all, however they interleave."""
    database = Database.from_settings(connection.settings_dict)
    env = drills.environment(database, tmp_path)
    prelude = "import django\ndjango.setup()\n"
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", prelude + ATTEMPTS],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
    passed = [int(out.strip().splitlines()[-1]) for out, _err in results]
    assert sum(passed) == 5, passed
    # ...and this process, a third worker, finds the bucket empty too.
    assert ratelimit.take(_request(remote="203.0.113.50"), SELF_REFER) is None
    assert django_settings.CACHES["default"]["BACKEND"].endswith(("DatabaseCache", "RedisCache"))
