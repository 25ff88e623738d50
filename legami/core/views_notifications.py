"""The signed-in user's in-app notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import Notification
from .views_helpers import paginate


@require_GET
@login_required
def notifications(request):
    mine = Notification.objects.filter(user=request.user).order_by("-at", "-id")
    return render(
        request,
        "core/notifications.html",
        {
            "page_obj": paginate(request, mine, per_page=25),
            "unread_count": mine.filter(read_at__isnull=True).count(),
        },
    )


@require_POST
@login_required
def notifications_read_all(request):
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("core:notifications")
