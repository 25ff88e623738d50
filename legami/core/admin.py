from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .audit import audit, audit_shown
from .models import AuditEvent
from .tasks import RetryScheduled


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


# --- Tasks: the queue of e-mails (and, later, slow jobs) -------------------------------------
# django-tasks-db registers a read-only admin; this one says for each task what a person has
# to know (sent, waiting, retrying, failed for good), lists first what needs attention, and
# logs who looked: a refused message's traceback may name its recipient's address.
RETRY_SCHEDULED = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"


class TaskOutcomeFilter(admin.SimpleListFilter):
    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [
            ("attention", _("Failed: needs attention")),
            ("retrying", _("Attempt failed, another is queued")),
            ("waiting", _("Waiting")),
            ("done", _("Done")),
        ]

    def queryset(self, request, queryset):
        failed = queryset.filter(status=TaskResultStatus.FAILED)
        return {
            "attention": failed.exclude(exception_class_path=RETRY_SCHEDULED),
            "retrying": failed.filter(exception_class_path=RETRY_SCHEDULED),
            "waiting": queryset.filter(
                status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
            ),
            "done": queryset.filter(status=TaskResultStatus.SUCCESSFUL),
        }.get(self.value(), queryset)


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(AuditedReadOnlyAdmin, DBTaskResultAdmin):
    list_display = ("enqueued_at", "task_name", "outcome", "attempt", "display_run_after")
    list_filter = (TaskOutcomeFilter, "status", "queue_name")

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        if obj.status == TaskResultStatus.FAILED:
            if obj.exception_class_path == RETRY_SCHEDULED:
                return _("Attempt failed, another is queued")
            return _("Failed: needs attention")
        if obj.status == TaskResultStatus.SUCCESSFUL:
            return _("Done")
        return _("Running") if obj.status == TaskResultStatus.RUNNING else _("Waiting")

    @admin.display(description=_("attempt"))
    def attempt(self, obj):
        return (obj.args_kwargs.get("kwargs") or {}).get("attempt", 1)
