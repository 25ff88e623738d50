"""Italian is complete and French available: every message of the catalogues is translated,
none is left fuzzy (a guess that Django would not show)."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def entries(po: Path):
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        yield lines


def untranslated(lines) -> bool:
    text = "\n".join(lines)
    if re.search(r'^msgid ""\nmsgstr ""\n"', text, re.M) and "msgctxt" not in text:
        return False  # the header
    for match in re.finditer(r'^msgstr(?:\[\d\])? ""\n?((?:".*"\n?)*)', text, re.M):
        if not match.group(1).strip().strip('"'):
            return True
    return False


@pytest.mark.parametrize("language", ["it", "fr"])
def test_catalogue_is_complete(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    fuzzy = [e[-2:] for e in entries(po) if any(ln.startswith("#,") and "fuzzy" in ln for ln in e)]
    empty = [e[-2:] for e in entries(po) if untranslated(e)]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:5]}"
    assert not empty, f"untranslated entries: {empty[:5]}"


def test_the_check_finds_an_empty_or_fuzzy_entry(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: it\\n"\n\n'
        'msgid "Done"\nmsgstr "Fatto"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Indovino"\n',
        encoding="utf-8",
    )
    found = list(entries(po))
    assert [untranslated(e) for e in found] == [False, False, True, False]
    assert any("fuzzy" in line for line in found[3])
