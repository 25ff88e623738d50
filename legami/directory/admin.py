from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Activity,
    ActivityStatus,
    CostOption,
    Place,
    Schedule,
    ScheduleException,
    Taxonomy,
    TaxonomyTerm,
)


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0
    fields = (
        "freq",
        "interval",
        "byday",
        "bymonthday",
        "opens_at",
        "closes_at",
        "valid_from",
        "valid_to",
        "description",
    )


class CostOptionInline(admin.TabularInline):
    model = CostOption
    extra = 0
    fields = ("label", "amount", "valid_from", "valid_to")


def _set_status(status):
    def action(modeladmin, request, queryset):
        changed = 0
        for activity in queryset:
            try:
                services.activity_set_status(
                    by=request.user,
                    activity=activity,
                    status=status,
                    note=str(_("Changed from the back office.")),
                )
                changed += 1
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{activity}: {' '.join(error.messages)}", messages.WARNING
                )
        modeladmin.message_user(request, _("%(n)d listings changed.") % {"n": changed})

    action.__name__ = f"make_{status}"
    action.short_description = _("Set status: %(status)s") % {
        "status": ActivityStatus(status).label
    }
    return action


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Back office: edits go through the same derived-field refresh as the pages, and status
    changes through the same service (with its transition rules and audit)."""

    list_display = (
        "name",
        "organisation",
        "place",
        "status",
        "last_verified_on",
        "next_session_at",
    )
    list_filter = ("status", "is_free", "accepts_referrals")
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ("organisation", "place", "terms")
    list_select_related = ("organisation", "place__comune")
    readonly_fields = ("status", "is_free", "next_session_at", "hsds_id", "extra")
    inlines = [ScheduleInline, CostOptionInline]
    actions = [
        _set_status(s)
        for s in (ActivityStatus.PUBLISHED, ActivityStatus.SUSPENDED, ActivityStatus.ARCHIVED)
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.reindex(form.instance)


class PlaceAdminForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = [
            "organisation",
            "name",
            "description",
            "address",
            "postcode",
            "comune",
            "latitude",
            "longitude",
            "wheelchair_access",
            "hearing_access",
            "sight_access",
            "accessibility_notes",
            "transport_notes",
        ]

    def clean(self):
        data = super().clean()
        services.check_coordinates(data.get("latitude"), data.get("longitude"))
        return data


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "comune", "wheelchair_access")
    search_fields = ("name", "organisation__name", "comune__name")
    autocomplete_fields = ("organisation", "comune")
    list_select_related = ("organisation", "comune")
    readonly_fields = ("hsds_id", "extra")
    form = PlaceAdminForm


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "name_fr")


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ("code", "taxonomy", "name", "name_en", "name_fr", "parent")
    list_filter = ("taxonomy",)
    search_fields = ("code", "name", "name_en", "name_fr")


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(admin.ModelAdmin):
    list_display = ("schedule", "date", "reason")
