"""CCHC Tracker data layer: paths, config, SQLite store, bundle format.

Never imports textual or tui (tests/store/test_import_hygiene.py proves it).
Kept tiny so that importing a submodule does not pull in SQLModel.
"""
