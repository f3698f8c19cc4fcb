"""Routes of the board's read-only insight pages and the board pack.

Included in the "improvement" namespace by ``improvement.urls``.
"""

from django.urls import path

from improvement.views import board_pack, changes_since, drift, golden_thread

urlpatterns = [
    path("changes-since/", changes_since.changes_since, name="changes_since"),
    path("drift/", drift.drift_view, name="drift"),
    path(
        "golden-thread/",
        golden_thread.golden_thread_view,
        name="golden_thread",
    ),
    path("board-pack/", board_pack.board_pack, name="board_pack"),
    path("board-pack.pdf", board_pack.board_pack_pdf, name="board_pack_pdf"),
]
