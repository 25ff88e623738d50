"""One small-cell threshold and one set of generalisations for every figure and extract."""

import re
from datetime import date
from pathlib import Path

import pytest

from legami.core import privacy
from legami.core.privacy import SMALL_CELL, age_band, k_anonymous

ROOT = Path(__file__).resolve().parents[2]
# The threshold written as a number instead of read from core.privacy.
LITERAL = re.compile(
    r"(fewer|less) than 5\b|under 5 people|below 5\b|&lt; 5\b|minimum: int = 5\b"
    r"|MINIMUM = 5\b|SMALLEST_SHOWN = 5\b",
    re.IGNORECASE,
)


def test_no_module_writes_the_small_cell_threshold_as_a_number():
    offenders = []
    for path in [*ROOT.glob("*/**/*.py"), *ROOT.glob("*/templates/**/*.html")]:
        if "tests" in path.parts or "migrations" in path.parts or "locale" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LITERAL.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_templates_read_the_threshold(client, db):
    # Every page's context carries the constant (the dashboard's lead text says it).
    response = client.get("/")
    assert response.context["small_cell"] == SMALL_CELL


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2008, 6, 2), "0–17"),  # 18 tomorrow
        (date(2008, 6, 1), "18–34"),  # 18 today
        (date(1991, 6, 2), "18–34"),
        (date(1991, 6, 1), "35–64"),
        (date(1961, 6, 1), "65–79"),
        (date(1946, 6, 2), "65–79"),
        (date(1946, 6, 1), "80+"),
        (None, privacy.NOT_RECORDED),
    ],
)
def test_age_bands_in_python_and_in_the_database_agree(db, born, band):
    from django.db.models import DateField, Value

    from legami.accounts.models import User

    today = date(2026, 6, 1)
    assert age_band(born, today) == band
    user = User.objects.create_user("band@test.legami.example", "x")
    in_database = (
        User.objects.filter(pk=user.pk)
        .annotate(born=Value(born, output_field=DateField()))
        .annotate(band=privacy.age_band_expression("born", today))
        .values_list("band", flat=True)
        .get()
    )
    assert in_database == band


def test_k_anonymous_keeps_combinations_of_at_least_k_people():
    people = [(n, "65–79", "053") for n in range(5)] + [(9, "18–34", "053"), (9, "65–79", "053")]
    kept, shown = k_anonymous(people, k=5)
    assert kept == {("65–79", "053")}
    # Person 9 is shown through the combination they share with the others, not the rare one.
    assert shown == {0, 1, 2, 3, 4, 9}
    assert k_anonymous([], k=5) == (set(), set())
