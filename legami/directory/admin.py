"""The directory back office shows; the pages write. Listings, places, timetables, costs and
terms each have their page under /attivita/ (their services check the organisation's
providers and the territory's administrators, keep the search index and cached vocabulary
fresh, and log each write); the back office would skip all three. Status changes of a
selection remain, as actions calling the same service."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from legami.core.admin import ReadOnlyAdmin, ReadOnlyInline

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


class ScheduleInline(ReadOnlyInline):
    model = Schedule
    fields = services.SCHEDULE_FIELDS


class CostOptionInline(ReadOnlyInline):
    model = CostOption
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
class ActivityAdmin(ReadOnlyAdmin):
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
    list_select_related = ("organisation", "place__comune")
    inlines = [ScheduleInline, CostOptionInline]
    actions = [
        _set_status(s)
        for s in (ActivityStatus.PUBLISHED, ActivityStatus.SUSPENDED, ActivityStatus.ARCHIVED)
    ]


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "comune", "wheelchair_access")
    search_fields = ("name", "organisation__name", "comune__name")
    list_select_related = ("organisation", "comune")


@admin.register(Taxonomy)
class TaxonomyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "name_en", "name_fr")


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(ReadOnlyAdmin):
    list_display = ("code", "taxonomy", "name", "name_en", "name_fr", "parent")
    list_filter = ("taxonomy",)
    search_fields = ("code", "name", "name_en", "name_fr")


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(ReadOnlyAdmin):
    list_display = ("schedule", "date", "reason")
