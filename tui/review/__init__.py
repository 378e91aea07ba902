"""The supervisor's review: every unit's received bundles, read-only.

app.py (ReviewApp), overview.py (units, totals, chart), unit.py (one unit: tasks,
bundles received, what changed), tasks.py (every task of every unit), receive.py
(receiving bundle files: the only writer), words.py (sentences), sources.py (store
rows -> table rows). Importing the package is free: nothing heavy at module level.
"""
