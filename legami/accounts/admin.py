"""The accounts back office. A role, the superuser flag or an account switched off decides
who reads personal data: every change goes through accounts.services (superusers only,
logged with the old and new value, never leaving the service without a superuser).
Accounts are switched off, never deleted: the log and the case notes point to them.
Passwords are their owners' (allauth's pages: change, or "forgotten password")."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from legami.core.admin import ServiceAdmin, ServiceForm

from . import services
from .models import User


class UserAddForm(ServiceForm):
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
        help_text=_(
            "Leave empty and the person chooses one with “Forgotten password” on the sign-in "
            "page, which also confirms the address is theirs."
        ),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("password1", "") != data.get("password2", ""):
            self.add_error("password2", _("The two passwords differ."))
        return data


@admin.register(User)
class UserAdmin(ServiceAdmin):
    ordering = ("email",)
    list_display = ("email", "role", "is_active", "is_staff", "is_demo", "last_login")
    list_filter = ("role", "is_active", "is_staff", "is_superuser", "is_demo")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Person"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Role"), {"fields": ("role", "is_active", "is_staff", "is_superuser", "is_demo")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("email", "role", "password1", "password2")}),
        (_("Person"), {"fields": ("first_name", "last_name", "preferred_language")}),
    )
    create_service = staticmethod(services.user_create)
    update_service = staticmethod(services.user_update)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("email", "last_login", "date_joined")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = UserAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def service_arguments(self, request, data, obj=None):
        data = dict(data)
        if obj is None:
            data["password"] = data.pop("password1", "")
            data.pop("password2", None)
        return data
