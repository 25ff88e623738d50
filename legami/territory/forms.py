from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Comune, District
from .queries import resolve_comune


def _resolve_one(text: str) -> Comune:
    matches = resolve_comune(text)
    if not matches:
        raise forms.ValidationError(
            _("No comune is called or has the ISTAT code “%(text)s”."), params={"text": text}
        )
    if len(matches) > 1:
        raise forms.ValidationError(
            _("More than one comune is called “%(text)s”: add the province, e.g. %(example)s."),
            params={"text": text, "example": str(matches[0])},
        )
    return matches[0]


class ComuneField(forms.CharField):
    """A comune typed as a person knows it: "Arcidosso", "Arcidosso (GR)" or "053001"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 160)
        kwargs.setdefault(
            "help_text", _("Name, name with province (e.g. Arcidosso (GR)) or ISTAT code.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Comune):
            return str(value)
        if isinstance(value, int):
            comune = Comune.objects.filter(pk=value).select_related("province").first()
            return str(comune) if comune else ""
        return value

    def clean(self, value):
        text = super().clean(value)
        return _resolve_one(text) if text else None


class ComuniField(forms.CharField):
    """Several comuni, one per line."""

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("One comune per line: name, name with province or ISTAT code.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            return "\n".join(
                str(c) if isinstance(c, Comune) else str(Comune.objects.get(pk=c)) for c in items
            )
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        comuni, errors = [], []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                comune = _resolve_one(line)
            except forms.ValidationError as error:
                errors.extend(error.messages)
                continue
            if comune not in comuni:
                comuni.append(comune)
        if errors:
            raise forms.ValidationError(errors)
        return comuni


class DistrictForm(forms.ModelForm):
    comuni = ComuniField(label=_("Comuni"))

    class Meta:
        model = District
        fields = ["name", "kind", "description"]


class ComuneSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or ISTAT code"), required=False, max_length=100)
