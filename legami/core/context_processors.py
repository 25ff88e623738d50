from django.conf import settings

from .roles import effective_role


def legami(request):
    return {
        "legami_role": effective_role(getattr(request, "user", None)),
        "legami_demo": settings.LEGAMI_DEMO,
    }
