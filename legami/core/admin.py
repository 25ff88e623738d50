"""The back office's shapes, so that the admin never writes around a service.

- ``ReadOnlyAdmin``: a model that has its own pages (and services) in the product, or is
  official data loaded from its file; the back office shows it, and its actions, if any,
  call services.
- ``AuditedReadOnlyAdmin``: records about people, read-only, every list and record opened
  written to the access log.
- ``ServiceAdmin``: a model whose add, change and delete each call the module's service (which
  checks who may, validates, writes its audit row, atomically); whatever has no service named
  is read-only. Inlines under it must be read-only too (``ReadOnlyInline``).
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .audit import audit, audit_shown
from .errors import Refusal
from .models import AuditEvent
from .tasks import RetryScheduled
from .views_helpers import add_service_errors


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: the product's pages write it through its services (which
    check who may and log it); an action on the list may call one of those services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedReadOnlyAdmin(ReadOnlyAdmin):
    """Back office for records about people: read-only (changes go through the modules'
    services, as actions), and every list and every record opened is written to the access
    log."""

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


class ServiceForm(forms.ModelForm):
    """A model form whose saving is a service call, made while the form is validated so that
    the service's refusals are shown on the form like any other error: a field's beside it, a
    state that forbids the change at the top. The model's own validation is skipped: the
    service is the one place that validates (it may normalise a value the model would refuse,
    e.g. "IT" before a partita IVA). A wrong role or an object out of scope propagates (403,
    404)."""

    service_call: Callable[[dict], object] | None = None

    def _post_clean(self):
        if self._errors or self.service_call is None:
            return
        try:
            self.instance = self.service_call(self.cleaned_data)
        except ValidationError as error:
            add_service_errors(self, error)
        except Refusal as refusal:
            self.add_error(None, refusal.message)


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin that writes only through services. Name them on the subclass:

    - ``create_service(*, by, **fields)``: called with the form's cleaned fields;
    - ``update_service(*, by, <object_name>=obj, **fields)``;
    - ``delete_service(*, by, <object_name>=obj)``;

    where ``object_name`` defaults to the model's name ("jurisdiction", "district"). Leave one
    out and that operation is not offered (a change page without a service is read-only). To
    adapt the form's fields to the service's arguments, override ``service_arguments``. The
    service decides who may: a staff member whom Django's model permissions let in but the
    module's policy does not gets 403, and nothing is written. Django's own change history
    (LogEntry) is still kept; the service writes the audit row that counts.

    Wrap the service in ``staticmethod`` when assigning it, as with any function attribute.
    """

    form = ServiceForm
    # As on the pages: "comune.example.it" is an https address.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    create_service: Callable | None = None
    update_service: Callable | None = None
    delete_service: Callable | None = None
    object_name: str = ""

    def _object_keyword(self) -> str:
        return self.object_name or self.model._meta.model_name

    def service_arguments(self, request, data: dict, obj=None) -> dict:
        """The service's keyword arguments for the form's cleaned `data`."""
        return dict(data)

    def has_add_permission(self, request):
        return self.create_service is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.update_service is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.delete_service is not None and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        def call(data):
            arguments = self.service_arguments(request, data, obj)
            if obj is None:
                return self.create_service(by=request.user, **arguments)
            return self.update_service(
                by=request.user, **{self._object_keyword(): obj}, **arguments
            )

        return type(form_class.__name__, (form_class,), {"service_call": staticmethod(call)})

    def save_form(self, request, form, change):
        return form.instance  # already saved by the service while the form was validated

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        # The service set the many-to-many fields it was given; inlines are read-only, so
        # nothing of theirs is saved (Django's change message still reads what was).
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        self.delete_service(by=request.user, **{self._object_keyword(): obj})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows related rows without writing them (they have their own pages and
    services)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
