"""publiccode.yml keeps to the lengths the standard sets (Developers Italia, publiccode.yml
0.4: genericName at most 35 characters, shortDescription at most 150, longDescription 150 to
10,000, each feature at most 100), so the catalogue accepts it."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def test_publiccode_descriptions_fit_the_standard():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert set(data["description"]) == {"it", "en"}
    for language, text in data["description"].items():
        assert len(text["genericName"]) <= 35, language
        assert len(text["shortDescription"]) <= 150, language
        assert 150 <= len(text["longDescription"]) <= 10000, language
        assert all(len(feature) <= 100 for feature in text["features"]), language
