"""Bring a council's existing plan in from its spreadsheet."""
