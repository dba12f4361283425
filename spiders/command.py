"""What every newsclean `scrapy` command does with a mistake: one line on stderr, exit
status 2, no traceback.

Two kinds, both through Scrapy's UsageError (scrapy.cmdline turns it into exit 2):
- a mistake in the arguments (`usage_error`): Scrapy prints the usage line and
  `scrapy CMD: error: MESSAGE`;
- a problem with what they point at, a file or the database (`fail`): only
  `error: MESSAGE`, since the usage line would not help. Scrapy prints nothing for a
  UsageError without a message and print_help=False; we print the line ourselves.

With `--traceback` or `-L DEBUG` the Python traceback of the cause is printed first.
The base lives outside spiders/commands/ because Scrapy makes a command of every
ScrapyCommand subclass found there.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from storage.models import to_utc_datetime


class NewscleanCommand(ScrapyCommand):
    """Base of the project's commands: `--traceback`, `usage_error` and `fail`."""

    show_traceback = False

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--traceback",
            action="store_true",
            help="on an error, also print the Python traceback (so does -L DEBUG)",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        debug = str(self.settings.get("LOG_LEVEL", "")).upper() == "DEBUG"
        self.show_traceback = bool(getattr(opts, "traceback", False)) or debug

    def no_arguments(self, args: list[str]) -> None:
        """For commands that take options only."""
        if args:
            unexpected = " ".join(args)
            self.usage_error(f"unexpected arguments: {unexpected} (options only)")

    def since_option(self, value: str | None) -> datetime | None:
        """`--since 2026-11-01` (or a full ISO datetime; naive = UTC) as a datetime."""
        if value is None:
            return None
        try:
            return to_utc_datetime(value)
        except ValueError as exc:
            self.usage_error(f"--since {value!r} is not a date: use YYYY-MM-DD", exc)

    def workers_option(self, value: int) -> int:
        """`--workers N`: N processes, 0 = one per core."""
        if value < 0:
            self.usage_error(f"--workers must be >= 0 (0 = one per core), got {value}")
        return value or os.cpu_count() or 1

    def check_writable(self, path: str | None) -> None:
        """An output file (`-o`), before any work: its folder exists and can be written
        to, so a typo costs one line, not a traceback after a long export. "-" (stdout)
        and None pass."""
        if path is None or path == "-":
            return
        target = Path(path).expanduser()
        folder = target.parent
        if not folder.is_dir():
            self.fail(f"cannot write {path}: folder {folder} does not exist (create it first)")
        if target.is_dir():
            self.fail(f"cannot write {path}: it is a folder; give a file name")
        if not os.access(folder, os.W_OK):
            self.fail(f"cannot write {path}: no permission to write in {folder}")

    def usage_error(self, message: str, cause: BaseException | None = None) -> NoReturn:
        """A mistake in the arguments or settings: usage line + message, exit 2."""
        self._print_cause(cause)
        raise UsageError(message) from cause

    def fail(self, message: str, cause: BaseException | None = None) -> NoReturn:
        """A problem outside the arguments (file, database): `error: message`, exit 2."""
        self._print_cause(cause)
        print(f"error: {message}", file=sys.stderr, flush=True)
        raise UsageError(print_help=False) from cause

    def _print_cause(self, cause: BaseException | None) -> None:
        if cause is not None and self.show_traceback:
            traceback.print_exception(cause, file=sys.stderr)


def os_error_message(exc: OSError, doing: str = "read") -> str:
    """`cannot read /missing.txt: No such file or directory`: the path and the reason,
    without Python's `[Errno 2]`."""
    reason = exc.strerror or str(exc)
    target = exc.filename if exc.filename is not None else "file"
    return f"cannot {doing} {target}: {reason}"
