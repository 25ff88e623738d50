"""The community offer: activities (HSDS "service"), the places where they happen (HSDS
"location"), their recurring schedules and the taxonomy that says what each is for.

Field names follow Open Referral HSDS 3.x where a field has a counterpart there, so that import
and export are a mapping, not a translation. Whatever an HSDS file holds that Legami does not
model is kept in `extra` and written back on export.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from legami.core.i18n import localised
from legami.network.models import Organisation
from legami.territory.models import Comune


class Taxonomy(models.Model):
    """A controlled vocabulary. Legami's own are `domain`, `need` and `target_group`; an HSDS
    import may bring others, which are kept and shown but not used by the search filters."""

    DOMAIN = "domain"
    NEED = "need"
    TARGET_GROUP = "target_group"

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name (Italian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return localised(self, "name")


class TaxonomyTerm(models.Model):
    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(
        Taxonomy, verbose_name=_("taxonomy"), on_delete=models.PROTECT, related_name="terms"
    )
    code = models.CharField(_("code"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent term"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name (Italian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    term_uri = models.URLField(_("term URI"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["taxonomy__code", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="term_unique_code"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return localised(self, "name")


class Place(models.Model):
    """Where activities happen (HSDS "location"): a library, a garden, a sports hall."""

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="places",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    comune = models.ForeignKey(
        Comune, verbose_name=_("comune"), on_delete=models.PROTECT, related_name="places"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    wheelchair_access = models.BooleanField(_("step-free access for wheelchairs"), default=False)
    hearing_access = models.BooleanField(_("hearing support (induction loop, LIS)"), default=False)
    sight_access = models.BooleanField(
        _("support for blind or partially sighted people"), default=False
    )
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    transport_notes = models.TextField(_("how to get there"), blank=True)
    extra = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="place_coordinates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="place_both_coordinates_or_none",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.comune.name})"


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


class Activity(models.Model):
    """Something a person can take part in (HSDS "service"): a reading group, a walking group,
    a choir, a community garden."""

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("Leave empty for an activity held online or at home."),
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    terms = models.ManyToManyField(
        TaxonomyTerm, verbose_name=_("classification"), blank=True, related_name="activities"
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=60,
        default="it",
        help_text=_("ISO 639-1 codes separated by commas, e.g. it,en."),
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    cost_description = models.TextField(_("cost details"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places available"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    accepts_referrals = models.BooleanField(_("accepts social prescribing referrals"), default=True)
    referral_slots = models.PositiveSmallIntegerField(
        _("referrals accepted at a time"), null=True, blank=True
    )
    how_to_join = models.TextField(_("how to join"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    url = models.URLField(_("web page"), blank=True)
    last_verified_on = models.DateField(_("last verified on"))
    moderation_note = models.TextField(_("moderation note"), blank=True)
    # Kept by the services so that sorting by next session and searching by words are one
    # indexed query at any scale, instead of a computation per row.
    next_session_at = models.DateTimeField(_("next session"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    search_stems = models.TextField(editable=False, blank=True)
    reverify_reminded_on = models.DateField(null=True, blank=True, editable=False)
    extra = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["status", "next_session_at"], name="activity_status_next"),
            models.Index(fields=["status", "last_verified_on"], name="activity_status_verified"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="activity_age_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class CostOption(models.Model):
    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="cost_options")
    label = models.CharField(_("option"), max_length=200)
    amount = models.DecimalField(_("amount (€)"), max_digits=8, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")
        ordering = ["amount", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_option_not_negative"),
        ]

    def __str__(self):
        return f"{self.label}: {self.amount} {self.currency}"


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", _("Weekly")
    MONTHLY = "MONTHLY", _("Monthly")


class Schedule(models.Model):
    """A recurring rule in RFC 5545 terms, as HSDS holds it: e.g. every Tuesday 10:00-12:00
    from October to May, or the first Saturday of the month."""

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    byday = models.CharField(
        _("days"),
        max_length=40,
        blank=True,
        help_text=_("MO,TU,WE,TH,FR,SA,SU; for monthly rules a position first, e.g. 1SA or -1FR."),
    )
    bymonthday = models.CharField(_("days of the month"), max_length=40, blank=True)
    opens_at = models.TimeField(_("starts at"))
    closes_at = models.TimeField(_("ends at"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["valid_from", "opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="schedule_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="schedule_valid_period",
            ),
            models.CheckConstraint(condition=Q(interval__gte=1), name="schedule_interval"),
        ]

    def __str__(self):
        return f"{self.get_freq_display()} {self.byday or self.bymonthday} {self.opens_at:%H:%M}"


class ScheduleException(models.Model):
    """A date on which a recurring session does not take place (a holiday, a closure)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("schedule exception")
        verbose_name_plural = _("schedule exceptions")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "date"], name="exception_unique_date"),
        ]

    def __str__(self):
        return f"{self.date}: {self.reason}"
