"""The network back office: every change goes through network.services (checked, validated,
audited); what has no service is read-only, and people, being personal data, are read-only
with every record opened written to the access log."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from legami.core.admin import AuditedReadOnlyAdmin, ReadOnlyInline, ServiceAdmin, ServiceForm

from . import services
from .models import (
    BodyMember,
    Decision,
    Funding,
    GovernanceBody,
    Meeting,
    Membership,
    Organisation,
    Person,
    Programme,
    ProgrammePartner,
    Relationship,
)


class OrganisationAdminForm(ServiceForm):
    # As typed ("IT 00297960197"): the service normalises and checks the codes.
    tax_code = forms.CharField(label=_("codice fiscale"), max_length=20, required=False)
    vat_number = forms.CharField(label=_("partita IVA"), max_length=16, required=False)


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "sector", "comune", "tax_code", "runts_number")
    list_filter = ("sector",)
    search_fields = ("name", "tax_code", "vat_number")
    autocomplete_fields = ("comune",)
    list_select_related = ("comune__province",)
    fields = services.ORGANISATION_FIELDS
    create_service = staticmethod(services.organisation_create)
    update_service = staticmethod(services.organisation_update)


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ("organisation", "role_title", "start_date", "end_date")


@admin.register(Person)
class PersonAdmin(AuditedReadOnlyAdmin):
    list_display = ("last_name", "first_name", "email", "is_demo")
    search_fields = ("last_name", "first_name", "email")
    inlines = [MembershipInline]


@admin.register(Relationship)
class RelationshipAdmin(ServiceAdmin):
    list_display = ("source", "kind", "target", "start_date", "end_date")
    list_filter = ("kind",)
    list_select_related = ("source", "target")
    autocomplete_fields = ("source", "target")
    fields = ("source", "kind", "target", "start_date", "end_date", "description")
    create_service = staticmethod(services.relationship_create)


class PartnerInline(ReadOnlyInline):
    model = ProgrammePartner
    fields = ("organisation", "role")


class FundingInline(ReadOnlyInline):
    model = Funding
    fields = ("funder", "amount", "description")


@admin.register(Programme)
class ProgrammeAdmin(ServiceAdmin):
    list_display = ("name", "start_date", "end_date")
    search_fields = ("name",)
    inlines = [PartnerInline, FundingInline]
    autocomplete_fields = ("comuni",)
    fields = ("name", "description", "start_date", "end_date", "website", "comuni")
    create_service = staticmethod(services.programme_create)
    update_service = staticmethod(services.programme_update)


class BodyMemberInline(ReadOnlyInline):
    model = BodyMember
    fields = ("organisation", "seats")


class MeetingInline(ReadOnlyInline):
    model = Meeting
    fields = ("date", "comune", "agenda")
    show_change_link = True


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(ServiceAdmin):
    list_display = ("name", "kind", "programme")
    list_filter = ("kind",)
    list_select_related = ("programme",)
    search_fields = ("name",)
    inlines = [BodyMemberInline, MeetingInline]
    fields = ("programme", "name", "kind", "description")
    create_service = staticmethod(services.body_create)
    update_service = staticmethod(services.body_update)
    object_name = "body"

    def get_readonly_fields(self, request, obj=None):
        return ("programme",) if obj is not None else ()  # a body stays with its programme


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ("text", "owner", "due_date")


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    list_display = ("body", "date", "comune")
    list_select_related = ("body", "comune__province")
    date_hierarchy = "date"
    autocomplete_fields = ("comune", "attendees")
    fields = ("date", "comune", "agenda", "minutes", "attendees")
    inlines = [DecisionInline]
    update_service = staticmethod(services.meeting_update)
    delete_service = staticmethod(services.meeting_remove)
