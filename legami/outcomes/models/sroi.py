"""SROI analyses: per programme, an outcome map whose quantities come from live data or are
typed in, valued with financial proxies whose source is always written beside them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from legami.network.models import Programme

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class QuantitySource(models.TextChoices):
    MANUAL = "manual", _("typed in")
    WHO5_IMPROVED = "who5_improved", _("people whose WHO-5 improved by a meaningful amount")
    UCLA3_IMPROVED = "ucla3_improved", _("people less lonely (UCLA-3 down at least 1 point)")
    PEOPLE_ENGAGED = "people_engaged", _("people who took part in an activity")


class SroiAnalysis(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    investment = models.DecimalField(
        _("investment (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("What the programme cost: funding and the value of time and goods given."),
    )
    investment_note = models.CharField(_("what the investment includes"), max_length=300)
    discount_rate = models.DecimalField(
        _("discount rate (%)"), max_digits=5, decimal_places=2, default=3, validators=PERCENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SROI analysis")
        verbose_name_plural = _("SROI analyses")
        ordering = ["programme__name", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(investment__gte=0), name="sroi_investment"),
            models.CheckConstraint(
                condition=Q(discount_rate__gte=0, discount_rate__lte=100), name="sroi_rate"
            ),
        ]

    def __str__(self):
        return self.title


class SroiOutcome(models.Model):
    analysis = models.ForeignKey(SroiAnalysis, on_delete=models.CASCADE, related_name="outcomes")
    stakeholder = models.CharField(_("stakeholder"), max_length=120)
    outcome = models.CharField(_("outcome"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    quantity_source = models.CharField(
        _("quantity from"),
        max_length=20,
        choices=QuantitySource.choices,
        default=QuantitySource.MANUAL,
    )
    quantity = models.DecimalField(
        _("quantity (typed in)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    proxy = models.DecimalField(
        _("financial proxy (EUR per unit per year)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    proxy_source = models.CharField(_("source of the proxy"), max_length=300)
    duration = models.PositiveSmallIntegerField(
        _("duration (years)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    deadweight = models.DecimalField(
        _("deadweight (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    attribution = models.DecimalField(
        _("attribution to others (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=PERCENT,
    )
    displacement = models.DecimalField(
        _("displacement (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    drop_off = models.DecimalField(
        _("drop-off per year (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )

    class Meta:
        verbose_name = _("SROI outcome")
        verbose_name_plural = _("SROI outcomes")
        ordering = ["analysis", "pk"]

    def __str__(self):
        return f"{self.stakeholder}: {self.outcome}"
