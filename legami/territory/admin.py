from django.contrib import admin

from legami.core.audit import audit

from .models import Comune, District, Jurisdiction, Province, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code")


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "abbreviation", "region")
    list_filter = ("region",)
    search_fields = ("name", "abbreviation")


@admin.register(Comune)
class ComuneAdmin(admin.ModelAdmin):
    list_display = ("istat_code", "name", "province", "inner_area_class", "latitude", "longitude")
    list_filter = ("inner_area_class", "province__region")
    search_fields = ("name", "istat_code", "cadastral_code")
    list_select_related = ("province",)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    autocomplete_fields = ("comuni",)
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        # Districts are written by territory.services in the pages and the API; the
        # back office is for staff fixing data, so it saves directly but still audits.
        super().save_model(request, obj, form, change)
        audit(by=request.user, action="update" if change else "create", obj=obj)


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "province", "district", "comune")
    autocomplete_fields = ("user", "comune", "district")
