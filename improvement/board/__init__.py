"""Everything read-only the board sees.

States as at a date and their figures, the trend, what changed, drift and
delay, the golden thread, the recent-changes feed, charts, exports and the
board pack, with their forms, views and routes. Reads the plan app; the plan
app never imports it.
"""
