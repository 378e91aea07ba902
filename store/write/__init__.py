"""The write side, one module per aggregate. Every change to a task records who,
when, the field, old and new (history.record_change).

Functions take an open write session (db.write()), so an edit and its history are
one transaction. They return data or raise store.errors.EditRefused with a code
(a vocab.EditRefusal); the UI words it.

    rules        the checks every editor shares: text, points, whole numbers
    history      the change history and the task's updated_at stamp
    tasks        create and update tasks, the criteria they cite, derived columns
    evidence     evidence documents of a task (the file's name, size and digest)
    assessments  the city's letter entered by hand: an assessment and its document
    criteria     the criteria of an assessment
"""
