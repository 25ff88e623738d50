from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from legami.core import views as core_views
from legami.directory.urls import api_urlpatterns as directory_api
from legami.learning.urls import api_urlpatterns as learning_api
from legami.network.urls import api_urlpatterns as network_api
from legami.outcomes.urls import api_urlpatterns as outcomes_api
from legami.outcomes.urls import public_urlpatterns as outcomes_public
from legami.referrals.urls import api_urlpatterns as referrals_api
from legami.territory.urls import api_urlpatterns as territory_api

admin.site.site_header = "Legami · back office"
admin.site.site_title = "Legami"

api_v1 = [
    path("territory/", include(territory_api)),
    path("network/", include(network_api)),
    path("directory/", include(directory_api)),
    path("referrals/", include(referrals_api)),
    path("outcomes/", include(outcomes_api)),
    path("learning/", include(learning_api)),
]

urlpatterns = [
    path("", include("legami.core.urls")),
    path("territorio/", include("legami.territory.urls")),
    path("rete/", include("legami.network.urls")),
    path("attivita/", include("legami.directory.urls")),
    path("invii/", include("legami.referrals.urls")),
    path("impatto/", include("legami.outcomes.urls")),
    path("formazione/", include("legami.learning.urls")),
    path("q/", include((outcomes_public, "outcomes"), namespace="outcomes_public")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/hsds/", include("legami.directory.hsds.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = core_views.error_400
handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
