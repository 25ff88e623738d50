from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, views

app_name = "territory"

router = SimpleRouter()
router.register("regions", api.RegionViewSet, basename="api-region")
router.register("provinces", api.ProvinceViewSet, basename="api-province")
router.register("comuni", api.ComuneViewSet, basename="api-comune")
router.register("districts", api.DistrictViewSet, basename="api-district")
api_urlpatterns = router.urls

urlpatterns = [
    path("", views.region_list, name="region_list"),
    path("regioni/<str:code>/", views.region_detail, name="region_detail"),
    path("province/<str:code>/", views.province_detail, name="province_detail"),
    path("comuni/", views.comune_list, name="comune_list"),
    path("comuni/<str:istat_code>/", views.comune_detail, name="comune_detail"),
    path("distretti/", views.district_list, name="district_list"),
    path("distretti/nuovo/", views.district_create, name="district_create"),
    path("distretti/<int:pk>/", views.district_detail, name="district_detail"),
    path("distretti/<int:pk>/modifica/", views.district_edit, name="district_edit"),
]
