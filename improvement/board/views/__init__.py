"""Views of the board's pages, exports and documents."""
