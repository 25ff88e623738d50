from django.contrib import admin

from .audit import audit, audit_shown
from .models import AuditEvent


class AuditedReadOnlyAdmin(admin.ModelAdmin):
    """Back office for records about people: read-only (changes go through the modules'
    services, as actions), and every list and every record opened is written to the access
    log."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if obj is not None and response.status_code == 200:
            audit(by=request.user, action="view", obj=obj, purpose="back office")
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # The rows of this page of the list, one log row each (the people it showed).
            audit_shown(by=request.user, purpose="back office", objects=changelist.result_list)
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "actor_label",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "person_id",
    )
    list_filter = ("action", "actor_role", "object_type")
    search_fields = ("actor_label", "object_id", "object_repr", "purpose")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
