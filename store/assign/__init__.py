"""Assignments (bundle-v2, kind "assignment"): the supervisor's appraisal workbook in,
one assignment file per unit out, and the unit's import of it.

- tables.py     the tables both sides keep (issued and received assignments, notes)
- workbook.py   the appraisal workbook (.xlsx) -> checked rows per unit, with cells
- template.py   the empty workbook a supervisor fills in
- issue.py      checked rows -> one assignment document per unit, written and recorded
- notes.py      the supervisor's review notes on a unit's tasks
- importing.py  an assignment -> the unit's database: verdict, dry-run plan, merge
- held.py       the newest accepted assignment per issuer (assignments_held)

Importing this package is free; the submodules import SQLAlchemy, pydantic, openpyxl.
"""
