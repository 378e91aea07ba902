"""The official documents (Word and Excel) worded and laid out: the remediation
plan and results report of a unit, its task workbook, the supervisor's summary
workbook and report. Figures come from store.report; python-docx and openpyxl are
imported only here, when a document is written."""
