from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Instrument, Timepoint
from .models_evidence import Code, Evidence
from .models_sroi import SroiAnalysis, SroiOutcome
from .services_sroi import ANALYSIS_FIELDS, OUTCOME_FIELDS


def item_field_name(number: int) -> str:
    return f"item_{number}"


def _answer_text(instrument: Instrument, value: int) -> str:
    label = instrument.answer_label(value)
    return f"{value} · {label}" if label else str(value)


class AnswersForm(forms.Form):
    """One radio group per item of an instrument; every item may be left unanswered (the
    response is then incomplete, as the instrument's missing-item rule says)."""

    def __init__(self, *args, instrument: Instrument, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.items = list(items if items is not None else instrument.items.all())
        for item in self.items:
            self.fields[item_field_name(item.number)] = forms.TypedChoiceField(
                label=item.localised_text or _("Item %(number)s") % {"number": item.number},
                choices=[
                    (v, _answer_text(instrument, v))
                    for v in range(item.scale_min, item.scale_max + 1)
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Item %(number)s: choose one of the answers shown.")
                    % {"number": item.number}
                },
            )

    def answers(self) -> dict[int, int | None]:
        return {
            item.number: self.cleaned_data.get(item_field_name(item.number)) for item in self.items
        }

    def item_fields(self):
        return [(item, self[item_field_name(item.number)]) for item in self.items]


class WorkerResponseForm(AnswersForm):
    timepoint = forms.ChoiceField(label=_("Timepoint"), choices=Timepoint.choices)
    administered_on = forms.DateField(
        label=_("Date of the questionnaire"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class ChooseInstrumentForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Instrument.objects.filter(is_active=True)
    )
    timepoint = forms.ChoiceField(label=_("Timepoint"), choices=Timepoint.choices)


class ImpactFilterForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=Instrument.objects.filter(is_active=True).exclude(scoring__method="per_item"),
        required=False,
        empty_label=None,
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
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Follow-ups to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, dimensions, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["breakdown"].choices = [("", _("No breakdown")), *dimensions.items()]
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
            "collected_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "codes": forms.CheckboxSelectMultiple,
        }


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
