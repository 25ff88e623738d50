"""Forms of the pages for citizens, providers and territory administrators. They check the
shape of what was typed; the rules (valid codice fiscale, required consent, service levels)
are the services' and come back as field errors."""

from functools import cached_property

from django import forms
from django.utils.translation import gettext_lazy as _

from legami.core.views_helpers import id_param
from legami.core.widgets import DateInput, HiddenDateInput
from legami.directory.forms import TIME_BAND_CHOICES, WEEKDAY_CHOICES
from legami.directory.models import Taxonomy, TaxonomyTerm
from legami.directory.queries import published_activities
from legami.territory.forms import ComuneField

from ..consent import CONSENT_TEXTS, REQUIRED
from ..models import (
    WALK_INS_MAX,
    AttendanceStatus,
    ConsentPurpose,
    ContactChannel,
    ReferralSettings,
)
from ..services.lifecycle import running_programmes
from ..services.settings import SETTINGS_FIELDS

SELF_CONTACT_CHOICES = [
    (ContactChannel.PHONE, _("By phone")),
    (ContactChannel.EMAIL, _("By e-mail")),
    (ContactChannel.VISIT, _("In person")),
]

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
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


class SelfReferralForm(forms.Form):
    """A person asks for help for themselves, in plain words."""

    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    last_name = forms.CharField(label=_("Your surname"), max_length=100)
    birth_date = forms.DateField(
        label=_("Your date of birth"),
        widget=DateInput(),
        help_text=_("For example 31/12/1950."),
    )
    tax_code = forms.CharField(
        label=_("Your codice fiscale (if you want)"),
        required=False,
        max_length=20,
        help_text=_("It helps us not to register you twice. You can leave it empty."),
    )
    comune = ComuneField(
        label=_("The comune where you live"),
        help_text=_("For example Arcidosso."),
    )
    phone = forms.CharField(label=_("Your phone number"), required=False, max_length=30)
    email = forms.EmailField(label=_("Your e-mail"), required=False)
    preferred_contact = forms.ChoiceField(
        label=_("How do you prefer to be contacted?"),
        choices=SELF_CONTACT_CHOICES,
        initial=ContactChannel.PHONE,
        widget=forms.RadioSelect,
    )
    needs = forms.TypedMultipleChoiceField(
        label=_("What would you like help with?"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick all that apply. You can also write it below in your own words."),
    )
    reason_text = forms.CharField(
        label=_("Tell us in your own words (if you want)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    available_days = forms.MultipleChoiceField(
        label=_("Which days are good for you?"),
        required=False,
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if any day is fine."),
    )
    available_times = forms.MultipleChoiceField(
        label=_("Which times of day are good for you?"),
        required=False,
        choices=TIME_BAND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if any time is fine."),
    )
    access_needs = forms.CharField(
        label=_("Anything that would make it easier for you to take part (if you want)"),
        required=False,
        max_length=300,
        help_text=_("For example: I cannot climb stairs, I hear badly, I need someone with me."),
    )
    needs_step_free = forms.BooleanField(label=_("I need places without steps"), required=False)
    # The activity whose page the person came from (?attivita=<id>), carried through the POST.
    # Anything but the id of a published activity is dropped without a word: the form never
    # says whether an id belongs to an unpublished listing.
    attivita = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        terms = TaxonomyTerm.objects.filter(taxonomy__code=Taxonomy.NEED).order_by(
            "position", "name"
        )
        self.fields["needs"].choices = [(t.pk, t.name) for t in terms]
        for purpose in ConsentPurpose.values:
            required = purpose in REQUIRED
            self.fields[consent_field_name(purpose)] = forms.BooleanField(
                label=CONSENT_TEXTS[purpose],
                required=required,
                error_messages={
                    "required": _(
                        "Without this consent we cannot organise help for you: tick it to go on."
                    )
                },
            )

    @property
    def consent_fields(self):
        return [self[consent_field_name(p)] for p in ConsentPurpose.values]

    def clean_attivita(self):
        return _published_activity(self.cleaned_data.get("attivita"))

    @cached_property
    def activity(self):
        """The activity the person is interested in, as the page shows it (None if none)."""
        if self.is_bound:
            self.is_valid()  # the field is cleaned even when others are wrong
            return self.cleaned_data.get("attivita")
        return _published_activity(self.initial.get("attivita"))

    def person(self) -> dict:
        return {key: self.cleaned_data[key] for key in PERSON_FIELDS}

    def consents(self) -> list[str]:
        return [p for p in ConsentPurpose.values if self.cleaned_data.get(consent_field_name(p))]


def _published_activity(value):
    pk = id_param(value)
    if pk is None:
        return None
    return published_activities().filter(pk=pk).only("pk", "name").first()


class AccountLinkRequestForm(forms.Form):
    """A citizen asks whether the service already holds a record of theirs."""

    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    last_name = forms.CharField(label=_("Your surname"), max_length=100)
    birth_date = forms.DateField(label=_("Your date of birth"), widget=DateInput())


class AccountLinkCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code we sent you"),
        max_length=12,
        help_text=_("Six digits, valid for 15 minutes."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class RespondForm(forms.Form):
    """The provider's answer to a referral."""

    ACCEPT = "accept"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(ACCEPT, _("We welcome the person")), (DECLINE, _("We cannot welcome them"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why you cannot (needed if you decline)"),
        required=False,
        max_length=200,
        help_text=_("The link worker reads it to look for another activity."),
    )


class AttendanceForm(forms.Form):
    session_date = forms.DateField(label=_("Session date"), widget=DateInput())
    present = forms.TypedChoiceField(
        label=_("Was the person there?"),
        choices=[("1", _("Present")), ("0", _("Absent"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class RegisterDateForm(forms.Form):
    """The session whose register is shown (a GET form)."""

    date = forms.DateField(label=_("Session date"), widget=DateInput())


class RegisterForm(forms.Form):
    """One session's register: the date, and for each person on it present, absent or
    excused (left empty: not marked this time)."""

    MARK = "mark-"

    session_date = forms.DateField(label=_("Session date"), widget=HiddenDateInput())
    walk_ins = forms.IntegerField(
        label=_("People who came without a referral"),
        help_text=_("A number only: walk-ins are counted, never named. Leave empty if unknown."),
        required=False,
        min_value=0,
        max_value=WALK_INS_MAX,
    )

    def __init__(self, *args, rows=(), walk_ins=None, **kwargs):
        super().__init__(*args, **kwargs)
        if walk_ins is not None:
            self.fields["walk_ins"].initial = walk_ins
        self.rows = []
        for row in rows:
            name = f"{self.MARK}{row.pk}"
            self.fields[name] = forms.ChoiceField(
                label=row.referral.beneficiary.first_name,
                choices=AttendanceStatus.choices,
                required=False,
                initial=row.line.status if row.line else None,
                widget=forms.RadioSelect,
            )
            self.rows.append((row, name))

    def bound_rows(self):
        return [(row, self[name]) for row, name in self.rows]

    def marks(self) -> dict[int, str]:
        return {
            row.pk: self.cleaned_data[name] for row, name in self.rows if self.cleaned_data[name]
        }


WEIGHT_FIELDS = (
    "weight_need",
    "weight_distance",
    "weight_schedule",
    "weight_cost",
    "weight_access",
    "weight_language",
    "weight_capacity",
)


class ReferralSettingsForm(forms.ModelForm):
    """Service levels and matching weights of one district."""

    class Meta:
        model = ReferralSettings
        fields = list(SETTINGS_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WEIGHT_FIELDS:
            field = self.fields[name]
            field.widget.attrs.update(min=0, max=10)
            field.help_text = _("From 0 (not counted) to 10 (counts most).")
        # The programmes running in the district (the service checks again).
        district = self.instance.district
        self.fields["default_programme"].queryset = (
            running_programmes()
            .filter(comuni__in=district.comuni.all())
            .distinct()
            .order_by("name")
        )
        self.fields["default_programme"].empty_label = _("None")

    def clean(self):
        data = super().clean()
        for name in WEIGHT_FIELDS:
            value = data.get(name)
            if value is not None and not 0 <= value <= 10:
                self.add_error(name, _("Give a weight from 0 to 10."))
        reminder = data.get("provider_reminder_days")
        back = data.get("provider_return_days")
        if reminder and back and back <= reminder:
            self.add_error(
                "provider_return_days",
                _("Return the referral after the reminder: give more days than the reminder."),
            )
        return data
