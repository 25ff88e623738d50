from django.urls import path

from . import api, views
from .views import builder as views_builder
from .views import evidence as views_evidence
from .views import indicators as views_indicators
from .views import sroi as views_sroi
from .views import surveys as views_surveys

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
    path("questionari/", views_builder.questionnaires, name="questionnaires"),
    path("questionari/<int:pk>/", views_builder.questionnaire, name="questionnaire"),
    path("questionari/<int:pk>/sezioni/", views_builder.section_add, name="section_add"),
    path("questionari/<int:pk>/domande/", views_builder.item_add, name="item_add"),
    path("questionari/<int:pk>/pubblica/", views_builder.publish, name="publish"),
    path("questionari/<int:pk>/copia/", views_builder.copy, name="copy"),
    path("domande/<int:pk>/rimuovi/", views_builder.item_remove, name="item_remove"),
    path("domande/<int:pk>/sposta/", views_builder.item_move, name="item_move"),
    path("indagini/", views_surveys.surveys, name="surveys"),
    path("indagini/<int:pk>/", views_surveys.survey, name="survey"),
    path("indagini/da-compilare/", views_surveys.surveys_to_answer, name="surveys_to_answer"),
    path("indagini/<int:pk>/rispondi/", views_surveys.survey_answer, name="survey_answer"),
    path("organizzazioni/", views_indicators.organisations, name="organisations"),
    path(
        "organizzazioni/indicatori/<int:pk>/valori/",
        views_indicators.reading_add,
        name="reading_add",
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
    # Event feedback: one public address per survey, printed as a QR code at the event.
    path("e/<str:token>/", views_surveys.feedback, name="feedback"),
]
