"""Impact on organisations: indicators with a baseline and a target per programme, either read
live from the other modules (new ties in the network, people taking part for the first time,
partner organisations, organisation-survey answers) or recorded by hand with a date and a note
(competences from training, management and innovation assessed in the survey)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from legami.core.i18n import localised
from legami.network.models import Programme


class Area(models.TextChoices):
    NETWORK = "network", _("network and ties")
    MANAGEMENT = "management", _("management models and innovation")
    COMPETENCES = "competences", _("competences")
    AUDIENCE = "audience", _("audience growth")
    OTHER = "other", _("other")


class IndicatorState(models.TextChoices):
    """Where an indicator stands against its target today (queries.indicators.indicator_status):
    the one list of states and their words, for the pages, the PDF report and the API."""

    REACHED = "reached", _("target reached")
    ON_TRACK = "on_track", _("on track")
    BEHIND = "behind", _("behind schedule")
    NO_DATA = "no_data", _("no value yet")
    HIDDEN = "hidden", _("too few people to show")


class Metric(models.TextChoices):
    MANUAL = "manual", _("recorded by hand")
    NEW_TIES = "new_ties", _("new ties between organisations since the programme began")
    FIRST_TIME = "first_time", _("people taking part in an activity for the first time")
    PARTNERS = "partners", _("partner organisations of the programme")
    SURVEY_ORGANISATIONS = "survey_orgs", _("organisations that answered a survey")
    TRAINING = "training", _("people who attended the programme's training")


class Indicator(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="+"
    )
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    metric = models.CharField(
        _("how it is measured"), max_length=16, choices=Metric.choices, default=Metric.MANUAL
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline_value = models.DecimalField(
        _("starting value"), max_digits=12, decimal_places=2, default=0
    )
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    target_date = models.DateField(_("target date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "area", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(area__in=Area.values), name="indicator_area_valid"),
            models.CheckConstraint(
                condition=Q(metric__in=Metric.values), name="indicator_metric_valid"
            ),
        ]

    def __str__(self):
        return self.localised_name

    @property
    def localised_name(self) -> str:
        return localised(self, "name")


class IndicatorReading(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("source or note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator reading")
        verbose_name_plural = _("indicator readings")
        ordering = ["indicator", "-measured_on", "-pk"]

    def __str__(self):
        return f"{self.indicator} {self.measured_on}: {self.value}"
