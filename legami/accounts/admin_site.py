"""Django's admin, whose sign-in and sign-out are allauth's.

Django's own admin form checks the password alone: the back office, which reads every referral
and DPO export, would skip the second factor, allauth's throttle and the sign-in log. Its
sign-in page now sends to allauth's (password, then the second factor), and comes back.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


class AdminSite(admin.AdminSite):
    def _next(self, request) -> str:
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return reverse("admin:index", current_app=self.name)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(self._next(request))
            # Signed in without access to the back office: going to allauth's page would
            # send them straight back here.
            raise PermissionDenied
        query = urlencode({REDIRECT_FIELD_NAME: self._next(request)})
        return redirect(f"{reverse('account_login')}?{query}")

    @method_decorator(never_cache)
    def logout(self, request, extra_context=None):
        from allauth.account.views import LogoutView

        return LogoutView.as_view()(request)


class AdminConfig(DjangoAdminConfig):
    default_site = "legami.accounts.admin_site.AdminSite"
