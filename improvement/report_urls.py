"""Routes of documents and exports: the board pack and CSV/XLSX downloads."""

urlpatterns = []
