"""Words for search: lower case, no accents, Italian stems, so that "passeggiate" finds
"passeggiata" on SQLite too (PostgreSQL uses its own Italian dictionary)."""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("italian")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1]


def stems(text: str) -> str:
    """A space-delimited string of stems, with spaces at both ends so that a query can match
    the start of a stem with a plain substring test (" stem")."""
    return " " + " ".join(dict.fromkeys(stem(w) for w in words(text))) + " "


def query_stems(text: str) -> list[str]:
    return list(dict.fromkeys(stem(w) for w in words(text)))
