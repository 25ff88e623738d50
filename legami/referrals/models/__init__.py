"""Social prescribing: the person referred, their consents, the referral and its lifecycle,
the activities it leads to, attendance.

Identity lives in `Beneficiary` only; everything else points to it. Tax code, notes, risks and
the "what matters to you" conversation are encrypted at rest (core.crypto).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from legami.core.crypto import EncryptedTextField
from legami.directory.models import Activity, TaxonomyTerm
from legami.network.models import Organisation, Programme
from legami.territory.models import Comune, District


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    VISIT = "visit", _("in person")
    REFERRER = "referrer", _("through the referrer")


class Gender(models.TextChoices):
    NOT_STATED = "", _("not stated")
    FEMALE = "female", _("woman")
    MALE = "male", _("man")
    OTHER = "other", _("other")


class Beneficiary(models.Model):
    """The person referred: the one model that holds who they are."""

    pseudonym = models.UUIDField(_("pseudonymous id"), default=uuid.uuid4, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Only for impact breakdowns (cells under 5 people are suppressed); never required.
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, default=Gender.NOT_STATED, blank=True
    )
    tax_code = EncryptedTextField(_("codice fiscale"), blank=True)
    # HMAC of the normalised tax code and of name + birth date: equal people meet here without
    # the tax code ever being readable from the database.
    tax_code_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    identity_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # Typed by the person on a public form (self-referral): nobody has checked who they are, so
    # no professional referral joins this record and no account takes it over by its details.
    # Cleared when a link worker merges records after checking identity with the person.
    self_declared = models.BooleanField(_("identity declared by the person"), default=False)
    # Same codice fiscale, or same name and birth date, as this record when it was made: the
    # link worker checks with the person, then merges the two or dismisses the flag.
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="possible_duplicates",
    )
    comune = models.ForeignKey(
        Comune, verbose_name=_("comune of residence"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"),
        max_length=16,
        choices=ContactChannel.choices,
        default=ContactChannel.PHONE,
    )
    languages = models.CharField(
        _("languages spoken"), max_length=60, blank=True, help_text=_("e.g. it, en")
    )
    access_needs = models.CharField(_("access needs"), max_length=300, blank=True)
    needs_step_free = models.BooleanField(_("needs step-free access"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="beneficiary",
    )
    is_demo = models.BooleanField(_("demo person"), default=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["last_name", "first_name"]
        constraints = [
            # One checked record per codice fiscale; a self-declared one may repeat it, flagged
            # as a possible duplicate until a link worker merges the two.
            models.UniqueConstraint(
                fields=["tax_code_hash"],
                condition=~Q(tax_code_hash="") & Q(self_declared=False),
                name="beneficiary_unique_tax_code",
            )
        ]

    def __str__(self):
        if self.anonymised_at:
            return str(_("anonymised person"))
        return f"{self.first_name} {self.last_name}"


class AccountLinkCode(models.Model):
    """A one-time code sent to the e-mail already on a person's record, so that a citizen
    proves the record is theirs before their account is linked to it. Only a keyed hash of the
    code is stored; it expires, serves once and allows a few attempts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="account_link_codes"
    )
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account link code")
        verbose_name_plural = _("account link codes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"], name="link_code_user_expiry")]

    def __str__(self):
        return f"{_('Account link code')} #{self.pk}"


class ConsentPurpose(models.TextChoices):
    CARE = "care", _("care coordination")
    CONTACT = "contact", _("contact")
    OUTCOMES = "outcomes", _("outcome measurement")
    RESEARCH = "research", _("pseudonymised research")


