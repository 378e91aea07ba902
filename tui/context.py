"""What the command line resolved, handed to the app and to subcommands."""

from __future__ import annotations

from dataclasses import dataclass, field

from store.config import Config, ConfigProblem
from store.paths import Locations


@dataclass
class AppContext:
    locations: Locations
    config: Config
    config_problem: ConfigProblem | None = None
    read_only: bool = False
    # Messages (already in the user's language) to show once the app is up.
    startup_warnings: list[str] = field(default_factory=list)

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
