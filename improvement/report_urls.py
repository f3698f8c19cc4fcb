"""Routes of documents and exports: the board pack and CSV/XLSX downloads."""

from django.urls import path

from improvement.documents import views as documents
from improvement.views import exports

urlpatterns = [
    path("documents/<uuid:pk>/", documents.document_detail, name="document_detail"),
    path(
        "documents/<uuid:pk>/download/",
        documents.document_download,
        name="document_download",
    ),
    path("actions/export.csv", exports.action_export_csv, name="action_export_csv"),
    path("actions/export.xlsx", exports.action_export_xlsx, name="action_export_xlsx"),
    path("findings/export.csv", exports.finding_export_csv, name="finding_export_csv"),
    path(
        "findings/export.xlsx",
        exports.finding_export_xlsx,
        name="finding_export_xlsx",
    ),
    path("changes/export.csv", exports.change_export_csv, name="change_export_csv"),
    path("changes/export.xlsx", exports.change_export_xlsx, name="change_export_xlsx"),
]
