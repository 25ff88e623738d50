"""Routes of the HSDS API, mounted at /api/hsds/. The documented paths are the ones the HSDS
OpenAPI description names (/services, /services/{id}, ...); each also answers with a trailing
slash, as clients built for Django-style APIs ask (/services/), without a redirect."""

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


def _undocumented(view):
    """The same view behind a plain function: the schema generator lists only DRF views, so
    the slashed twin is served without appearing as a second operation. Unnamed, so reverse()
    and the access matrix keep to the documented path."""

    def slashed(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    slashed.csrf_exempt = True
    return slashed


urlpatterns = [path("", api.RootViewSet.as_view({"get": "list"}), name="root")]
for route, name, viewset in RESOURCES:
    listing = viewset.as_view({"get": "list"})
    detail = viewset.as_view({"get": "retrieve"})
    urlpatterns += [
        path(route, listing, name=f"{name}-list"),
        path(f"{route}/", _undocumented(listing)),
        path(f"{route}/<uuid:id>", detail, name=f"{name}-detail"),
        path(f"{route}/<uuid:id>/", _undocumented(detail)),
    ]
