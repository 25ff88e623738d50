"""Back office for social prescribing. People's records are read-only here: every change goes
through the same services as the pages and the API (actions below), and every view of a record
is written to the access log."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legami.core.admin import AuditedReadOnlyAdmin

from . import services
from .models import Beneficiary, Consent, Enrolment, Referral, ReferralEvent, ReferralSettings


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ("purpose", "text_version", "given_at", "recorded_by_label", "withdrawn_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Beneficiary)
class BeneficiaryAdmin(AuditedReadOnlyAdmin):
    list_display = ("pseudonym", "comune", "created_at", "anonymised_at", "is_demo")
    list_filter = ("is_demo", "anonymised_at")
    # No search on names here: a data-subject request goes through the DPO's page, which logs.
    fields = (
        "pseudonym",
        "first_name",
        "last_name",
        "birth_date",
        "comune",
        "preferred_contact",
        "self_declared",
        "possible_duplicate_of",
        "anonymised_at",
        "is_demo",
    )
    readonly_fields = fields
    inlines = [ConsentInline]
    actions = ["anonymise"]

    @admin.action(description=_("Anonymise the selected people (erasure request)"))
    def anonymise(self, request, queryset):
        done = 0
        for person in queryset:
            try:
                # The log keeps a reference, never words about the person: the day's date.
                services.subject_erase(
                    by=request.user,
                    beneficiary=person,
                    reason=f"back office {timezone.localdate():%Y-%m-%d}",
                )
                done += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        self.message_user(request, _("%(n)d people anonymised.") % {"n": done})


class EventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    fields = ("at", "by_label", "from_status", "to_status", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(AuditedReadOnlyAdmin):
    list_display = (
        "pk",
        "status",
        "comune",
        "urgency",
        "received_at",
        "first_contact_due",
        "link_worker",
    )
    list_filter = ("status", "urgency", "source", "is_demo")
    list_select_related = ("comune", "link_worker")
    fields = (
        "beneficiary",
        "source",
        "referring_organisation",
        "programme",
        "comune",
        "urgency",
        "status",
        "link_worker",
        "received_at",
        "first_contact_due",
        "first_contacted_at",
        "closed_at",
        "closure_reason",
    )
    readonly_fields = fields
    inlines = [EventInline]


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedReadOnlyAdmin):
    list_display = ("pk", "activity", "status", "sent_at", "responded_at")
    list_filter = ("status",)
    list_select_related = ("activity",)
    fields = ("referral", "activity", "status", "sent_at", "responded_at", "decline_reason")
    readonly_fields = fields


@admin.register(ReferralSettings)
class ReferralSettingsAdmin(AuditedReadOnlyAdmin):
    """Read here; territory administrators change them on their page, which checks scope."""

    list_display = (
        "district",
        "first_contact_working_days",
        "provider_reminder_days",
        "provider_return_days",
    )