class Consent(models.Model):
    """One consent given for one purpose, with the text the person agreed to. Withdrawal is
    recorded on the same row; a later consent is a new row, so history stays readable."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    text_version = models.CharField(_("text version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by_label = models.CharField(_("recorded by"), max_length=254, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by_label = models.CharField(_("withdrawn by"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["beneficiary", "purpose", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            )
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.text_version})"


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("routine")
    SOON = "soon", _("soon")
    URGENT = "urgent", _("urgent")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    CONTACTED = "contacted", _("contacted")
    ASSESSED = "assessed", _("assessed")
    PLAN_AGREED = "plan_agreed", _("plan agreed")
    ENGAGED = "engaged", _("engaged")
    COMPLETED = "completed", _("completed")
    DECLINED = "declined", _("declined by the person")
    UNREACHABLE = "unreachable", _("unreachable")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.CONTACTED,
    Status.ASSESSED,
    Status.PLAN_AGREED,
    Status.ENGAGED,
)
ENDED_STATUSES = (Status.COMPLETED, Status.DECLINED, Status.UNREACHABLE, Status.CLOSED)


class Source(models.TextChoices):
    PROFESSIONAL = "professional", _("professional referral")
    SELF = "self", _("self-referral")


class Referral(models.Model):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.PROFESSIONAL
    )
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referrer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
    )
    referring_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("referring organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    # Copied from the person at referral time: caseload filters and scope read it directly.
    comune = models.ForeignKey(
        Comune, verbose_name=_("comune"), on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.ManyToManyField(
        TaxonomyTerm, verbose_name=_("needs"), related_name="referrals", blank=True
    )
    reason_text = EncryptedTextField(_("reason for referral"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    risks = EncryptedTextField(_("known risks"), blank=True)
    has_safeguarding_flag = models.BooleanField(_("risk or safeguarding flag"), default=False)
    # When the person can take part, for matching: weekday codes (MO..SU) and parts of the day
    # (morning, afternoon, evening), comma-separated; blank means any.
    available_days = models.CharField(_("days available"), max_length=40, blank=True)
    available_times = models.CharField(_("times of day available"), max_length=40, blank=True)
    # The activity a person asking for help came from ("I am interested" on its page): a
    # starting point for the conversation, not an enrolment, and it holds no place.
    activity_of_interest = models.ForeignKey(
        Activity,
        verbose_name=_("activity of interest"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    link_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("link worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    first_contact_due = models.DateField(_("first contact due by"))
    first_contacted_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    what_matters = EncryptedTextField(_("what matters to the person"), blank=True)
    goals = EncryptedTextField(_("goals"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo referral"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["link_worker", "status"]),
            models.Index(fields=["comune", "status"]),
            # A link worker's own cases within their territory's comuni (the caseload's "mine").
            models.Index(fields=["comune", "link_worker"], name="referral_comune_worker"),
            models.Index(fields=["referring_organisation", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="referral_ended_has_closed_at",
                condition=~Q(status__in=[s.value for s in ENDED_STATUSES])
                | Q(closed_at__isnull=False),
            )
        ]

    def __str__(self):
        return f"{_('Referral')} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralEvent(models.Model):
    """One step of the timeline: who moved the referral from which status to which, when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_label = models.CharField(_("by"), max_length=254, blank=True)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


