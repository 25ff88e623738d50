"""Organisation surveys and event feedback: rounds of a built questionnaire answered by the
organisations of a programme (signed in, one answer per organisation) or by the participants
of an event (anonymously, through a public link and QR code). Nobody's identity is kept, so
answers are stored one row per answer (one per option chosen) and counted in the database."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legami.core.crypto import EncryptedTextField
from legami.directory.models import Activity
from legami.network.models import Organisation, Programme

from . import Instrument, InstrumentItem


class Survey(models.Model):
    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=200)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Organisation surveys: only its partners answer. Leave empty for all."),
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity or event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    # Event feedback: the address printed on the QR code. It opens an anonymous form and
    # nothing else, so it is kept in clear for the organisers to print it again.
    token = models.CharField(max_length=43, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="survey_closes_after_opening"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.opens_on <= timezone.localdate() <= self.closes_on


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("sent at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"],
                condition=Q(organisation__isnull=False),
                name="survey_one_response_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.survey} · {self.submitted_at:%Y-%m-%d}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="+")
    value = models.IntegerField(_("value"), null=True, blank=True)
    text = EncryptedTextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["item", "value"], name="survey_answer_item_value")]

    def __str__(self):
        return f"{self.item} = {self.value if self.value is not None else '…'}"
