"""Where state lives. One override (--data-dir / CCHC_DATA_DIR) moves all of it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "cchc"
DATA_DIR_ENV = "CCHC_DATA_DIR"
EVIDENCE_DIR_NAME = "evidence"  # copies of evidence files (store.evidence_files)


@dataclass(frozen=True)
class Locations:
    data_dir: Path
    config_dir: Path
    demo: bool = False

    @property
    def db_path(self) -> Path:
        """The unit's own database."""
        return self.data_dir / "cchc.db"

    @property
    def review_db_path(self) -> Path:
        """The supervisor's database of received bundles."""
        return self.data_dir / "review.db"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def evidence_dir(self) -> Path:
        """Copies of evidence files, named by SHA-256 (store.evidence_files)."""
        return self.data_dir / EVIDENCE_DIR_NAME

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    def ensure(self) -> "Locations":
        """Create the folders; called when the app starts, never at import."""
        for folder in (self.data_dir, self.config_dir, self.backups_dir, self.logs_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve(data_dir: str | os.PathLike[str] | None = None, *, demo: bool = False,
            environ: dict[str, str] | None = None) -> Locations:
    """Locations from the command line, then CCHC_DATA_DIR, then platformdirs.

    With an override the config lives in the data folder, so the override moves
    everything. The demo commune gets a 'demo' folder of its own, config included,
    so it never mixes with real data.
    """
    env = os.environ if environ is None else environ
    override = data_dir if data_dir is not None else (env.get(DATA_DIR_ENV) or None)
    if override is not None:
        base = Path(override).expanduser().absolute()
        config_dir = base
    else:
        import platformdirs

        base = platformdirs.user_data_path(APP_NAME, appauthor=False)
        config_dir = platformdirs.user_config_path(APP_NAME, appauthor=False)
    if demo:
        demo_dir = base / "demo"
        return Locations(data_dir=demo_dir, config_dir=demo_dir, demo=True)
    return Locations(data_dir=base, config_dir=config_dir)
