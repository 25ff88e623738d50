"""How one cell of the activity spreadsheet becomes one value.

Cell readers accept what people type in Italian offices ("sì", "7,50", "15/09/2026",
"lun; gio") as well as real Excel dates and times, and raise `CellError` with a message that
says what to write instead. `columns` re-exports them (`columns.day`, `columns.CellError`...).
"""

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from legami.directory.models import ActivityStatus, Frequency


class _Marks(dict):
    """Code point -> None for the combining marks that text.fold drops, itself otherwise."""

    def __missing__(self, code):
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_MARKS = _Marks()


def fold(value: str) -> str:
    """legami.directory.text.fold (lower case, no accents) computed in C with str.translate
    instead of a Python loop per character: the same result, about ten times faster, which
    matters over 15,000 rows and their search documents."""
    if value.isascii():
        return value.lower()
    return unicodedata.normalize("NFKD", value).translate(_MARKS).lower()


def fold_name(value: str) -> str:
    """A name as compared: folded, one space between words, one kind of apostrophe."""
    return " ".join(fold(value).replace("’", "'").split())


# --- cell readers ---------------------------------------------------------------------------
class CellError(ValueError):
    """A cell that cannot be read; the message says what to write."""


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def items(value) -> list[str]:
    """Several values separated by ";" or new lines."""
    return [part.strip() for part in re.split(r"[;\n]", text(value)) if part.strip()]


YES = frozenset({"si", "s", "yes", "y", "true", "vero", "1", "x"})
NO = frozenset({"no", "n", "false", "falso", "0"})


def boolean(value, default: bool) -> bool:
    if is_empty(value):
        return default
    if isinstance(value, bool):
        return value
    word = fold(text(value)).strip(" .")
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(_("Write “sì” or “no”, not “%(value)s”.") % {"value": text(value)})


_INTEGER = re.compile(r"^[+-]?\d+(?:[.,]0+)?$")


def integer(value) -> int | None:
    if is_empty(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    word = text(value).replace(" ", "")
    if not isinstance(value, float | bool) and _INTEGER.match(word):
        return int(re.split(r"[.,]", word)[0])
    raise CellError(_("“%(value)s” is not a whole number.") % {"value": text(value)})


def number(value) -> float | None:
    if is_empty(value):
        return None
    result = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip().replace(",", "."))
        except ValueError:
            result = None
    if result is None or not math.isfinite(result):
        raise CellError(_("“%(value)s” is not a number, e.g. 42.8713.") % {"value": text(value)})
    return result


MAX_AMOUNT = Decimal("999999.99")


def money(value) -> Decimal | None:
    if is_empty(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        word = repr(value)
    else:
        word = re.sub(r"(?i)\s|€|eur(o)?", "", text(value))
        if "," in word:  # Italian format: 1.234,50
            word = word.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(word)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount > MAX_AMOUNT:
        raise CellError(
            _("“%(value)s” is not an amount in euro, e.g. 5 or 7,50.") % {"value": text(value)}
        )
    return amount.quantize(Decimal("0.01"))


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?$")


def time_of_day(value) -> time | None:
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, timedelta) and timedelta(0) <= value < timedelta(days=1):
        return (datetime.min + value).time().replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time without a time format
        minutes = round(value * 24 * 60)
        if minutes < 24 * 60:
            return time(minutes // 60, minutes % 60)
    match = _TIME.match(text(value))
    if match:
        hours, minutes = int(match[1]), int(match[2] or 0)
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise CellError(
        _("“%(value)s” is not a time: write hours and minutes, e.g. 09:30.")
        % {"value": text(value)}
    )


# Excel day numbers from 1954 to 2119: a bare number in a date column outside them is a mistake.
EXCEL_SERIALS = (20000, 80000)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")


def day(value) -> date | None:
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if EXCEL_SERIALS[0] <= value <= EXCEL_SERIALS[1]:  # an Excel date without a format
            found = from_excel(value).date()
    else:
        word = text(value)
        try:
            if match := _DMY.match(word):
                year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
                found = date(year, int(match[2]), int(match[1]))
            elif match := _ISO.match(word):
                found = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            found = None
    if found is None:
        raise CellError(
            _("“%(value)s” is not a date: write dd/mm/yyyy, e.g. 15/09/2026.")
            % {"value": text(value)}
        )
    return found


FREQUENCIES = {
    "settimanale": Frequency.WEEKLY,
    "settimana": Frequency.WEEKLY,
    "ogni settimana": Frequency.WEEKLY,
    "weekly": Frequency.WEEKLY,
    "week": Frequency.WEEKLY,
    "mensile": Frequency.MONTHLY,
    "mese": Frequency.MONTHLY,
    "ogni mese": Frequency.MONTHLY,
    "monthly": Frequency.MONTHLY,
    "month": Frequency.MONTHLY,
}


def frequency(value) -> str | None:
    if is_empty(value):
        return None
    word = " ".join(fold(text(value)).split())
    if word in FREQUENCIES:
        return FREQUENCIES[word]
    raise CellError(
        _("“%(value)s” is not a frequency: write settimanale or mensile.") % {"value": text(value)}
    )


DAY_WORDS = {}
for _code, _words in {
    "MO": ("mo", "mon", "monday", "lu", "lun", "lunedi"),
    "TU": ("tu", "tue", "tuesday", "ma", "mar", "martedi"),
    "WE": ("we", "wed", "wednesday", "me", "mer", "mercoledi"),
    "TH": ("th", "thu", "thursday", "gi", "gio", "giovedi"),
    "FR": ("fr", "fri", "friday", "ve", "ven", "venerdi"),
    "SA": ("sa", "sat", "saturday", "sab", "sabato"),
    "SU": ("su", "sun", "sunday", "do", "dom", "domenica"),
}.items():
    DAY_WORDS.update(dict.fromkeys(_words, _code))
_DAY = re.compile(r"^([+-]?\d+)?\s*([a-z]+)\.?$")


def days(value) -> str:
    """Days as the schedule stores them: "lun; 1sab, -1 ven" -> "MO,1SA,-1FR"."""
    codes = []
    for part in re.split(r"[,;/]+", fold(text(value))):
        part = part.strip()
        if not part:
            continue
        match = _DAY.match(part)
        tokens = [match] if match else [_DAY.match(p) for p in part.split()]
        for token in tokens:
            if token is None or token[2] not in DAY_WORDS:
                raise CellError(
                    _(
                        "“%(value)s” is not a day: write lun, mar, mer, gio, ven, sab, dom "
                        "(monthly: the week first, e.g. 1sab or -1ven)."
                    )
                    % {"value": part}
                )
            codes.append((token[1] or "") + DAY_WORDS[token[2]])
    return ",".join(dict.fromkeys(codes))


STATUSES = {
    "bozza": ActivityStatus.DRAFT,
    "draft": ActivityStatus.DRAFT,
    "pubblicata": ActivityStatus.PUBLISHED,
    "pubblicato": ActivityStatus.PUBLISHED,
    "pubblica": ActivityStatus.PUBLISHED,
    "published": ActivityStatus.PUBLISHED,
}


def status(value) -> str:
    if is_empty(value):
        return ActivityStatus.DRAFT
    word = fold(text(value))
    if word in STATUSES:
        return STATUSES[word]
    raise CellError(
        _("“%(value)s” is not a status: write bozza or pubblicata.") % {"value": text(value)}
    )
