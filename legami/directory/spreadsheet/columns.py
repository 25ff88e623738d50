"""The columns of the activity spreadsheet and how a header names one.

Headers are Italian, as written in the template; English aliases are accepted too, and a
header matches whatever its case, accents, spaces or punctuation ("Età minima", "eta minima",
"min age"). How one cell becomes one value is in `parsers`, whose readers are re-exported here.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

# Re-exported: callers and tests read cells as `columns.day`, `columns.CellError`...
from .parsers import (  # noqa: F401
    DAY_WORDS,
    EXCEL_SERIALS,
    FREQUENCIES,
    MAX_AMOUNT,
    NO,
    STATUSES,
    YES,
    CellError,
    boolean,
    day,
    days,
    fold,
    frequency,
    integer,
    is_empty,
    items,
    money,
    number,
    status,
    text,
    time_of_day,
)

# The sheet that holds the rows, in the template and in the files people send back.
SHEET_NAME = "Attività"
SHEET_ALIASES = ("attivita", "activities", "activity")
INSTRUCTIONS_SHEET = "Istruzioni"


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


def header_key(value) -> str:
    """A header reduced to letters and digits: "Età minima *" -> "etaminima"."""
    return re.sub(r"[^a-z0-9]", "", fold(str(value or "")).replace("€", ""))


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
