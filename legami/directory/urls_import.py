"""Routes of the spreadsheet and HSDS imports and of the HSDS download, included in the
directory's urls (namespace "directory")."""

from django.urls import path

from .views import hsds as views_hsds
from .views import imports as views_import

import_urlpatterns = [
    path("importa/", views_import.import_upload, name="import_upload"),
    path("importa/modello/", views_import.import_template, name="import_template"),
    path("importa/conferma/", views_import.import_confirm, name="import_confirm"),
    path("hsds/importa/", views_hsds.hsds_import_upload, name="hsds_import_upload"),
    path("hsds/importa/conferma/", views_hsds.hsds_import_confirm, name="hsds_import_confirm"),
    path("hsds/esporta/", views_hsds.hsds_export, name="hsds_export"),
]
