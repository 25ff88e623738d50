from django import forms
from django.utils.translation import gettext_lazy as _

from legami.core.views_helpers import ModelMultipleChoiceField
from legami.core.widgets import DateInput
from legami.network.models import Organisation
from legami.territory.forms import ComuneField
from legami.territory.models import District

from .models import (
    ActivityStatus,
    Frequency,
    Place,
    Taxonomy,
    TaxonomyTerm,
)
from .queries import ActivitySearch, similar_comune

WEEKDAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
TIME_BAND_CHOICES = [
    ("morning", _("Morning (before 12)")),
    ("afternoon", _("Afternoon (12-18)")),
    ("evening", _("Evening (after 18)")),
]
ACCESS_CHOICES = [
    ("wheelchair", _("Step-free access")),
    ("hearing", _("Hearing support")),
    ("sight", _("Support for sight loss")),
]
LANGUAGE_CHOICES = [
    ("it", _("Italian")),
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("ro", _("Romanian")),
    ("sq", _("Albanian")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
    ("zh", _("Chinese")),
    ("lis", _("Italian Sign Language (LIS)")),
]
SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("distance", _("Distance")),
    ("next", _("Next session")),
    ("name", _("Name")),
]
WEEKDAYS = "MO-FR"
RADIUS_CHOICES = [
    ("", _("Only in the comune")),
    *[(str(k), f"{k} km") for k in (5, 10, 15, 25, 50)],
]


def _days(chosen) -> list[str]:
    days = set(chosen) - {WEEKDAYS}
    if WEEKDAYS in chosen:
        days |= {"MO", "TU", "WE", "TH", "FR"}
    return [code for code, _label in WEEKDAY_CHOICES if code in days]


def _term_choices(terms):
    return [(t.pk, ("— " if t.parent_id else "") + t.label) for t in terms]


class ActivitySearchForm(forms.Form):
    """The search as a citizen asks it. Bad values become messages next to the field; the
    search still runs on what was understood."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    domain = forms.TypedMultipleChoiceField(
        label=_("Domain"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    need = forms.TypedMultipleChoiceField(
        label=_("Need addressed"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    target = forms.TypedMultipleChoiceField(
        label=_("For whom"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    comune = ComuneField(label=_("Comune"), required=False)
    radius_km = forms.TypedChoiceField(
        label=_("Within"), required=False, choices=RADIUS_CHOICES, coerce=float, empty_value=None
    )
    district = forms.ModelChoiceField(
        label=_("District"), required=False, queryset=District.objects.order_by("name")
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=35, max_value=48)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=6, max_value=19)
    # Several days may be ticked (an activity on any of them matches); WEEKDAYS stands for
    # Monday to Friday, the choice of someone who works or has care at the weekend.
    weekday = forms.MultipleChoiceField(
        label=_("Days"),
        required=False,
        choices=[(WEEKDAYS, _("Monday to Friday")), *WEEKDAY_CHOICES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for any day."),
    )
    time_band = forms.ChoiceField(
        label=_("Time of day"), required=False, choices=[("", _("Any time")), *TIME_BAND_CHOICES]
    )
    free = forms.BooleanField(label=_("Free only"), required=False)
    access = forms.MultipleChoiceField(
        label=_("Accessibility"),
        required=False,
        choices=ACCESS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGE_CHOICES]
    )
    place = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data, *, vocabulary, **kwargs):
        super().__init__(data, **kwargs)
        self.vocabulary = vocabulary
        self.fields["domain"].choices = _term_choices(vocabulary[Taxonomy.DOMAIN])
        self.fields["need"].choices = _term_choices(vocabulary[Taxonomy.NEED])
        self.fields["target"].choices = _term_choices(vocabulary[Taxonomy.TARGET_GROUP])
        # Suggestions as one types: the page's <datalist>, filled when the field is focused.
        self.fields["comune"].widget.attrs.update(list="comuni-suggeriti", autocomplete="off")

    def clean(self):
        data = super().clean()
        if data.get("sort") == "distance" and not (
            data.get("comune") or data.get("lat") is not None
        ):
            self.add_error("sort", _("To sort by distance, choose a comune."))
        comune = data.get("comune")
        if data.get("radius_km") and comune is not None and comune.latitude is None:
            self.add_error(
                "comune",
                _("The position of %(comune)s is not known yet: search in the comune only.")
                % {"comune": comune.name},
            )
        return data

    @property
    def comune_suggestion(self) -> str:
        """A comune named like the one typed and not found ("arcidoso" → "Arcidosso"), or ""."""
        if "comune" not in self.errors:
            return ""
        return similar_comune(self.data.get("comune") or "")

    def search(self) -> ActivitySearch:
        """What was understood: invalid fields are left out, never guessed."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        point = None
        if data.get("lat") is not None and data.get("lon") is not None:
            point = (data["lat"], data["lon"])
        district = data.get("district")
        return ActivitySearch(
            text=data.get("q") or "",
            domains=data.get("domain") or [],
            needs=data.get("need") or [],
            targets=data.get("target") or [],
            age=data.get("age"),
            comune=data.get("comune"),
            district_comuni=list(district.comuni.values_list("pk", flat=True))
            if district
            else None,
            radius_km=data.get("radius_km"),
            point=point,
            weekdays=_days(data.get("weekday") or []),
            time_band=data.get("time_band") or "",
            free_only=bool(data.get("free")),
            access=data.get("access") or [],
            language=data.get("language") or "",
            place=data.get("place"),
            sort=data.get("sort") or "relevance",
        )


class PlaceForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("A postcode (CAP) has 5 digits.")},
    )
    comune = ComuneField(label=_("Comune"))
    latitude = forms.FloatField(
        label=_("Latitude"), required=False, help_text=_("e.g. 42.8713 (decimal degrees)")
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, help_text=_("e.g. 11.5410 (decimal degrees)")
    )
    wheelchair_access = forms.BooleanField(label=_("Step-free access"), required=False)
    hearing_access = forms.BooleanField(label=_("Hearing support"), required=False)
    sight_access = forms.BooleanField(label=_("Support for sight loss"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Accessibility notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    transport_notes = forms.CharField(
        label=_("How to get there"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ActivityForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects)
    name = forms.CharField(label=_("Name"), max_length=200)
    alternate_name = forms.CharField(label=_("Also known as"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea)
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        required=False,
        help_text=_("Leave empty for an activity held online or at home."),
    )
    domains = ModelMultipleChoiceField(
        label=_("Domain"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs = ModelMultipleChoiceField(
        label=_("Needs addressed"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    targets = ModelMultipleChoiceField(
        label=_("For whom"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=LANGUAGE_CHOICES,
        initial=["it"],
        widget=forms.CheckboxSelectMultiple,
    )
    cost_description = forms.CharField(
        label=_("Cost details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Add priced options on the activity page; with none it is shown as free."),
    )
    capacity = forms.IntegerField(
        label=_("Places available"), required=False, help_text=_("Empty means no limit.")
    )
    accepts_referrals = forms.BooleanField(
        label=_("Accepts social prescribing referrals"), required=False, initial=True
    )
    referral_slots = forms.IntegerField(label=_("Referrals accepted at a time"), required=False)
    how_to_join = forms.CharField(
        label=_("How to join"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")

    def __init__(self, *args, organisations, places, vocabulary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["place"].queryset = places
        ids = {code: [t.pk for t in terms] for code, terms in vocabulary.items()}
        self.fields["domains"].queryset = TaxonomyTerm.objects.filter(pk__in=ids["domain"])
        self.fields["needs"].queryset = TaxonomyTerm.objects.filter(pk__in=ids["need"])
        self.fields["targets"].queryset = TaxonomyTerm.objects.filter(pk__in=ids["target_group"])
        for name, code in (("domains", "domain"), ("needs", "need"), ("targets", "target_group")):
            self.fields[name].choices = _term_choices(vocabulary[code])

    def clean(self):
        data = super().clean()
        organisation, place = data.get("organisation"), data.get("place")
        if organisation and place and place.organisation_id != organisation.pk:
            self.add_error("place", _("Choose one of the organisation's own places."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["terms"] = [*data.pop("domains"), *data.pop("needs"), *data.pop("targets")]
        return data


class ScheduleForm(forms.Form):
    freq = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    interval = forms.IntegerField(
        label=_("Every"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("1 = every week (or month), 2 = every other week..."),
    )
    days = forms.MultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    position = forms.TypedChoiceField(
        label=_("Which week of the month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Every week")),
            (1, _("First")),
            (2, _("Second")),
            (3, _("Third")),
            (4, _("Fourth")),
            (-1, _("Last")),
        ],
        help_text=_("For monthly schedules: e.g. the first Saturday of the month."),
    )
    opens_at = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("For seasonal activities; empty means until further notice."),
    )
    description = forms.CharField(label=_("Note"), max_length=300, required=False)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        days, position = data.pop("days"), data.pop("position")
        if data["freq"] == Frequency.MONTHLY and position:
            days = [f"{position}{day}" for day in days]
        data["byday"] = ",".join(days)
        return data


class ScheduleExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class CostOptionForm(forms.Form):
    label = forms.CharField(label=_("Option"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (€)"), max_digits=8, decimal_places=2)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ActivityStatus.choices)
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when suspending: the provider reads it."),
    )


class ConfirmForm(forms.Form):
    """A POST with nothing to fill in: the button is the decision."""


class TermForm(forms.Form):
    taxonomy = forms.ModelChoiceField(label=_("Vocabulary"), queryset=Taxonomy.objects)
    code = forms.SlugField(label=_("Code"), max_length=100)
    name = forms.CharField(label=_("Name (Italian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    parent = forms.ModelChoiceField(
        label=_("Broader term"), queryset=TaxonomyTerm.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = TaxonomyTerm.objects.filter(
            parent__isnull=True
        ).select_related("taxonomy")
