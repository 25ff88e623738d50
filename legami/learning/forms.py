from django import forms
from django.utils.translation import gettext_lazy as _

from legami.core.widgets import DateTimeInput
from legami.territory.forms import ComuneField
from legami.territory.queries import resolve_comune

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


class SessionComuneField(ComuneField):
    """A comune typed by name, "Name (PR)" or ISTAT code, among those the user runs: a name
    that several comuni of Italy share is the user's own when only one of them is."""

    def __init__(self, *, comuni=None, **kwargs):
        self.comuni = comuni
        super().__init__(**kwargs)

    def clean(self, value):
        text = forms.CharField.clean(self, value)
        if not text:
            return None
        found = resolve_comune(text)
        if not found:
            raise forms.ValidationError(
                _("No comune is called or has the ISTAT code “%(text)s”."), params={"text": text}
            )
        if self.comuni is not None:
            found = [c for c in found if self.comuni.filter(pk=c.pk).exists()]
            if not found:
                raise forms.ValidationError(
                    _("“%(text)s” is not a comune of your territory."), params={"text": text}
                )
        if len(found) > 1:
            raise forms.ValidationError(
                _("More than one comune is called “%(text)s”: add the province, e.g. %(example)s."),
                params={"text": text, "example": str(found[0])},
            )
        return found[0]


class SessionForm(forms.ModelForm):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.all())
    comune = SessionComuneField(
        label=_("Comune"),
        help_text=_(
            "Where it takes place (for an online session, the comune that organises it): "
            "name, name with province (e.g. Arcidosso (GR)) or ISTAT code."
        ),
    )

    class Meta:
        model = TrainingSession
        fields = ["course", *SESSION_FIELDS]
        widgets = {"starts_at": WHEN, "ends_at": WHEN}

    def __init__(self, *args, comuni=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Those the user runs: another territory's comune is not theirs to organise in.
        self.fields["comune"].comuni = comuni


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent by e-mail to each person registered and shown on the public page."),
    )
