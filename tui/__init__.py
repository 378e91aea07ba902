"""CCHC Tracker terminal UI. Tiny on purpose: `cchc --version` imports only this."""

__version__ = "0.1.0"
