from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, views

app_name = "network"

router = SimpleRouter()
router.register("organisations", api.OrganisationViewSet, basename="api-organisation")
router.register("relationships", api.RelationshipViewSet, basename="api-relationship")
router.register("programmes", api.ProgrammeViewSet, basename="api-programme")
router.register("people", api.PersonViewSet, basename="api-person")
router.register("bodies", api.BodyViewSet, basename="api-body")
router.register("body-members", api.BodyMemberViewSet, basename="api-body-member")
router.register("meetings", api.MeetingViewSet, basename="api-meeting")
router.register("decisions", api.DecisionViewSet, basename="api-decision")
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
    path("organi/<int:pk>/modifica/", views.body_edit, name="body_edit"),
    path("organi/<int:pk>/membri/", views.body_member_add, name="body_member_add"),
    path("organi/membri/<int:pk>/modifica/", views.body_member_edit, name="body_member_edit"),
    path("organi/membri/<int:pk>/rimuovi/", views.body_member_remove, name="body_member_remove"),
    path("organi/<int:pk>/riunioni/", views.meeting_add, name="meeting_add"),
    path("riunioni/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("riunioni/<int:pk>/modifica/", views.meeting_edit, name="meeting_edit"),
    path("riunioni/<int:pk>/rimuovi/", views.meeting_remove, name="meeting_remove"),
    path("riunioni/<int:pk>/decisioni/", views.decision_add, name="decision_add"),
    path("decisioni/<int:pk>/modifica/", views.decision_edit, name="decision_edit"),
    path("decisioni/<int:pk>/rimuovi/", views.decision_remove, name="decision_remove"),
]
