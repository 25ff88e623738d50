from django.urls import path

from . import views, views_notifications

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("area-personale/", views.dashboard, name="dashboard"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("registro-accessi/", views.audit_log, name="audit_log"),
    path("healthz", views.healthz, name="healthz"),
    path("notifiche/", views_notifications.notifications, name="notifications"),
    path(
        "notifiche/lette/",
        views_notifications.notifications_read_all,
        name="notifications_read_all",
    ),
]
