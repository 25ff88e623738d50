"""The referral world of the referrals tests: its person has consents care, contact, outcomes."""

from legami.referrals.tests.conftest import _english, care  # noqa: F401
