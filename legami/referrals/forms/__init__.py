"""Input of the prescriber's and link worker's pages. Forms check shapes; the services check the
rules (codice fiscale, consents, lifecycle) and their errors come back onto these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from legami.core.views_helpers import ModelMultipleChoiceField
from legami.core.widgets import DateInput
from legami.directory.forms import LANGUAGE_CHOICES, WEEKDAY_CHOICES
from legami.directory.models import Taxonomy, TaxonomyTerm
from legami.network.models import Programme
from legami.territory.forms import ComuneField

from ..consent import CONSENT_ACTIONS, CONSENT_TEXTS, REQUIRED
from ..models import ConsentPurpose, ContactChannel, Gender, Status, Urgency
from ..services.identity import MERGEABLE_FIELDS
from ..services.lifecycle import programmes_for, running_programmes

PART_OF_DAY_CHOICES = [
    ("morning", _("Morning")),
    ("afternoon", _("Afternoon")),
    ("evening", _("Evening")),
]

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "tax_code",
    "comune",
    "phone",
    "email",
    "preferred_contact",
    "access_needs",
    "needs_step_free",
)


def consent_field_name(purpose: str) -> str:
    return f"consent_{purpose}"


class ReferralForm(forms.Form):
    """A prescriber's referral: the person, why, when they are free, and their consents."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(
        label=_("Birth date"),
        widget=DateInput(),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        required=False,
        help_text=_("Optional: used only for anonymous impact statistics."),
    )
    tax_code = forms.CharField(
        label=_("Codice fiscale"),
        max_length=20,
        required=False,
        help_text=_("Optional: it avoids recording the same person twice."),
    )
    comune = ComuneField(label=_("Comune of residence"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_contact = forms.ChoiceField(
        label=_("Preferred way to be contacted"),
        choices=ContactChannel.choices,
        initial=ContactChannel.PHONE,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=LANGUAGE_CHOICES,
        initial=["it"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_needs = forms.CharField(
        label=_("Access needs"),
        max_length=300,
        required=False,
        help_text=_("e.g. hearing aid, needs to be accompanied"),
    )
    needs_step_free = forms.BooleanField(label=_("Needs step-free access"), required=False)
    reasons = ModelMultipleChoiceField(
        label=_("Needs"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason_text = forms.CharField(
        label=_("Reason for referral"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the link worker should know to start the conversation."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("The district's programme, if it has one"),
        help_text=_("The programme whose results the referral counts in."),
    )
    risks = forms.CharField(
        label=_("Known risks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only the link worker and you will read this; writing something here raises the "
            "risk flag."
        ),
    )
    available_days = forms.MultipleChoiceField(
        label=_("Days available"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means any day."),
    )
    available_times = forms.MultipleChoiceField(
        label=_("Times of day available"),
        choices=PART_OF_DAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means any time."),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        needs = TaxonomyTerm.objects.filter(taxonomy__code=Taxonomy.NEED).order_by(
            "position", "name"
        )
        self.fields["reasons"].queryset = needs
        self.fields["reasons"].label_from_instance = lambda term: term.label
        # Programmes running somewhere: the service checks that the chosen one covers the
        # person's comune, which is typed on this same form.
        self.fields["programme"].queryset = (
            running_programmes().filter(comuni__isnull=False).distinct().order_by("name")
        )
        if organisations is not None and len(organisations) > 1:
            self.fields["referring_organisation"] = forms.ModelChoiceField(
                label=_("Referring organisation"),
                queryset=organisations,
                help_text=_("You belong to more than one: say for which you refer."),
            )
        for purpose, label in ConsentPurpose.choices:
            self.fields[consent_field_name(purpose)] = forms.BooleanField(
                label=label,
                required=False,
                help_text=CONSENT_TEXTS[purpose],
            )
        self.consent_names = [consent_field_name(p) for p in ConsentPurpose.values]
        self.required_consents = [consent_field_name(p) for p in REQUIRED]

    def consent_fields(self):
        return [self[name] for name in self.consent_names]

    def other_fields(self):
        return [f for f in self.visible_fields() if f.name not in self.consent_names]

    def service_data(self) -> dict:
        data = self.cleaned_data
        person = {key: data.get(key) for key in PERSON_FIELDS}
        person["languages"] = ",".join(data.get("languages") or [])
        result = {
            "person": person,
            "consents": [p for p in ConsentPurpose.values if data.get(consent_field_name(p))],
            "reasons": list(data.get("reasons") or []),
            "reason_text": data.get("reason_text") or "",
            "urgency": data.get("urgency") or Urgency.ROUTINE,
            "risks": data.get("risks") or "",
            "available_days": data.get("available_days") or [],
            "available_times": data.get("available_times") or [],
            "programme": data.get("programme"),
        }
        if data.get("referring_organisation") is not None:
            result["referring_organisation"] = data["referring_organisation"]
        return result


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(max_length=200, required=False)
    what_matters = forms.CharField(required=False)
    goals = forms.CharField(required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsentChangeForm(forms.Form):
    """A consent given or withdrawn: the one form of the citizen's page, the link worker's page
    and the API, dispatched once (services.consent_change)."""

    purpose = forms.ChoiceField(
        choices=ConsentPurpose.choices,
        error_messages={"required": _("Choose a purpose of consent from the list.")},
    )
    action = forms.ChoiceField(
        choices=CONSENT_ACTIONS,
        error_messages={"required": _("Choose whether to give or withdraw the consent.")},
    )


class EnrolForm(forms.Form):
    activity = forms.IntegerField(min_value=1)


class MergeForm(forms.Form):
    """Which of the new request's details replace the record kept (none unless ticked)."""

    take = forms.MultipleChoiceField(
        choices=[(name, name) for name in MERGEABLE_FIELDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class LinkAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the person's citizen account"),
        help_text=_("Ask the person: the account must have confirmed this address."),
    )


class ProgrammeForm(forms.Form):
    """The link worker's choice of the programme a referral counts in (empty: none)."""

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("No programme"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        # The one it counts in now stays a choice, even once it has ended.
        current = Programme.objects.filter(pk=referral.programme_id)
        self.fields["programme"].queryset = (
            (programmes_for(referral.comune_id) | current).distinct().order_by("name")
        )
        self.fields["programme"].initial = referral.programme_id
