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
