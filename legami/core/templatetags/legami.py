from django import forms, template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_multi_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.simple_tag
def bootstrap_widget(field):
    """Render a field's widget with Bootstrap Italia classes and the ARIA links to its help
    text and errors, so screen readers announce them."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = ""
    else:
        css = "form-control"
    attrs = {}
    if css:
        attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-help")
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["class"] = attrs.get("class", "") + " is-invalid"
        described.append(f"{field.id_for_label}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required and not isinstance(widget, forms.CheckboxSelectMultiple):
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def when(value):
    """A moment of an export (ISO text, date or datetime) as the reader writes it: local time,
    the active language's date ("6 dicembre 2026, 10:30"). Anything else is left as it is."""
    from datetime import date, datetime

    from django.utils import timezone
    from django.utils.formats import date_format

    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return value


@register.filter
def cell(value):
    """Any value of an export, printed for a person: yes/no, a dash for nothing, dates in
    words, lists and mappings on one line."""
    from django.utils.translation import gettext

    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict):
        return "; ".join(f"{key}: {cell(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(cell(item)) for item in value)
    return when(value)


@register.filter
def role_words(role: str) -> str:
    from legami.core.audit_words import role_label

    return role_label(role)


@register.filter
def action_words(action: str) -> str:
    from legami.core.audit_words import action_label

    return action_label(action)


@register.filter
def purpose_words(purpose: str) -> str:
    from legami.core.audit_words import purpose_label

    return purpose_label(purpose)
