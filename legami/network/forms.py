from django import forms
from django.utils.translation import gettext_lazy as _

from legami.core.widgets import DateInput
from legami.territory.forms import ComuneField, ComuniField

from .models import (
    BodyKind,
    Organisation,
    PartnerRole,
    Person,
    RelationshipKind,
    Sector,
)

DATE = DateInput()


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    tax_code = forms.CharField(label=_("Codice fiscale"), max_length=20, required=False)
    vat_number = forms.CharField(label=_("Partita IVA"), max_length=13, required=False)
    runts_number = forms.CharField(label=_("RUNTS number"), max_length=20, required=False)
    comune = ComuneField(label=_("Comune"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("A postcode (CAP) has five digits.")},
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, codice fiscale or partita IVA"), required=False, max_length=100
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("any"))] + Sector.choices
    )
    comune = ComuneField(label=_("Comune"), required=False, help_text="")


class RelationshipForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RelationshipKind.choices)
    target = forms.ModelChoiceField(label=_("With"), queryset=Organisation.objects.all())
    start_date = forms.DateField(label=_("Start"), widget=DATE)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class NewPersonForm(PersonForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role_title = forms.CharField(label=_("Role in the organisation"), max_length=120)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    start_date = forms.DateField(label=_("Start"), widget=DATE)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    comuni = ComuniField(label=_("Territory covered"), required=False)


class NewProgrammeForm(ProgrammeForm):
    lead_partner = forms.ModelChoiceField(
        label=_("Lead partner"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_partner"].queryset = organisations


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=PartnerRole.choices, initial=PartnerRole.PARTNER
    )


class FundingForm(forms.Form):
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=Organisation.objects.all())
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), min_value=0, max_digits=12, decimal_places=2
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class BodyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class BodyMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    person = forms.ModelChoiceField(
        label=_("Representative"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("One of the people of the organisation."),
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class BodyMemberEditForm(BodyMemberForm):
    """The organisation is the member itself: only its representative and seats change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    comune = ComuneField(label=_("Where"), required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The members that took part; the others are recorded as absent."),
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea,
        required=False,
        help_text=_(
            "Public, like the rest of the body's record: write what was discussed, not "
            "personal details of the people the programme helps."
        ),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Organisation.objects.none(),
        help_text=_("The member of the body that carries it out."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )


class ConfirmForm(forms.Form):
    """A POST with nothing to fill in: the button is the decision."""
