"""The `cchc` command line.

--help and --version import neither textual nor sqlmodel (tests/tui/test_cli.py):
the language and paths are settled here with the standard library only, then the
app or a subcommand is imported.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from tui import __version__, garbage
from tui.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language

log = logging.getLogger("cchc")


def _install_argparse_translation() -> None:
    # argparse words its headings and errors through a module-global _();
    # pointing it at our catalogue makes `cchc --help` speak the user's language.
    from tui import i18n

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse repeats what was typed in its errors ("unrecognized arguments: ..."),
    and a shell pattern such as `cchc check *` types file names: shown visible."""

    def _print_message(self, message: str, file=None) -> None:  # noqa: ANN001
        if message:
            from tui.words.visible import say_lines

            say_lines(message.rstrip("\n").split("\n"), file=file or sys.stderr)


class _VisibleLogFormatter(logging.Formatter):
    """Log lines show file data visibly: a bundle id of ESC sequences stays text when
    the log is read with cat, and a line feed in data cannot forge a log line. Only a
    traceback keeps its own line breaks. (logging.Formatter.format, with the message
    and the traceback, which another handler may have cached raw, made visible.)"""

    def format(self, record: logging.LogRecord) -> str:
        from tui.words.visible import visible

        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = visible(self.formatMessage(record))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        for extra in (record.exc_text, record.stack_info and self.formatStack(record.stack_info)):
            if extra:
                text += "\n" + "\n".join(visible(line) for line in extra.split("\n"))
        return text


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

    parser = _Parser(
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
    early = _Parser(add_help=False)
    _global_options(early)
    known, _rest = early.parse_known_args(argv)
    if known.lang:
        return known.lang
    from store.config import load_config
    from store.paths import resolve

    config, _problem = load_config(resolve(known.data_dir, demo=known.demo).config_file)
    return config.language if config.language in LANGUAGES else DEFAULT_LANGUAGE


def read_only_logs_dir() -> Path:
    """Where a read-only run logs: outside the data folder, which it must not change."""
    import getpass
    import tempfile

    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name
        user = "user"
    return Path(tempfile.gettempdir()) / f"cchc-read-only-{user}"


_log_handler: logging.Handler | None = None


def _start_logging(logs_dir: Path) -> Path | None:
    """Log into logs_dir/cchc.log, instead of where an earlier main() in this process
    logged (a read-only run must not go on writing into a data folder's log)."""
    global _log_handler
    root = logging.getLogger()
    if _log_handler is not None:
        root.removeHandler(_log_handler)
        _log_handler.close()
        _log_handler = None
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        log_file = logs_dir / "cchc.log"
        handler = logging.FileHandler(log_file, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(_VisibleLogFormatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log_handler = handler
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_file


def make_context(args: argparse.Namespace):  # noqa: ANN201 - AppContext
    from store.config import load_config
    from store.demo import DEMO_DOCUMENTS, DEMO_OFFICER, DEMO_UNIT
    from store.derive import is_demo_code
    from store.paths import resolve
    from tui.context import AppContext

    from store import mode
    from store.connect import folder_is_writable

    locations = resolve(args.data_dir, demo=args.demo)
    # A data folder on read-only media (a write-protected stick, a read-only mount)
    # is viewed as with --read-only: the same one switch, decided here, once.
    on_read_only_media = not args.read_only and locations.data_dir.is_dir() and (
        not folder_is_writable(locations.data_dir)
        or (locations.db_path.is_file() and not os.access(locations.db_path, os.W_OK)))
    args.read_only = args.read_only or on_read_only_media
    mode.set_read_only(args.read_only, (locations.data_dir, locations.config_dir))
    if not args.read_only:  # read-only: no folder is made (nothing to show in a missing one)
        locations.ensure()
    config, problem = load_config(locations.config_file)
    if locations.demo and not locations.config_file.exists():
        from store.config import DocumentsConfig, OfficerConfig, UnitConfig, save_config

        config.unit = UnitConfig(**DEMO_UNIT)
        config.officer = OfficerConfig(**DEMO_OFFICER)
        config.documents = DocumentsConfig(**DEMO_DOCUMENTS)
        if not args.read_only:  # read-only: the demo's settings are used, not written
            save_config(config, locations.config_file)
    file_language = None
    if args.lang and args.lang != config.language:
        file_language, config.language = config.language, args.lang
    context = AppContext(locations=locations, config=config, config_problem=problem,
                         read_only=args.read_only, file_language=file_language)
    if on_read_only_media:
        from tui.words.errors import read_only_media

        context.startup_warnings.append(read_only_media(locations.data_dir))
    if not locations.demo and is_demo_code(config.unit.code):
        from tui.words.errors import demo_code_in_settings

        context.startup_warnings.append(demo_code_in_settings(config.unit.code))
    elif locations.demo and config.unit.code and not is_demo_code(config.unit.code):
        # A demo folder made before the demo had its own code (30316), or changed by hand.
        from tui.words.errors import real_code_in_demo

        context.startup_warnings.append(real_code_in_demo(config.unit.code, DEMO_UNIT["code"],
                                                          locations.data_dir))
    return context


def _never_fail_on_encoding() -> None:
    """A terminal or file whose encoding lacks a character (a Windows console
    redirected to a file, LANG=C) shows it as an escape instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (OSError, ValueError):
                pass


def main(argv: list[str] | None = None) -> int:
    garbage.while_loading()  # until the window has loaded, or the command says
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    finally:
        garbage.as_usual()  # main() called again in one process (tests) starts alike


def _main(argv: list[str]) -> int:
    _never_fail_on_encoding()
    try:
        set_language(_early_language(argv))
    except Exception:  # a broken config must never stop --help  # noqa: BLE001
        set_language(DEFAULT_LANGUAGE)
    _install_argparse_translation()
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "command", None):
        garbage.as_usual()  # a command: `cchc review` says when its window loads
    if args.version:
        from tui.words.visible import say

        say(f"cchc {__version__}")
        return 0
    from store.errors import ReadOnlyMode

    log_file: Path | None = None
    try:
        from store import mode

        mode.set_read_only(args.read_only)  # decided once, before anything is opened
        context = make_context(args)
        context.log_dir = read_only_logs_dir() if args.read_only else context.locations.logs_dir
        log_file = _start_logging(context.log_dir)
        set_language(context.language)
        command = getattr(args, "command", None)
        if command:
            from tui.cli_commands import load_commands

            return load_commands()[command].run(args, context)
        from tui.app import run_app

        return run_app(context)
    except KeyboardInterrupt:
        return 130
    except ReadOnlyMode as refused:  # a write path reached in read-only mode: said so
        from tui.words.errors import refused_in_read_only
        from tui.words.visible import say

        say(refused_in_read_only(refused.kind), file=sys.stderr)
        return 1
    except BrokenPipeError:  # output not through say(): the reader went away, say nothing
        from tui.words.visible import silence

        silence(sys.stdout)
        silence(sys.stderr)
        return 141  # 128 + SIGPIPE, what a shell reports for a writer whose pipe closed
    except Exception:  # the last guard: no traceback on a user's terminal
        log.exception("unexpected error")
        where = str(log_file) if log_file else _("the log")
        from tui.words.visible import say

        say(_("CCHC Tracker stopped because of an unexpected error. Nothing you saved was "
              "lost. The details were written to {path}.").format(path=where),
            file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
