"""The rules a listing's fields obey, shared by pages, API, admin and imports: each raises a
ValidationError naming the field."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import recurrence
from ..models import Frequency, Schedule

# Italy's bounding box, islands included (Lampedusa to the Brenner, Sardinia to Otranto).
ITALY_LATITUDE = (35.4, 47.1)
ITALY_LONGITUDE = (6.6, 18.6)
LANGUAGE_CODES = frozenset(
    [
        "it",
        "en",
        "fr",
        "de",
        "es",
        "pt",
        "ro",
        "sq",
        "ar",
        "zh",
        "uk",
        "ru",
        "pl",
        "bn",
        "ur",
        "hi",
        "pa",
        "tl",
        "wo",
        "ff",
        "sw",
        "am",
        "ti",
        "so",
        "fa",
        "tr",
        "sl",
        "hr",
        "sr",
        "el",
        "nl",
        "sv",
        "lis",
    ]
)

PLACE_FIELDS = (
    "name",
    "description",
    "address",
    "postcode",
    "comune",
    "latitude",
    "longitude",
    "wheelchair_access",
    "hearing_access",
    "sight_access",
    "accessibility_notes",
    "transport_notes",
)
ACTIVITY_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "place",
    "min_age",
    "max_age",
    "languages",
    "cost_description",
    "capacity",
    "accepts_referrals",
    "referral_slots",
    "how_to_join",
    "contact_name",
    "email",
    "phone",
    "url",
)
SCHEDULE_FIELDS = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "description",
)


def check_coordinates(latitude, longitude) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
    if latitude is None:
        return
    errors = {}
    if not ITALY_LATITUDE[0] <= latitude <= ITALY_LATITUDE[1]:
        errors["latitude"] = _("Latitude %(value)s is outside Italy (between 35.4 and 47.1).") % {
            "value": latitude
        }
    if not ITALY_LONGITUDE[0] <= longitude <= ITALY_LONGITUDE[1]:
        errors["longitude"] = _("Longitude %(value)s is outside Italy (between 6.6 and 18.6).") % {
            "value": longitude
        }
    if errors:
        raise ValidationError(errors)


def normalise_languages(value) -> str:
    if isinstance(value, list | tuple):
        value = ",".join(value)
    codes = [c.strip().lower() for c in (value or "").replace(";", ",").split(",") if c.strip()]
    unknown = [c for c in codes if c not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            {
                "languages": _("Unknown language code: %(codes)s. Use codes such as it, en, fr.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return ",".join(dict.fromkeys(codes)) or "it"


def check_activity(data: dict) -> None:
    errors = {}
    if data.get("capacity") is not None and data["capacity"] < 0:
        errors["capacity"] = _("Places available cannot be below zero.")
    if data.get("referral_slots") is not None and data["referral_slots"] < 0:
        errors["referral_slots"] = _("Referrals at a time cannot be below zero.")
    for field in ("min_age", "max_age"):
        if data.get(field) is not None and not 0 <= data[field] <= 120:
            errors[field] = _("An age is between 0 and 120.")
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None and low > high:
        errors["max_age"] = _("The maximum age is below the minimum age.")
    if errors:
        raise ValidationError(errors)


def check_activity_place(organisation, place) -> None:
    """An activity happens at one of its own organisation's places."""
    if place is not None and organisation is not None and place.organisation_id != organisation.pk:
        raise ValidationError({"place": _("Choose one of the organisation's own places.")})


def check_schedule(data: dict) -> None:
    """A rule must be readable and must occur at least once; the messages name the field."""
    errors = {}
    monthly = data.get("freq") == Frequency.MONTHLY
    try:
        recurrence.parse_byday(data.get("byday", ""), monthly=monthly)
    except recurrence.RuleError as error:
        errors["byday"] = _(
            "“%(value)s” is not a day: use MO, TU, WE, TH, FR, SA, SU (monthly: 1SA, -1FR)."
        ) % {"value": error}
    try:
        recurrence.parse_monthdays(data.get("bymonthday", ""))
    except recurrence.RuleError as error:
        errors["bymonthday"] = _("“%(value)s” is not a day of the month (1 to 31).") % {
            "value": error
        }
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        errors["closes_at"] = _("The session ends before it starts.")
    if data.get("valid_to") and data.get("valid_from") and data["valid_to"] < data["valid_from"]:
        errors["valid_to"] = _("The end date comes before the start date.")
    if (data.get("interval") or 1) < 1:
        errors["interval"] = _("The interval is at least 1.")
    if errors:
        raise ValidationError(errors)
    probe = Schedule(**{k: data.get(k) for k in SCHEDULE_FIELDS if k in data})
    probe.interval = probe.interval or 1
    if not recurrence.ever_occurs(probe):
        raise ValidationError(
            {"byday": _("This rule never occurs in its period of validity: check days and dates.")}
        )
