from django.urls import path

from . import api
from .views import cases as views_cases
from .views import documents as views_documents
from .views import identity as views_identity
from .views import public as views_public

app_name = "referrals"

api_urlpatterns = api.router.urls

urlpatterns = [
    # prescriber and link worker (views/cases.py)
    path("", views_cases.referral_list, name="list"),
    path("nuovo/", views_cases.referral_create, name="create"),
    path("casi/", views_cases.caseload, name="caseload"),
    path("casi/assegna/", views_cases.assign, name="assign"),
    path("<int:pk>/", views_cases.referral_detail, name="detail"),
    path("<int:pk>/stato/", views_cases.transition, name="transition"),
    path("<int:pk>/note/", views_cases.note_add, name="note_add"),
    path("<int:pk>/consensi/", views_cases.consent_change, name="consent"),
    path("<int:pk>/programma/", views_cases.programme_change, name="programme"),
    path("<int:pk>/abbinamento/", views_cases.match, name="match"),
    path("<int:pk>/iscrivi/", views_cases.enrol, name="enrol"),
    path("<int:pk>/obiettivi/", views_cases.goal_add, name="goal_add"),
    path("<int:pk>/obiettivi/rivaluta/", views_cases.goals_rate, name="goals_rate"),
    path("obiettivi/<int:pk>/accantona/", views_cases.goal_remove, name="goal_remove"),
    path("iscrizioni/<int:pk>/ritira/", views_cases.enrolment_withdraw, name="enrolment_withdraw"),
    # whose record is whose (views/identity.py)
    path("<int:pk>/doppione/", views_identity.duplicate, name="duplicate"),
    path("<int:pk>/doppione/unisci/", views_identity.duplicate_merge, name="duplicate_merge"),
    path("<int:pk>/doppione/ignora/", views_identity.duplicate_dismiss, name="duplicate_dismiss"),
    path("<int:pk>/account/", views_identity.link_account, name="link_account"),
    path("miei-dati/collega/", views_identity.my_record_link, name="my_record_link"),
    path("miei-dati/collega/codice/", views_identity.my_record_code, name="my_record_code"),
    # documents (views/documents.py)
    path("<int:pk>/riepilogo.pdf", views_documents.closing_summary, name="summary_pdf"),
    path("dpo/", views_documents.dpo_search, name="dpo"),
    path("dpo/persone/<int:pk>/", views_documents.dpo_person, name="dpo_person"),
    path("dpo/persone/<int:pk>/dati.json", views_documents.dpo_export_json, name="dpo_export_json"),
    path("dpo/persone/<int:pk>/dati.pdf", views_documents.dpo_export_pdf, name="dpo_export_pdf"),
    path("dpo/persone/<int:pk>/cancella/", views_documents.dpo_erase, name="dpo_erase"),
    path("ricerca/invii.csv", views_documents.research_csv, name="research_csv"),
    # citizen, provider, territory admin (views/public.py)
    path("autosegnalazione/", views_public.self_refer, name="self_refer"),
    path("autosegnalazione/inviata/", views_public.self_refer_done, name="self_refer_done"),
    path("miei-dati/", views_public.my_data, name="my_data"),
    path("miei-dati/consensi/", views_public.my_consent, name="my_consent"),
    path("miei-dati/dati.json", views_public.my_export, name="my_export"),
    path("ente/", views_public.inbox, name="inbox"),
    path("ente/<int:pk>/", views_public.enrolment_detail, name="enrolment"),
    path("ente/<int:pk>/risposta/", views_public.enrolment_respond, name="enrolment_respond"),
    path("ente/<int:pk>/presenze/", views_public.attendance, name="attendance"),
    path("ente/attivita/<int:pk>/registro/", views_public.register, name="register"),
    path("impostazioni/", views_public.settings_list, name="settings"),
    path("impostazioni/<int:district_pk>/", views_public.settings_edit, name="settings_edit"),
]
