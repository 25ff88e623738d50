from django.conf import settings

from .roles import effective_role


def legami(request):
    return {
        "legami_role": effective_role(getattr(request, "user", None)),
        "legami_demo": settings.LEGAMI_DEMO,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
