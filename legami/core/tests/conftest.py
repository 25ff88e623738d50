"""The referral world, for the tests here that cross every module (erasure, the log's rewrite)."""

from legami.referrals.tests.conftest import care  # noqa: F401 - a fixture
