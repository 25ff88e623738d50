"""A comune's remoteness in words, for the pages that explain a distance: its SNAI class
(Mappa Aree Interne 2020, the classes of `models.InnerAreaClass`) and the travel time to the
nearest pole of services, e.g. "Arcidosso: peripheral comune, 49 minutes from the pole"."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Comune, InnerAreaClass

# The class as it reads in a sentence, beside the labels of the choices (which lead with the
# letter, for lists and filters).
KIND = {
    InnerAreaClass.A: gettext_lazy("pole comune"),
    InnerAreaClass.B: gettext_lazy("intermunicipal pole comune"),
    InnerAreaClass.C: gettext_lazy("belt comune"),
    InnerAreaClass.D: gettext_lazy("intermediate comune"),
    InnerAreaClass.E: gettext_lazy("peripheral comune"),
    InnerAreaClass.F: gettext_lazy("ultra-peripheral comune"),
}
# The poles (A, B) are where the services are: their time to a pole says nothing.
POLES = {InnerAreaClass.A, InnerAreaClass.B}
# Most remote first: the order a planner reads comuni in when deciding where to act.
REMOTENESS = {code: rank for rank, code in enumerate("FEDCBA")}


def minutes(comune: Comune) -> int | None:
    if comune.minutes_to_pole is None:
        return None
    return int(round(comune.minutes_to_pole))


def remoteness(comune: Comune) -> str:
    """The class and the minutes to the pole in words, without the comune's name; "" when
    neither is known."""
    kind = KIND.get(comune.inner_area_class)
    mins = minutes(comune)
    if comune.inner_area_class in POLES:
        mins = None
    if mins is not None:
        travel = _("%(minutes)s minutes from the pole") % {"minutes": formats.number_format(mins)}
        return f"{kind}, {travel}" if kind else travel
    return str(kind) if kind else ""


def described(comune: Comune) -> str:
    """ "Arcidosso: peripheral comune, 49 minutes from the pole", or the bare name."""
    words = remoteness(comune)
    if not words:
        return comune.name
    return _("%(comune)s: %(remoteness)s") % {"comune": comune.name, "remoteness": words}


def remoteness_rank(comune: Comune) -> tuple[int, float]:
    """A sort key, most remote first: the class (F first, unclassified last), then the
    longest travel time."""
    return (
        REMOTENESS.get(comune.inner_area_class, len(REMOTENESS)),
        -float(comune.minutes_to_pole or 0),
    )
