from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "actor_role", "action", "object_type", "object_id")
    list_filter = ("action", "actor_role", "object_type")
    search_fields = ("actor_label", "object_id", "object_repr", "purpose")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
