from django.urls import path

from . import api, views, views_evidence, views_sroi

app_name = "outcomes"

api_urlpatterns = api.router.urls

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tabelle.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("rapporto.pdf", views.dashboard_pdf, name="dashboard_pdf"),
    path("da-somministrare/", views.due, name="due"),
    path("priorita/", views.priorities, name="priorities"),
    path("evidenze/", views_evidence.evidence, name="evidence"),
    path("evidenze/codici/", views_evidence.code_add, name="code_add"),
    path("sroi/", views_sroi.sroi_list, name="sroi_list"),
    path("sroi/<int:pk>/", views_sroi.sroi_detail, name="sroi_detail"),
    path(
        "sroi/esiti/<int:pk>/rimuovi/", views_sroi.sroi_outcome_remove, name="sroi_outcome_remove"
    ),
    path("invii/<int:pk>/", views.person, name="person"),
    path("invii/<int:pk>/compila/", views.record, name="record"),
    path("invii/<int:pk>/link/", views.link_create, name="link_create"),
    path("ricerca/risposte.csv", views.research_csv, name="research_csv"),
    path("grazie/", views.answer_done, name="answer_done"),
]

# Short, outside /impatto/: typed from paper or opened from a QR code on a phone.
public_urlpatterns = [
    path("<str:token>/", views.answer, name="answer"),
]
