from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from legami.territory.models import Comune


class Sector(models.TextChoices):
    PUBLIC_ADMINISTRATION = "public_administration", _("public administration")
    HEALTH_AUTHORITY = "health_authority", _("health authority")
    SOCIAL_SERVICES = "social_services", _("social services")
    THIRD_SECTOR = "third_sector", _("third-sector organisation")
    SOCIAL_COOPERATIVE = "social_cooperative", _("social cooperative")
    CULTURAL_PLACE = "cultural_place", _("cultural place")
    SCHOOL = "school", _("school")
    UNIVERSITY = "university", _("university")
    BUSINESS = "business", _("business")
    INFORMAL_GROUP = "informal_group", _("informal group")
    FOUNDATION = "foundation", _("foundation")


# Sectors whose organisations can be enrolled in RUNTS, the national third-sector register.
RUNTS_SECTORS = {Sector.THIRD_SECTOR, Sector.SOCIAL_COOPERATIVE, Sector.FOUNDATION}


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, db_index=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    tax_code = models.CharField(
        _("codice fiscale"),
        max_length=16,
        blank=True,
        help_text=_("11 digits for an organisation, 16 characters for a sole trader."),
    )
    vat_number = models.CharField(_("partita IVA"), max_length=11, blank=True)
    runts_number = models.CharField(
        _("RUNTS number"),
        max_length=20,
        blank=True,
        help_text=_("Number in the national register of the third sector, if enrolled."),
    )
    comune = models.ForeignKey(
        Comune, verbose_name=_("comune"), on_delete=models.PROTECT, related_name="organisations"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # Open Referral interchange: the id an organisation came with from an HSDS file (exports use
    # it, or a stable id derived from the primary key), and what HSDS held that Legami does not
    # model, kept to be written back.
    hsds_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    extra = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="organisation_unique_tax_code"
            ),
            models.UniqueConstraint(
                fields=["vat_number"],
                condition=~Q(vat_number=""),
                name="organisation_unique_vat_number",
            ),
        ]

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone who works in or with the organisations of the network (not a beneficiary:
    beneficiaries live in the referrals module, with stronger protection)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_demo = models.BooleanField(_("demo person"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role_title = models.CharField(_("role in the organisation"), max_length=120)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role_title"], name="membership_unique"
            ),
            models.CheckConstraint(
                name="membership_end_after_start",
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.role_title}, {self.organisation}"


class RelationshipKind(models.TextChoices):
    PARTNERSHIP = "partnership", _("partnership")
    AGREEMENT = "agreement", _("agreement")
    FUNDING = "funding", _("funding")
    NETWORK_MEMBERSHIP = "network_membership", _("membership of a network")


class Relationship(models.Model):
    """A typed, dated tie from one organisation to another (e.g. a foundation funds a
    cooperative, a comune signs an agreement with an association)."""

    source = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_out"
    )
    target = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_in"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=RelationshipKind.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                name="relationship_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            ),
            models.CheckConstraint(name="relationship_not_self", condition=~Q(source=F("target"))),
        ]

    def __str__(self):
        return f"{self.source} → {self.target} ({self.get_kind_display()})"


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    comuni = models.ManyToManyField(
        Comune, verbose_name=_("territory covered"), related_name="programmes", blank=True
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                name="programme_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            )
        ]

    def __str__(self):
        return self.name


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("lead partner")
    PARTNER = "partner", _("partner")
    ASSOCIATE = "associate", _("associate")


class ProgrammePartner(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="programme_partner_unique"
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(role="lead"),
                name="programme_single_lead",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class Funding(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="fundings")
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="fundings")
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        constraints = [
            models.CheckConstraint(name="funding_amount_not_negative", condition=Q(amount__gte=0))
        ]

    def __str__(self):
        return f"{self.funder}: {self.amount} EUR"


class BodyKind(models.TextChoices):
    STEERING_CORE = "steering_core", _("steering committee (core)")
    STEERING_EXTENDED = "steering_extended", _("steering committee (extended)")
    WORKING_TABLE = "working_table", _("working table")
    OTHER = "other", _("other body")


class GovernanceBody(models.Model):
    """A cabina di regia or another body that governs a programme or a district."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bodies",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="body_unique_name")
        ]

    def __str__(self):
        return self.name


class BodyMember(models.Model):
    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        constraints = [
            models.UniqueConstraint(fields=["body", "organisation"], name="body_member_unique")
        ]

    def __str__(self):
        return str(self.organisation)


class Meeting(models.Model):
    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    comune = models.ForeignKey(
        Comune, verbose_name=_("where"), null=True, blank=True, on_delete=models.PROTECT
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Attendance is kept by organisation, not by seat: a member that leaves the body later
    # still attended the meetings it attended.
    attendees = models.ManyToManyField(
        Organisation, verbose_name=_("present"), related_name="meetings_attended", blank=True
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.body} {self.date}"


class Decision(models.Model):
    """A commitment a body takes at a meeting: who does what, by when. What is merely
    approved or discussed belongs in the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="decisions_owned",
    )
    due_date = models.DateField(_("due date"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.text[:80]
