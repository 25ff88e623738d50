"""The territory back office. The geography is ISTAT's (loaded by `manage.py load_comuni`)
and read-only here; districts and jurisdictions are written by the module's services."""

from django.contrib import admin

from legami.core.admin import ServiceAdmin

from . import services
from .models import Comune, District, Jurisdiction, Province, Region


class OfficialDataAdmin(admin.ModelAdmin):
    """Read-only: a fix belongs in the official file, loaded again."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(OfficialDataAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code")


@admin.register(Province)
class ProvinceAdmin(OfficialDataAdmin):
    list_display = ("code", "name", "abbreviation", "region")
    list_filter = ("region",)
    search_fields = ("name", "abbreviation")


@admin.register(Comune)
class ComuneAdmin(OfficialDataAdmin):
    list_display = ("istat_code", "name", "province", "inner_area_class", "latitude", "longitude")
    list_filter = ("inner_area_class", "province__region")
    search_fields = ("name", "istat_code", "cadastral_code")
    list_select_related = ("province",)


@admin.register(District)
class DistrictAdmin(ServiceAdmin):
    list_display = ("name", "kind")
    fields = ("name", "kind", "description", "comuni")
    autocomplete_fields = ("comuni",)
    search_fields = ("name",)
    create_service = staticmethod(services.district_create)
    update_service = staticmethod(services.district_update)


@admin.register(Jurisdiction)
class JurisdictionAdmin(ServiceAdmin):
    """Granting an area is a new row, taking it away deletes it: a jurisdiction is never
    edited in place, so the audit log shows each grant and each revocation."""

    list_display = ("user", "region", "province", "district", "comune")
    list_select_related = ("user", "region", "province", "district", "comune__province")
    search_fields = ("user__email",)
    fields = ("user", "region", "province", "district", "comune")
    autocomplete_fields = ("user", "region", "province", "district", "comune")
    create_service = staticmethod(services.jurisdiction_grant)
    delete_service = staticmethod(services.jurisdiction_revoke)
