from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legami.core.widgets import DateInput

from .. import questions
from ..models import Instrument, ItemKind, Purpose, Timepoint
from ..models.evidence import Code, Evidence
from ..models.sroi import SroiAnalysis, SroiOutcome
from ..services.sroi import ANALYSIS_FIELDS, OUTCOME_FIELDS


def item_field_name(number: int) -> str:
    return f"item_{number}"


def _answer_text(item, value: int) -> str:
    label = item.answer_label(value)
    return f"{value} · {label}" if label else str(value)


def answer_field(item) -> forms.Field:
    """The form field of one question, by its kind; every question may be left unanswered."""
    label = item.localised_text or _("Item %(number)s") % {"number": item.number}
    invalid = {
        "invalid_choice": _("Item %(number)s: choose one of the answers shown.")
        % {"number": item.number},
        "invalid": _("Item %(number)s: write a whole number.") % {"number": item.number},
    }
    common = {"label": label, "required": False, "error_messages": invalid}
    if item.kind == ItemKind.NUMERIC:
        return forms.IntegerField(
            min_value=item.scale_min,
            max_value=item.scale_max,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            **common,
        )
    if item.kind == ItemKind.TEXT:
        return forms.CharField(
            max_length=questions.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if item.kind == ItemKind.MULTIPLE:
        return forms.TypedMultipleChoiceField(
            choices=[(v, item.option_label(v)) for v in questions.option_values(item)],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if item.kind == ItemKind.SINGLE:
        choices = [(v, item.option_label(v)) for v in questions.option_values(item)]
    else:
        choices = [(v, _answer_text(item, v)) for v in range(item.scale_min, item.scale_max + 1)]
    return forms.TypedChoiceField(
        choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect, **common
    )


class AnswersForm(forms.Form):
    """One field per question of a questionnaire, in its sections; every question may be left
    unanswered (the response is then incomplete, as the questionnaire's rule says)."""

    def __init__(self, *args, instrument: Instrument, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.items = list(
            items if items is not None else instrument.items.select_related("section", "instrument")
        )
        for item in self.items:
            self.fields[item_field_name(item.number)] = answer_field(item)

    def answers(self) -> dict:
        return {
            item.number: self.cleaned_data.get(item_field_name(item.number)) for item in self.items
        }

    def item_fields(self):
        """(item, bound field, section title when the item opens a new section)."""
        rows, section = [], None
        for item in self.items:
            opens = item.section if item.section_id and item.section_id != section else None
            section = item.section_id
            rows.append((item, self[item_field_name(item.number)], opens))
        return rows


class WorkerResponseForm(AnswersForm):
    timepoint = forms.ChoiceField(label=_("Timepoint"), choices=Timepoint.choices)
    administered_on = forms.DateField(
        label=_("Date of the questionnaire"),
        widget=DateInput(),
        initial=timezone.localdate,
    )


class ChooseInstrumentForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=Instrument.objects.filter(is_active=True, purpose=Purpose.PERSON),
    )
    timepoint = forms.ChoiceField(label=_("Timepoint"), choices=Timepoint.choices)


class ImpactFilterForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=Instrument.objects.filter(is_active=True, purpose=Purpose.PERSON).exclude(
            scoring__method="none"
        ),
        required=False,
        empty_label=None,
    )
    subscale = forms.ChoiceField(
        label=_("Question compared"),
        required=False,
        help_text=_("For questionnaires reported question by question, such as ONS4."),
    )
    timepoint = forms.ChoiceField(
        label=_("Follow-up"),
        choices=[(t.value, t.label) for t in (Timepoint.FOLLOW_UP_3M, Timepoint.FOLLOW_UP_6M)],
        required=False,
    )
    breakdown = forms.ChoiceField(label=_("Break down by"), required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=None, required=False, empty_label=_("All programmes")
    )
    date_from = forms.DateField(
        label=_("Follow-ups from"),
        required=False,
        widget=DateInput(),
    )
    date_to = forms.DateField(
        label=_("Follow-ups to"),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args, dimensions, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["breakdown"].choices = [("", _("No breakdown")), *dimensions.items()]
        self.fields["subscale"].choices = [("", "—")] + [
            (name, f"{instrument.localised_name} · {instrument.subscale_label(name)}")
            for instrument in self.fields["instrument"].queryset.filter(scoring__method="per_item")
            for name in instrument.subscale_names()
        ]
        self.fields["programme"].queryset = programmes

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date comes before the start date."))
        return data


class SroiAnalysisForm(forms.ModelForm):
    class Meta:
        model = SroiAnalysis
        fields = list(ANALYSIS_FIELDS)


class SroiOutcomeForm(forms.ModelForm):
    class Meta:
        model = SroiOutcome
        fields = list(OUTCOME_FIELDS)


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["programme", "kind", "collected_on", "setting", "participants", "text", "codes"]
        widgets = {
            "collected_on": DateInput(),
            "codes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class CodeForm(forms.ModelForm):
    class Meta:
        model = Code
        fields = ["name", "description"]


class EvidenceFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=None, required=False, empty_label=_("All programmes")
    )
    code = forms.ModelChoiceField(
        label=_("Code"), queryset=Code.objects.all(), required=False, empty_label=_("All codes")
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
