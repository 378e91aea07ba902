"""The `cchc` command line.

--help and --version import neither textual nor sqlmodel (tests/tui/test_cli.py):
the language and paths are settled here with the standard library only, then the
app or a subcommand is imported.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tui import __version__
from tui.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language

log = logging.getLogger("cchc")


def _install_argparse_translation() -> None:
    # argparse words its headings and errors through a module-global _();
    # pointing it at our catalogue makes `cchc --help` speak the user's language.
    from tui import i18n

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--demo", action="store_true",
                        help=_("open the demo commune (separate data, never mixed with yours)"))
    parser.add_argument("--data-dir", metavar=_("DIR"),
                        help=_("keep all data, settings, backups and logs in DIR "
                               "(also: environment variable CCHC_DATA_DIR)"))
    parser.add_argument("--lang", choices=LANGUAGES,
                        help=_("language of the interface: vi (default) or en"))
    parser.add_argument("--read-only", action="store_true",
                        help=_("view only: nothing can be changed"))


def build_parser() -> argparse.ArgumentParser:
    from tui.cli_commands import load_commands

    parser = argparse.ArgumentParser(
        prog="cchc",
        description=_("CCHC Tracker: follow up the remediation of the administrative "
                      "reform index (PAR Index, SIPAS) of a commune or ward."))
    parser.add_argument("--version", action="store_true", help=_("show the version and exit"))
    _global_options(parser)
    commands = load_commands()
    if commands:
        subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"),
                                           title=_("commands"))
        for module in commands.values():
            module.register(subparsers)
    return parser


def _early_language(argv: list[str]) -> str:
    """The language before the full parse, so that --help is translated:
    --lang, else the config file's, else Vietnamese."""
    early = argparse.ArgumentParser(add_help=False)
    _global_options(early)
    known, _rest = early.parse_known_args(argv)
    if known.lang:
        return known.lang
    from store.config import load_config
    from store.paths import resolve

    config, _problem = load_config(resolve(known.data_dir, demo=known.demo).config_file)
    return config.language if config.language in LANGUAGES else DEFAULT_LANGUAGE


def _start_logging(logs_dir: Path) -> Path | None:
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        log_file = logs_dir / "cchc.log"
        handler = logging.FileHandler(log_file, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_file


def make_context(args: argparse.Namespace):  # noqa: ANN201 - AppContext
    from store.config import load_config
    from store.demo import DEMO_DOCUMENTS, DEMO_OFFICER, DEMO_UNIT
    from store.paths import resolve
    from tui.context import AppContext

    locations = resolve(args.data_dir, demo=args.demo).ensure()
    config, problem = load_config(locations.config_file)
    if locations.demo and not locations.config_file.exists():
        from store.config import DocumentsConfig, OfficerConfig, UnitConfig, save_config

        config.unit = UnitConfig(**DEMO_UNIT)
        config.officer = OfficerConfig(**DEMO_OFFICER)
        config.documents = DocumentsConfig(**DEMO_DOCUMENTS)
        save_config(config, locations.config_file)
    if args.lang:
        config.language = args.lang
    return AppContext(locations=locations, config=config, config_problem=problem,
                      read_only=args.read_only)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        set_language(_early_language(argv))
    except Exception:  # a broken config must never stop --help  # noqa: BLE001
        set_language(DEFAULT_LANGUAGE)
    _install_argparse_translation()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(f"cchc {__version__}")
        return 0
    log_file: Path | None = None
    try:
        context = make_context(args)
        log_file = _start_logging(context.locations.logs_dir)
        set_language(context.language)
        command = getattr(args, "command", None)
        if command:
            from tui.cli_commands import load_commands

            return load_commands()[command].run(args, context)
        from tui.app import run_app

        return run_app(context)
    except KeyboardInterrupt:
        return 130
    except Exception:  # the last guard: no traceback on a user's terminal
        log.exception("unexpected error")
        where = str(log_file) if log_file else _("the log")
        print(_("CCHC Tracker stopped because of an unexpected error. Nothing you saved was "
                "lost. The details were written to {path}.").format(path=where),
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
