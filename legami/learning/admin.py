"""The training back office shows; the pages under /formazione/gestione/ write, through the
services that check who runs a course and log each change. Registrations are personal data:
every list and record opened is written to the access log."""

from django.contrib import admin

from legami.core.admin import AuditedReadOnlyAdmin, ReadOnlyAdmin

from .models import Course, Registration, TrainingSession


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "organiser"]
    search_fields = ["title"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["course", "title", "starts_at", "comune", "capacity"]
    list_filter = ["course"]


@admin.register(Registration)
class RegistrationAdmin(AuditedReadOnlyAdmin):
    list_display = ["session", "last_name", "first_name", "status", "attended"]
    list_filter = ["status"]
