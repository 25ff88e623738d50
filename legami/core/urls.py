from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("area-personale/", views.dashboard, name="dashboard"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("registro-accessi/", views.audit_log, name="audit_log"),
    path("healthz", views.healthz, name="healthz"),
]
