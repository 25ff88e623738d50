from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import Refusal


def _tile_origin() -> str:
    url = settings.MAP_TILE_URL
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}.", "*.")
    return f"{scheme}://{host}" if rest else ""


class SecurityHeadersMiddleware:
    """Content-Security-Policy without 'unsafe-inline', and no caching of personal pages.

    Every script and style is a static file, so the policy can forbid inline code entirely;
    a page that shows anything to a signed-in user is `no-store`, so shared caches and the
    browser's back button never keep someone's data.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        tiles = _tile_origin()
        self.csp = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                f"img-src 'self' data: {tiles}".strip(),
                # Bootstrap Italia's stylesheet carries one small icon font inline, as data.
                "font-src 'self' data:",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "frame-ancestors 'none'",
                "form-action 'self'",
            ]
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
            patch_vary_headers(response, ["Cookie"])
        return response


class RefusalMiddleware:
    """The HTML side's one mapping of a service's Refusal (core.errors) that a view did not
    show on a form: the message, and the page the person came from, with nothing changed.
    The API maps the same refusal to 409 in core.api."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refusal) or request.path.startswith("/api/"):
            return None
        messages.error(request, exception.message)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "/"
        if request.method == "GET" and back.endswith(request.get_full_path()):
            back = "/"  # the refused page itself would refuse again
        return HttpResponseRedirect(back)
