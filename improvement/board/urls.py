"""Routes of the board's pages, the recent-changes feed, exports and documents.

Included in the "improvement" namespace by ``improvement.urls``.
"""

from django.urls import path

from improvement.board.documents import views as documents
from improvement.board.views import (
    board_pack,
    dashboard,
    drift,
    exports,
    golden_thread,
    recent_changes,
    what_changed,
)

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("as-at/", dashboard.as_at, name="as_at"),
    path("trend/", dashboard.trend, name="trend"),
    path("changes/", recent_changes.change_list, name="change_list"),
    path("changes/recent.csv", recent_changes.change_list_csv, name="change_list_csv"),
    path(
        "changes/recent.xlsx", recent_changes.change_list_xlsx, name="change_list_xlsx"
    ),
    path("changes-since/", what_changed.changes_since, name="changes_since"),
    path("drift/", drift.drift_view, name="drift"),
    path(
        "golden-thread/",
        golden_thread.golden_thread_view,
        name="golden_thread",
    ),
    path("board-pack/", board_pack.board_pack, name="board_pack"),
    path("board-pack.pdf", board_pack.board_pack_pdf, name="board_pack_pdf"),
    path(
        "meetings/<int:pk>/issue-pack/",
        board_pack.meeting_issuepack,
        name="meeting_issuepack",
    ),
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
