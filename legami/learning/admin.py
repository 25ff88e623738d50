from django.contrib import admin

from legami.core.admin import AuditedReadOnlyAdmin

from .models import Course, Registration, TrainingSession


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "organiser"]
    search_fields = ["title"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["course", "title", "starts_at", "comune", "capacity"]
    list_filter = ["course"]
    raw_id_fields = ["comune"]


@admin.register(Registration)
class RegistrationAdmin(AuditedReadOnlyAdmin):
    list_display = ["session", "last_name", "first_name", "status", "attended"]
    list_filter = ["status"]
