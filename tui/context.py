"""What the command line resolved, handed to the app and to subcommands."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from store.config import Config, ConfigProblem
from store.paths import Locations


@dataclass
class AppContext:
    locations: Locations
    config: Config
    config_problem: ConfigProblem | None = None
    # Decided once, at start: made the store's switch (store.mode) here, which every
    # write path asks, the app base included.
    read_only: bool = False
    # Messages (already in the user's language) to show once the app is up.
    startup_warnings: list[str] = field(default_factory=list)
    # The language of the settings file when --lang chose another one for this run:
    # a save that is not the settings form's keeps the file's (--lang is never saved).
    file_language: str | None = None
    # Where the log goes (the data folder's logs, or a temp folder in read-only mode).
    log_dir: Path | None = None

    def __post_init__(self) -> None:
        from store import mode

        mode.set_read_only(self.read_only, (self.locations.data_dir, self.locations.config_dir))

    def config_to_save(self) -> Config:
        """The settings as the file should keep them: a --lang of this run undone."""
        if self.file_language is None:
            return self.config
        return dataclasses.replace(self.config, language=self.file_language)

    @property
    def demo(self) -> bool:
        return self.locations.demo

    @property
    def language(self) -> str:
        return self.config.language

    def actor(self) -> str:
        """Who does it, for the record (key changes, set-aside bundles): the officer in
        the settings, else the login name."""
        if self.config.officer.name:
            return self.config.officer.name
        import getpass

        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name (a service account)
            return ""
