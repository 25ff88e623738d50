from django.urls import path

from . import api, views

app_name = "learning"

api_urlpatterns = api.router.urls

urlpatterns = [
    path("", views.index, name="index"),
    path("archivio/", views.archive, name="archive"),
    path("sessioni/<int:pk>/", views.session, name="session"),
    path("sessioni/<int:pk>/calendario.ics", views.session_calendar, name="session_calendar"),
    path("mie-iscrizioni/", views.mine, name="mine"),
    path("gestione/", views.manage, name="manage"),
    path("gestione/sessioni/<int:pk>/", views.session_manage, name="session_manage"),
    path("gestione/sessioni/<int:pk>/annulla/", views.session_cancel, name="session_cancel"),
    path(
        "gestione/iscrizioni/<int:pk>/annulla/",
        views.registration_cancel,
        name="registration_cancel",
    ),
]
