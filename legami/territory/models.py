from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InnerAreaClass(models.TextChoices):
    """SNAI classification of comuni (2021-2027): A-C centres, D-F inner areas."""

    A = "A", _("A - pole")
    B = "B", _("B - intermunicipal pole")
    C = "C", _("C - belt")
    D = "D", _("D - intermediate (inner area)")
    E = "E", _("E - peripheral (inner area)")
    F = "F", _("F - ultra-peripheral (inner area)")


class Region(models.Model):
    code = models.CharField(_("ISTAT code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Province(models.Model):
    """ISTAT's supra-municipal unit: a province, metropolitan city or free consortium."""

    code = models.CharField(_("ISTAT code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    abbreviation = models.CharField(_("abbreviation"), max_length=2, db_index=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="provinces"
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Comune(models.Model):
    istat_code = models.CharField(
        _("ISTAT code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("An ISTAT code has six digits."))],
    )
    name = models.CharField(_("name"), max_length=150, db_index=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="comuni"
    )
    cadastral_code = models.CharField(_("cadastral code"), max_length=4, blank=True)
    is_capital = models.BooleanField(_("provincial capital"), default=False)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(35), MaxValueValidator(48)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(6), MaxValueValidator(19)],
    )
    inner_area_class = models.CharField(
        _("inner-area class"), max_length=1, choices=InnerAreaClass.choices, blank=True
    )
    # Average travel time to the nearest pole of services (Mappa Aree Interne 2020).
    minutes_to_pole = models.DecimalField(
        _("minutes to the nearest pole"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.province.abbreviation})"

    @property
    def is_inner_area(self) -> bool:
        return self.inner_area_class in {"D", "E", "F"}


class DistrictKind(models.TextChoices):
    SOCIAL = "social", _("social district (ambito)")
    HEALTH = "health", _("health district")
    UNION = "union", _("union of comuni")
    OTHER = "other", _("other grouping")


class District(models.Model):
    """A group of comuni that plans together: an ambito, a health district, a union."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=DistrictKind.choices, default=DistrictKind.SOCIAL
    )
    description = models.TextField(_("description"), blank=True)
    comuni = models.ManyToManyField(Comune, verbose_name=_("comuni"), related_name="districts")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Jurisdiction(models.Model):
    """The part of Italy a territory administrator works on: exactly one of a region,
    a province, a district or a comune."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jurisdictions"
    )
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.CASCADE)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE)
    comune = models.ForeignKey(Comune, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        constraints = [
            models.CheckConstraint(
                name="jurisdiction_exactly_one_area",
                condition=(
                    Q(region__isnull=False, province=None, district=None, comune=None)
                    | Q(region=None, province__isnull=False, district=None, comune=None)
                    | Q(region=None, province=None, district__isnull=False, comune=None)
                    | Q(region=None, province=None, district=None, comune__isnull=False)
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.region or self.province or self.district or self.comune}"
