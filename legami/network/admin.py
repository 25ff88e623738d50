from django.contrib import admin

from .models import (
    BodyMember,
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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation", "person")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "comune", "tax_code", "runts_number")
    list_filter = ("sector",)
    search_fields = ("name", "tax_code", "vat_number")
    autocomplete_fields = ("comune",)
    list_select_related = ("comune__province",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "email", "is_demo")
    search_fields = ("last_name", "first_name", "email")
    inlines = [MembershipInline]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ("source", "kind", "target", "start_date", "end_date")
    list_filter = ("kind",)
    autocomplete_fields = ("source", "target")


class PartnerInline(admin.TabularInline):
    model = ProgrammePartner
    extra = 0
    autocomplete_fields = ("organisation",)


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ("funder",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "start_date", "end_date")
    search_fields = ("name",)
    inlines = [PartnerInline, FundingInline]
    autocomplete_fields = ("comuni",)


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    autocomplete_fields = ("organisation", "person")


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    autocomplete_fields = ("comune",)


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "programme")
    list_filter = ("kind",)
    inlines = [BodyMemberInline, MeetingInline]
