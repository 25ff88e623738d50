from django import forms
from django.utils.translation import gettext_lazy as _

from legami.core.widgets import DateTimeInput

from .models import Course, Registration, TrainingSession
from .services import COURSE_FIELDS, REGISTRATION_FIELDS, SESSION_FIELDS

WHEN = DateTimeInput()


class RegistrationForm(forms.ModelForm):
    privacy = forms.BooleanField(
        label=_("I have read how my data are used"),
        help_text=_(
            "Name, e-mail, organisation and role are kept by the organisers for this course "
            "(registrations and attendance) and are not shared with anyone else."
        ),
        error_messages={"required": _("Tick the box to say you have read how data are used.")},
    )

    class Meta:
        model = Registration
        fields = list(REGISTRATION_FIELDS)


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = list(COURSE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SessionForm(forms.ModelForm):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.all())

    class Meta:
        model = TrainingSession
        fields = ["course", *SESSION_FIELDS]
        widgets = {"starts_at": WHEN, "ends_at": WHEN}

    def __init__(self, *args, comuni=None, **kwargs):
        super().__init__(*args, **kwargs)
        if comuni is not None:
            # Those the user runs: another territory's comune is not theirs to organise in.
            self.fields["comune"].queryset = comuni
        self.fields["comune"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "placeholder": "053001"}
        )
        self.fields["comune"].to_field_name = "istat_code"
        self.fields["comune"].label = _("Comune (ISTAT code)")
        self.fields["comune"].required = True
        self.fields["comune"].help_text = _(
            "Where it takes place; for an online session, the comune that organises it."
        )
        self.fields["comune"].error_messages["invalid_choice"] = _(
            "No comune of your territory has this ISTAT code (six digits, e.g. 053001 for "
            "Arcidosso)."
        )
