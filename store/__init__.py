"""CCHC Tracker data layer: paths, config, SQLite store, bundle format.

Never imports textual or tui, and no module of it takes part in an import cycle
(tests/test_architecture.py and tests/store/test_import_hygiene.py prove it). The
layout, bottom to top, is in the README ("For developers"). Kept tiny so that
importing a submodule does not pull in SQLModel.
"""
