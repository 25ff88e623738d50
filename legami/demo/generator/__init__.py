"""Deterministic data at province or region scale, for benchmarks and load tests.

`manage.py generate_data --scale province --seed 1` fills the directory of the province of
Cremona with made-up organisations, places and activities; every row carries
`extra["generated"] = True`. See build.py for what is fixed by the seed and geo.py for the
synthetic coordinates. referrals.py adds made-up people and their referrals on top of it.
"""

from .build import (
    ANCHOR,
    MARK,
    SCALES,
    Report,
    Scale,
    comuni_for,
    delete_generated,
    generate,
    generated_counts,
    generated_exists,
)
from .outcomes import delete_generated_responses, generate_responses, responses_exist
from .referrals import (
    BENCH_LINK_WORKER,
    BENCH_PRESCRIBER,
    BENCH_PROVIDER,
    REFERRAL_SCALES,
    delete_generated_referrals,
    generate_referrals,
    referral_counts,
    referrals_exist,
)

__all__ = [
    "ANCHOR",
    "BENCH_LINK_WORKER",
    "BENCH_PRESCRIBER",
    "BENCH_PROVIDER",
    "REFERRAL_SCALES",
    "MARK",
    "SCALES",
    "Report",
    "Scale",
    "comuni_for",
    "delete_generated",
    "delete_generated_referrals",
    "delete_generated_responses",
    "generate",
    "generate_referrals",
    "generate_responses",
    "generated_counts",
    "generated_exists",
    "referral_counts",
    "referrals_exist",
    "responses_exist",
]
