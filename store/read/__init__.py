"""The read side, one module per aggregate: summaries and pages of plain rows for
the UI (never ORM objects). Functions take an open session (db.read()).

    units         the summary line of a unit and its current assessment
    unit_counts   a unit's score and task counts: the fields and the one SQL that the
                  summary line and the review's overview share (standard library only)
    assessments   a unit's assessments, the current one
    tasks         the task list: filters, search, paging in indexed orders
    deadlines     open tasks grouped by deadline (overdue, this week, this month...)
    criteria      the criteria tree and how many tasks work on each criterion
    task_detail   one task with its criteria, evidence and history
"""
