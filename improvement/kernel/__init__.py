"""The kernel every app builds on; it imports none of them.

Tracked models and their history, permission rules, dates, form building
blocks, the version-checked edit, middleware, checks, context processors,
template tags and the site-wide views (home, health, sign out).
"""
