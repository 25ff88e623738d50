"""The columns of the activity spreadsheet and how one cell becomes one value.

Headers are Italian, as written in the template; English aliases are accepted too, and a
header matches whatever its case, accents, spaces or punctuation ("Età minima", "eta minima",
"min age"). Cell readers accept what people type in Italian offices ("sì", "7,50", "15/09/2026",
"lun; gio") as well as real Excel dates and times, and raise `CellError` with a message that
says what to write instead.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from legami.directory.models import ActivityStatus, Frequency

# The sheet that holds the rows, in the template and in the files people send back.
SHEET_NAME = "Attività"
SHEET_ALIASES = ("attivita", "activities", "activity")
INSTRUCTIONS_SHEET = "Istruzioni"


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


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Italian, as written in the template
    aliases: tuple[str, ...]
    help: str
    example: str
    required: bool = False


COLUMNS = (
    Column(
        "organisation",
        "Organizzazione",
        ("organisation", "organization", "ente", "organizzazione"),
        gettext_lazy(
            "Name or codice fiscale of an organisation already in the network of actors. "
            "A provider with one organisation may leave it empty."
        ),
        "Associazione Esempio APS",
        True,
    ),
    Column(
        "name",
        "Nome attività",
        ("name", "activity name", "activity", "nome", "attivita"),
        gettext_lazy("The name people will search for, up to 200 characters."),
        "Gruppo di cammino del martedì",
        True,
    ),
    Column(
        "description",
        "Descrizione",
        ("description",),
        gettext_lazy("What happens, for whom, what to bring."),
        "Passeggiata di un'ora a passo tranquillo, adatta a tutte le età.",
        True,
    ),
    Column(
        "domains",
        "Ambiti",
        ("domains", "domain", "ambito"),
        gettext_lazy("Codes or names of activity domains, separated by “;” (list below)."),
        "sport; camminate-natura",
    ),
    Column(
        "needs",
        "Bisogni",
        ("needs", "need", "bisogno"),
        gettext_lazy("Codes or names of the needs addressed, separated by “;” (list below)."),
        "solitudine; inattivita",
    ),
    Column(
        "target_groups",
        "Destinatari",
        ("target groups", "target group", "audience", "destinatario"),
        gettext_lazy("Codes or names of the target groups, separated by “;” (list below)."),
        "adulti; anziani",
    ),
    Column(
        "comune",
        "Comune",
        ("municipality", "comune", "town", "city"),
        gettext_lazy(
            "Where the activity takes place: name, name with province (e.g. Arcidosso (GR)) "
            "or ISTAT code. Leave Comune and Place empty for an activity held online or at home."
        ),
        "Arcidosso (GR)",
    ),
    Column(
        "place_name",
        "Luogo",
        ("place", "place name", "location", "nome luogo", "sede"),
        gettext_lazy(
            "Name of the place. An existing place of the organisation with the same name in the "
            "same comune is reused."
        ),
        "Piazza Indipendenza",
    ),
    Column(
        "address",
        "Indirizzo",
        ("address", "via"),
        gettext_lazy("Street and number."),
        "Piazza Indipendenza 1",
    ),
    Column(
        "postcode",
        "CAP",
        ("postcode", "postal code", "zip", "zip code", "cap"),
        gettext_lazy("Five digits."),
        "58031",
    ),
    Column(
        "latitude",
        "Latitudine",
        ("latitude", "lat"),
        gettext_lazy("Decimal degrees, e.g. 42.8713. Give both coordinates or neither."),
        "42.8713",
    ),
    Column(
        "longitude",
        "Longitudine",
        ("longitude", "lon", "lng", "long"),
        gettext_lazy("Decimal degrees, e.g. 11.5410."),
        "11.5410",
    ),
    Column(
        "wheelchair_access",
        "Accessibile in carrozzina",
        ("wheelchair", "wheelchair access", "accessibile", "carrozzina"),
        gettext_lazy("sì or no: step-free access for wheelchairs."),
        "sì",
    ),
    Column(
        "hearing_access",
        "Supporto per l'udito",
        ("hearing", "hearing access", "hearing support", "udito"),
        gettext_lazy("sì or no: induction loop, LIS interpreter."),
        "no",
    ),
    Column(
        "sight_access",
        "Supporto per la vista",
        ("sight", "sight access", "sight support", "vista"),
        gettext_lazy("sì or no: support for blind or partially sighted people."),
        "no",
    ),
    Column(
        "freq",
        "Frequenza",
        ("frequency", "freq"),
        gettext_lazy("settimanale or mensile. Leave the schedule columns empty if there is none."),
        "settimanale",
    ),
    Column(
        "byday",
        "Giorni",
        ("days", "byday", "day", "giorno"),
        gettext_lazy(
            "lun, mar, mer, gio, ven, sab, dom (or MO, TU, WE, TH, FR, SA, SU), separated by "
            "commas. Monthly: the week first, e.g. 1sab (first Saturday) or -1ven (last Friday)."
        ),
        "mar, gio",
    ),
    Column(
        "opens_at",
        "Ora inizio",
        ("start time", "starts at", "opens at", "start", "inizio", "dalle"),
        gettext_lazy("HH:MM, e.g. 09:30. Required when there is a schedule."),
        "09:30",
    ),
    Column(
        "closes_at",
        "Ora fine",
        ("end time", "ends at", "closes at", "end", "fine", "alle"),
        gettext_lazy("HH:MM, after the start time."),
        "10:30",
    ),
    Column(
        "valid_from",
        "Valida dal",
        ("valid from", "start date", "from", "dal", "dalla data"),
        gettext_lazy("First date, dd/mm/yyyy. Empty: from the day of the import."),
        "01/10/2026",
    ),
    Column(
        "valid_to",
        "Valida fino al",
        ("valid to", "valid until", "end date", "until", "al", "fino al"),
        gettext_lazy("Last date, dd/mm/yyyy. Empty: no end."),
        "31/05/2027",
    ),
    Column(
        "min_age",
        "Età minima",
        ("min age", "minimum age", "eta min"),
        gettext_lazy("Whole number of years, empty if none."),
        "",
    ),
    Column(
        "max_age",
        "Età massima",
        ("max age", "maximum age", "eta max"),
        gettext_lazy("Whole number of years, empty if none."),
        "",
    ),
    Column(
        "languages",
        "Lingue",
        ("languages", "language", "lingua"),
        gettext_lazy("ISO codes separated by commas, e.g. it, en. Empty: it."),
        "it",
    ),
    Column(
        "cost",
        "Costo (€)",
        ("cost", "cost eur", "cost euro", "price", "costo", "prezzo", "quota"),
        gettext_lazy("Amount in euro, e.g. 5 or 7,50. 0 or empty: free of charge."),
        "0",
    ),
    Column(
        "capacity",
        "Posti disponibili",
        ("capacity", "places available", "posti", "places"),
        gettext_lazy("Whole number; empty means no limit."),
        "25",
    ),
    Column(
        "accepts_referrals",
        "Accetta invii",
        ("accepts referrals", "referrals", "invii", "prescrizione sociale"),
        gettext_lazy("sì or no: takes people referred through social prescribing. Empty: sì."),
        "sì",
    ),
    Column(
        "referral_slots",
        "Invii contemporanei",
        ("referrals at a time", "referral slots", "posti per invii"),
        gettext_lazy("How many referred people at a time; empty means no limit."),
        "5",
    ),
    Column(
        "how_to_join",
        "Come partecipare",
        ("how to join", "come aderire", "iscrizione"),
        gettext_lazy("Booking, what to bring, whom to ask."),
        "Presentarsi alla partenza dieci minuti prima.",
    ),
    Column(
        "contact_name",
        "Referente",
        ("contact name", "contact person", "contact", "contatto"),
        gettext_lazy("Name of the contact person."),
        "Maria Rossi",
    ),
    Column(
        "email",
        "E-mail",
        ("email", "e mail", "mail", "posta elettronica"),
        gettext_lazy("Contact e-mail address."),
        "info@esempio.it",
    ),
    Column(
        "phone",
        "Telefono",
        ("phone", "telephone", "tel", "cellulare"),
        gettext_lazy("Contact phone number; format the column as text."),
        "0564 000000",
    ),
    Column(
        "url",
        "Pagina web",
        ("web page", "url", "website", "web", "sito", "sito web"),
        gettext_lazy("Address of the activity's page, e.g. https://www.esempio.it."),
        "https://www.esempio.it",
    ),
    Column(
        "status",
        "Stato",
        ("status", "stato"),
        gettext_lazy("bozza (draft) or pubblicata (published). Empty: bozza."),
        "bozza",
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
# Columns a file must have, whatever else it leaves out.
REQUIRED_HEADERS = ("name", "description")


def header_key(text) -> str:
    """A header reduced to letters and digits: "Età minima *" -> "etaminima"."""
    return re.sub(r"[^a-z0-9]", "", fold(str(text or "")).replace("€", ""))


def _header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        for name in (column.header, column.key, *column.aliases):
            key = header_key(name)
            if index.setdefault(key, column.key) != column.key:
                raise ValueError(f"header {name!r} names two columns")
    return index


HEADERS = _header_index()


def column_for(header) -> str | None:
    return HEADERS.get(header_key(header))


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
