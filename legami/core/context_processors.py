from functools import cache

from django.conf import settings

from .privacy import SMALL_CELL
from .roles import effective_role


def legami(request):
    user = getattr(request, "user", None)

    @cache
    def legami_menu():
        # Built only by templates that show the header (not by HTMX fragments).
        from .modules import menu_for

        return menu_for(user, request.path)

    return {
        "legami_role": effective_role(user),
        "legami_menu": legami_menu,
        "legami_demo": settings.LEGAMI_DEMO,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        # Templates say "fewer than {{ small_cell }}" from the one threshold (core.privacy).
        "small_cell": SMALL_CELL,
    }


def notifications(request):
    """The signed-in user's unread count for the header, counted only if a template shows it
    (and once per page); anonymous visitors cost no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread_notifications():
        from .models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"unread_notifications": unread_notifications}
