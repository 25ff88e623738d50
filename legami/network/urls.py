from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, views

app_name = "network"

router = SimpleRouter()
router.register("organisations", api.OrganisationViewSet, basename="api-organisation")
router.register("relationships", api.RelationshipViewSet, basename="api-relationship")
router.register("programmes", api.ProgrammeViewSet, basename="api-programme")
router.register("people", api.PersonViewSet, basename="api-person")
api_urlpatterns = router.urls

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organizzazioni/nuova/", views.organisation_create, name="organisation_create"),
    path("organizzazioni/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organizzazioni/<int:pk>/modifica/", views.organisation_edit, name="organisation_edit"),
    path(
        "organizzazioni/<int:pk>/relazioni/nuova/",
        views.relationship_create,
        name="relationship_create",
    ),
    path("persone/", views.person_list, name="person_list"),
    path("persone/nuova/", views.person_create, name="person_create"),
    path("persone/<int:pk>/", views.person_detail, name="person_detail"),
    path("persone/<int:pk>/modifica/", views.person_edit, name="person_edit"),
    path("programmi/", views.programme_list, name="programme_list"),
    path("programmi/nuovo/", views.programme_create, name="programme_create"),
    path("programmi/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmi/<int:pk>/modifica/", views.programme_edit, name="programme_edit"),
    path("programmi/<int:pk>/partner/", views.partner_add, name="partner_add"),
    path("programmi/<int:pk>/finanziamenti/", views.funding_add, name="funding_add"),
    path("programmi/<int:pk>/organi/nuovo/", views.body_create, name="body_create"),
    path("organi/<int:pk>/", views.body_detail, name="body_detail"),
    path("organi/<int:pk>/membri/", views.body_member_add, name="body_member_add"),
    path("organi/<int:pk>/riunioni/", views.meeting_add, name="meeting_add"),
]
