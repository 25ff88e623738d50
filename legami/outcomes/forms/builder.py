"""Forms of the questionnaire builder, surveys and organisation indicators. Their fields come
from the services' field lists, so a form cannot ask for what the service ignores."""

from django import forms
from django.utils.translation import gettext_lazy as _

from legami.core.widgets import DateInput

from ..models import Instrument, InstrumentItem, InstrumentSection, ItemKind, Purpose
from ..models.indicators import Indicator, IndicatorReading
from ..models.surveys import Survey
from ..services.builder import QUESTIONNAIRE_FIELDS, SECTION_FIELDS
from ..services.indicators import INDICATOR_FIELDS
from ..services.surveys import SURVEY_FIELDS

DATE = DateInput()


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = list(QUESTIONNAIRE_FIELDS)
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 2}),
            "instructions_en": forms.Textarea(attrs={"rows": 2}),
            "instructions_fr": forms.Textarea(attrs={"rows": 2}),
        }


class SectionForm(forms.ModelForm):
    class Meta:
        model = InstrumentSection
        fields = list(SECTION_FIELDS)


class ItemForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Answers to choose from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line; English and French after a vertical bar: “Sì | Yes | Oui”. For a "
            "scale, optionally one label per point, lowest first."
        ),
    )

    class Meta:
        model = InstrumentItem
        fields = [
            "section",
            "kind",
            "text",
            "text_en",
            "text_fr",
            "scale_min",
            "scale_max",
            "required",
            "reverse",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "text_en": forms.Textarea(attrs={"rows": 2}),
            "text_fr": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "scale_min": _("Scales and numbers only."),
            "required": _("Without an answer here, the questionnaire counts as incomplete."),
        }

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = instrument.sections.all()
        self.fields["section"].empty_label = _("No section")
        self.fields["kind"].initial = ItemKind.LIKERT
        self.fields["text"].required = True


class PublishForm(forms.Form):
    scored = forms.BooleanField(
        label=_("Give a score: the sum of the scale questions"),
        required=False,
        help_text=_("Only for questionnaires answered by a person."),
    )


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = list(SURVEY_FIELDS)
        widgets = {"opens_on": DATE, "closes_on": DATE}

    def __init__(self, *args, activities, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["instrument"].queryset = Instrument.objects.filter(
            is_active=True, purpose__in=[Purpose.ORGANISATION, Purpose.EVENT]
        )
        self.fields["activity"].queryset = activities
        self.fields["activity"].help_text = _("Event feedback: the activity or event it is about.")


class OrganisationForm(forms.Form):
    # No blank choice: a member of one organisation (the usual case) has nothing to pick.
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [f for f in INDICATOR_FIELDS if f != "programme"]
        widgets = {"target_date": DATE}


class ReadingForm(forms.ModelForm):
    class Meta:
        model = IndicatorReading
        fields = ["measured_on", "value", "note"]
        widgets = {"measured_on": DATE}
