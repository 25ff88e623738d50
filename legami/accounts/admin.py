"""The accounts back office. A role, the superuser flag or an account switched off decides
who reads personal data: every change goes through accounts.services (superusers only,
logged with the old and new value, never leaving the service without a superuser).
Accounts are switched off, never deleted: the log and the case notes point to them.
Passwords are their owners' (allauth's pages: change, or "forgotten password").

allauth's addresses and second factors are shown read-only, with the two acts the back office
needs as actions calling the services: vouch for an address, remove a lost second factor.
Django's groups are not shown: access comes from the role (each module's policy), and a
group edited here would grant model permissions with no row in the log."""

import allauth.mfa.admin  # noqa: F401 - registered first, so that it can be replaced below
import django.contrib.auth.admin  # noqa: F401 - likewise, for Group
from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from legami.core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceForm

from . import services
from .models import User

admin.site.unregister(Group)
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)


class UserAddForm(ServiceForm):
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
        help_text=_(
            "Leave empty and the person chooses one with “Forgotten password” on the sign-in "
            "page; their address is confirmed when they first sign in."
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


@admin.register(EmailAddress)
class SignInAddressAdmin(ReadOnlyAdmin, EmailAddressAdmin):
    list_display = ("email", "user", "primary", "verified")
    actions = ["confirm"]

    @admin.action(description=_("Confirm the account's sign-in address"))
    def confirm(self, request, queryset):
        users = {address.user for address in queryset.select_related("user")}
        for user in users:
            services.email_address_confirm(by=request.user, user=user)
        self.message_user(request, _("%(n)d addresses confirmed.") % {"n": len(users)})


@admin.register(Authenticator)
class SecondFactorAdmin(ReadOnlyAdmin):
    # Not its data: a TOTP secret or recovery codes would sign in as the person.
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    fields = ("user", "type", "created_at", "last_used_at")
    actions = ["remove"]

    @admin.action(description=_("Remove these people's second factor (lost device)"))
    def remove(self, request, queryset):
        users = {authenticator.user for authenticator in queryset.select_related("user")}
        for user in users:
            services.second_factor_remove(by=request.user, user=user)
        self.message_user(request, _("%(n)d second factors removed.") % {"n": len(users)})
