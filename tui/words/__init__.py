"""Every word a user reads about store values: the one place that turns the
store's values, codes and errors into Vietnamese or English sentences, for the
screens and the command line alike. One module per concept:

format   numbers, points, dates, sizes as the language writes them
parse    reading what an official typed (dates, points, whole numbers)
labels   short names of codes: task statuses, unit levels, kinds of path
errors   error_sentence(): any error the store raises on purpose; the settings file
edits    a refused edit (EditRefused.code), shown under the field at fault
backup   damaged databases, backups, unsafe storage
bundle   bundle refusals, warnings, export failures, receive verdicts
review   the supervisor's review screens
documents  what a document will hold, where it was written, why it was not
assign   assignments: the appraisal workbook, issuing, a unit's import
visible    text from files made harmless for a terminal (escapes shown); say() prints
plain      data for a screen: a rich Text, never read as markup, escapes shown

Nothing here imports Textual (plain makes rich Text), a screen, a widget or an
app; every code the store gives has a sentence in both languages (both checked by
tests/tui/test_words.py).
"""
