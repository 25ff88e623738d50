from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
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

# As on the pages (forms.py): a web address typed without a scheme is https.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ScheduleInlineForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        if not self.errors:  # the rule is checked once each of its fields is readable
            services.check_schedule({k: data[k] for k in services.SCHEDULE_FIELDS if k in data})
        return data


class ScheduleInline(admin.TabularInline):
    model = Schedule
    form = ScheduleInlineForm
    extra = 0
    fields = services.SCHEDULE_FIELDS


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


class ActivityAdminForm(forms.ModelForm):
    """The back office checks a listing with the services' own rules."""

    def clean(self):
        data = super().clean()
        if data.get("languages") is not None:
            data["languages"] = services.normalise_languages(data["languages"])
        services.check_activity(data)
        services.check_activity_place(data.get("organisation"), data.get("place"))
        return data


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
    form = ActivityAdminForm
    formfield_overrides = URL_FIELDS
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
        fields = ["organisation", *services.PLACE_FIELDS]

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


class TaxonomyTermAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        if data.get("taxonomy") is not None and data.get("code") is not None:
            data["code"] = services.check_term(
                taxonomy=data["taxonomy"],
                code=data["code"],
                parent=data.get("parent"),
                term=self.instance,
            )
        return data


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    """Terms are saved through services.taxonomy_term_save, so the search page's cached
    vocabulary is renewed; deleting one renews it too."""

    list_display = ("code", "taxonomy", "name", "name_en", "name_fr", "parent")
    list_filter = ("taxonomy",)
    search_fields = ("code", "name", "name_en", "name_fr")
    form = TaxonomyTermAdminForm
    formfield_overrides = URL_FIELDS

    def save_model(self, request, obj, form, change):
        services.taxonomy_term_save(
            by=request.user,
            term=obj,
            taxonomy=obj.taxonomy,
            code=obj.code,
            name=obj.name,
            name_en=obj.name_en,
            name_fr=obj.name_fr,
            description=obj.description,
            parent=obj.parent,
        )

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.vocabulary_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.vocabulary_changed()


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(admin.ModelAdmin):
    list_display = ("schedule", "date", "reason")
