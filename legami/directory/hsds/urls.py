"""Routes of the HSDS API, mounted at /api/hsds/. No trailing slash: the paths are the ones the
HSDS OpenAPI description names (/services, /services/{id}, ...)."""

from django.urls import path

from . import api

app_name = "hsds"

RESOURCES = (
    ("services", "service", api.ServiceViewSet),
    ("organizations", "organization", api.OrganizationViewSet),
    ("service_at_locations", "service_at_location", api.ServiceAtLocationViewSet),
    ("taxonomies", "taxonomy", api.TaxonomyViewSet),
    ("taxonomy_terms", "taxonomy_term", api.TaxonomyTermViewSet),
)

urlpatterns = [path("", api.RootViewSet.as_view({"get": "list"}), name="root")]
for route, name, viewset in RESOURCES:
    urlpatterns += [
        path(route, viewset.as_view({"get": "list"}), name=f"{name}-list"),
        path(f"{route}/<uuid:id>", viewset.as_view({"get": "retrieve"}), name=f"{name}-detail"),
    ]
