from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, views
from .urls_import import import_urlpatterns
from .views import manage as views_manage

app_name = "directory"

router = SimpleRouter()
router.register("activities", api.ActivityViewSet, basename="api-activity")
router.register("places", api.PlaceViewSet, basename="api-place")
router.register("taxonomy-terms", api.TermViewSet, basename="api-term")
api_urlpatterns = router.urls

urlpatterns = [
    path("", views.search, name="search"),
    path("mappa.json", views.map_points, name="map_points"),
    path("comuni/", views.comuni_options, name="comuni_options"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/calendario.ics", views.activity_calendar, name="activity_calendar"),
    path("gestione/", views_manage.manage, name="manage"),
    path("nuova/", views_manage.activity_create, name="activity_create"),
    path("<int:pk>/modifica/", views_manage.activity_edit, name="activity_edit"),
    path("<int:pk>/stato/", views_manage.activity_status, name="activity_status"),
    path("<int:pk>/verifica/", views_manage.activity_verify, name="activity_verify"),
    path("<int:pk>/orari/", views_manage.schedule_add, name="schedule_add"),
    path("<int:pk>/costi/", views_manage.cost_add, name="cost_add"),
    path("orari/<int:pk>/elimina/", views_manage.schedule_remove, name="schedule_remove"),
    path("orari/<int:pk>/eccezioni/", views_manage.exception_add, name="exception_add"),
    path("costi/<int:pk>/elimina/", views_manage.cost_remove, name="cost_remove"),
    path("luoghi/", views_manage.place_list, name="place_list"),
    path("luoghi/nuovo/", views_manage.place_create, name="place_create"),
    path("luoghi/<int:pk>/modifica/", views_manage.place_edit, name="place_edit"),
    path("tassonomia/", views_manage.taxonomy, name="taxonomy"),
    path("tassonomia/nuovo/", views_manage.term_create, name="term_create"),
    path("tassonomia/<int:pk>/modifica/", views_manage.term_edit, name="term_edit"),
    path("copertura/", views_manage.coverage, name="coverage"),
    *import_urlpatterns,
]
