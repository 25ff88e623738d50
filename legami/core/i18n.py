"""Labels stored in Italian with optional translations in `<field>_<language>` columns."""

from django.utils import translation


def localised(obj, field: str) -> str:
    """The label in the active language, falling back to Italian, the complete one."""
    language = (translation.get_language() or "it")[:2]
    if language != "it":
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)
