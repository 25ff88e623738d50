"""Routes of the spreadsheet import, included in the directory's urls (namespace "directory")."""

from django.urls import path

from . import views_import

import_urlpatterns = [
    path("importa/", views_import.import_upload, name="import_upload"),
    path("importa/modello/", views_import.import_template, name="import_template"),
    path("importa/conferma/", views_import.import_confirm, name="import_confirm"),
]
