"""The product's URLs plus one minimal view, for benchmarks only (never in legami.urls)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from legami.urls import handler400, handler403, handler404, handler500  # noqa: F401
from legami.urls import urlpatterns as product_urlpatterns


def minimal(request):
    """The floor: a request through the whole middleware stack that does no work."""
    return HttpResponse("ok")


def layout(request):
    """The product's page layout with nothing in it: base.html, its context processors and
    menus. Not the floor the targets refer to, but what every HTML page pays on top of it."""
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/minimal/", minimal, name="bench-minimal"),
    path("bench/layout/", layout, name="bench-layout"),
    *product_urlpatterns,
]
