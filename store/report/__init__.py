"""The figures of the official documents (plan, results report, workbooks, the
supervisor's summary) as plain rows read from the database. No words here: the
documents are worded and laid out in tui/documents.

Submodules: drafts (the text a unit writes itself), remediation (one unit's plan
and results), review (all units of a review database).
"""

# The documents, by the codes the app and the command line name them with.
PLAN, RESULTS, TASKS, SUMMARY = "plan", "results", "tasks", "summary"
UNIT_DOCUMENTS = (PLAN, RESULTS, TASKS)  # a unit's; SUMMARY is the supervisor's
