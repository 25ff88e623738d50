"""Deterministic data at province or region scale, for benchmarks and load tests.

`manage.py generate_data --scale province --seed 1` fills the directory of the province of
Cremona with made-up organisations, places and activities; every row carries
`extra["generated"] = True`. See build.py for what is fixed by the seed and geo.py for the
synthetic coordinates.
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

__all__ = [
    "ANCHOR",
    "MARK",
    "SCALES",
    "Report",
    "Scale",
    "comuni_for",
    "delete_generated",
    "generate",
    "generated_counts",
    "generated_exists",
]
