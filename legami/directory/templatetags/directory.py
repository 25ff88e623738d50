from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..forms import LANGUAGE_CHOICES, WEEKDAY_CHOICES

register = template.Library()


@register.filter
def weekdays(byday: str) -> str:
    """ "TU,1SA,-1FR" read aloud: "Tuesday, first Saturday, last Friday"."""
    names = dict(WEEKDAY_CHOICES)
    positions = {
        "1": _("first"),
        "2": _("second"),
        "3": _("third"),
        "4": _("fourth"),
        "5": _("fifth"),
        "-1": _("last"),
    }
    parts = []
    for code in filter(None, (byday or "").split(",")):
        day = str(names.get(code[-2:], code))
        position = code[:-2].lstrip("+")
        if code[-2:] == "SU" and position in positions:
            # Whole phrases: in Italian "domenica" is feminine ("prima domenica").
            parts.append(_sundays()[position])
        else:
            parts.append(f"{positions[position]} {day}" if position in positions else day)
    return ", ".join(parts)


def _sundays() -> dict[str, str]:
    return {
        "1": _("first Sunday"),
        "2": _("second Sunday"),
        "3": _("third Sunday"),
        "4": _("fourth Sunday"),
        "5": _("fifth Sunday"),
        "-1": _("last Sunday"),
    }


@register.simple_tag
def checkbox_group(field):
    """The boxes of a multiple-choice filter, written directly: the search form has some fifty
    of them, and rendering each through Django's widget templates was a third of the page's
    time."""
    chosen = {str(v) for v in (field.value() or [])}
    rows = (
        (
            f"{field.auto_id}_{i}",
            field.html_name,
            value,
            " checked" if str(value) in chosen else "",
            f"{field.auto_id}_{i}",
            label,
        )
        for i, (value, label) in enumerate(field.field.choices)
    )
    return format_html_join(
        "",
        '<div class="form-check my-1"><input type="checkbox" id="{}" name="{}" value="{}"{}>'
        '<label for="{}">{}</label></div>',
        rows,
    ) or format_html("")


@register.filter
def language_names(codes) -> str:
    """["it", "en"] written out: "italiano, inglese" in Italian, "Italian, English" in English.
    Italian and French write language names in lower case in a sentence; the catalogue gives
    them capitalised because they also head the options of the search form."""
    names = dict(LANGUAGE_CHOICES)
    written = [str(names[code]) if code in names else code.upper() for code in codes or ()]
    if not (get_language() or "").startswith("en"):
        written = [name[:1].lower() + name[1:] for name in written]
    return ", ".join(written)
