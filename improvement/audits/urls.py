"""Routes of the audits and practice weeks."""

from django.urls import path

from improvement.audits import views

app_name = "audits"

urlpatterns = [
    path("audits/", views.audit_list, name="audit_list"),
    path("audits.csv", views.audit_export_csv, name="audit_export_csv"),
    path("audits.xlsx", views.audit_export_xlsx, name="audit_export_xlsx"),
    path("audits/add/", views.audit_create, name="audit_create"),
    path("audits/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("audits/<int:pk>/edit/", views.audit_edit, name="audit_edit"),
    path("audits/<int:pk>/history/", views.audit_history, name="audit_history"),
    path("practice-weeks/", views.practiceweek_list, name="practiceweek_list"),
    path("practice-weeks/add/", views.practiceweek_create, name="practiceweek_create"),
    path(
        "practice-weeks/<int:pk>/",
        views.practiceweek_detail,
        name="practiceweek_detail",
    ),
    path(
        "practice-weeks/<int:pk>/edit/",
        views.practiceweek_edit,
        name="practiceweek_edit",
    ),
    path(
        "practice-weeks/<int:pk>/history/",
        views.practiceweek_history,
        name="practiceweek_history",
    ),
]