class CaseNote(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(_("author"), max_length=254, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    text = EncryptedTextField(_("note"))

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{_('Note')} {self.at:%Y-%m-%d}"


class EnrolmentStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the provider")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined by the provider")
    RETURNED = "returned", _("returned to the link worker")
    WITHDRAWN = "withdrawn", _("withdrawn")
    COMPLETED = "completed", _("completed")


# Enrolments that hold one of the activity's referral places.
HOLDING_PLACE = (EnrolmentStatus.PENDING, EnrolmentStatus.ACCEPTED)


class Enrolment(models.Model):
    """A referral sent to one activity of the directory."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="enrolments")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.PENDING,
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by_label = models.CharField(_("answered by"), max_length=254, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["activity", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "activity"],
                condition=Q(status__in=["pending", "accepted"]),
                name="enrolment_one_live_per_activity",
            )
        ]

    def __str__(self):
        return f"{self.referral} → {self.activity}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excused")


# More than this at one session is a typing slip, not a crowd at a reading group.
WALK_INS_MAX = 500


class Attendance(models.Model):
    """One line of a provider's session register. `status` says what happened; `present`
    stays beside it (what the counts of attendance read), and the database keeps the two in
    step: excused is not present."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session_date = models.DateField(_("session date"))
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    present = models.BooleanField(_("present"))
    recorded_by_label = models.CharField(_("recorded by"), max_length=254, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["-session_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session_date"], name="attendance_one_per_session"
            ),
            models.CheckConstraint(
                condition=Q(present=True, status="present")
                | Q(present=False, status__in=["absent", "excused"]),
                name="attendance_present_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.session_date}: {self.status}"


class SessionWalkIns(models.Model):
    """How many people came to one session of an activity without a referral (walk-ins): a
    number, never names. The register is kept for referred people; the others are counted so
    that the activity's reach is known without recording who they are."""

    activity = models.ForeignKey(
        "directory.Activity", on_delete=models.CASCADE, related_name="walk_ins"
    )
    session_date = models.DateField(_("session date"))
    count = models.PositiveSmallIntegerField(
        _("people without a referral"), validators=[MaxValueValidator(WALK_INS_MAX)]
    )
    recorded_by_label = models.CharField(_("recorded by"), max_length=254, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("walk-ins of a session")
        verbose_name_plural = _("walk-ins of sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "session_date"], name="walk_ins_one_per_session"
            ),
        ]

    def __str__(self):
        return f"{self.session_date}: {self.count}"


def _weight(label, default: int):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )


class ReferralSettings(models.Model):
    """Service levels and matching weights of one district (the defaults apply elsewhere)."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="referral_settings"
    )
    first_contact_working_days = models.PositiveSmallIntegerField(
        _("first contact within (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    provider_reminder_days = models.PositiveSmallIntegerField(
        _("remind the provider after (days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    provider_return_days = models.PositiveSmallIntegerField(
        _("return to the link worker after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    weight_need = _weight(_("weight: needs addressed"), 4)
    weight_distance = _weight(_("weight: distance"), 3)
    weight_schedule = _weight(_("weight: schedule fit"), 2)
    weight_cost = _weight(_("weight: cost"), 1)
    weight_access = _weight(_("weight: accessibility"), 2)
    weight_language = _weight(_("weight: language"), 1)
    weight_capacity = _weight(_("weight: places left"), 1)
    # Where the district's referrals count by default (impact, SROI, indicators): a prescriber
    # who names no programme refers into this one, when it covers the person's comune.
    default_programme = models.ForeignKey(
        Programme,
        verbose_name=_("default programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Referrals of the district count in this programme unless another is chosen."),
    )

    class Meta:
        verbose_name = _("referral settings")
        verbose_name_plural = _("referral settings")
        constraints = [
            models.CheckConstraint(
                name="referral_settings_return_after_reminder",
                condition=Q(provider_return_days__gt=models.F("provider_reminder_days")),
            )
        ]

    def __str__(self):
        return str(self.district)


# Goal-based outcomes ("che cosa conta per te"): their own file, the package's growth rule.
from .goals import (  # noqa: E402
    GOAL_TEXT_MAX,
    MAX_ACTIVE_GOALS,
    RATING_MAX,
    RATING_MIN,
    Goal,
    GoalRating,
)

__all__ = [
    "ENDED_STATUSES",
    "GOAL_TEXT_MAX",
    "HOLDING_PLACE",
    "MAX_ACTIVE_GOALS",
    "OPEN_STATUSES",
    "RATING_MAX",
    "RATING_MIN",
    "AccountLinkCode",
    "Attendance",
    "AttendanceStatus",
    "Beneficiary",
    "CaseNote",
    "Consent",
    "ConsentPurpose",
    "ContactChannel",
    "Enrolment",
    "EnrolmentStatus",
    "Gender",
    "Goal",
    "GoalRating",
    "Referral",
    "ReferralEvent",
    "ReferralSettings",
    "Source",
    "Status",
    "Urgency",
]
