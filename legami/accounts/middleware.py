from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from legami.core.roles import PERSONAL_DATA_ROLES, effective_role

# Paths a user without a second factor may still reach: setting it up, signing out,
# static files, the health check and the language switch.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")


class RequireSecondFactorMiddleware:
    """Roles that handle personal data may do nothing until they enable TOTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.LEGAMI_REQUIRE_MFA
            and user.is_authenticated
            and effective_role(user) in PERSONAL_DATA_ROLES
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"detail": _("Enable two-factor authentication to use this service.")},
                    status=403,
                )
            messages.warning(
                request,
                _("Your role handles personal data: enable two-factor authentication to go on."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
