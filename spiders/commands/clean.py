"""`scrapy clean FILES... [-o out.jsonl]`: clean text/HTML files from disk into JSON(L).

A thin wrapper over `python -m cleaning` so crawl users find it next to `scrapy crawl`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, ClassVar

from spiders.command import NewscleanCommand


class Command(NewscleanCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "FILE... [-o OUTPUT.jsonl|.json|-]"

    def short_desc(self) -> str:
        return "Clean .txt/.html files into article body + comments as JSON lines"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", default="-", help="output file (default stdout)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            self.usage_error("give one or more files to clean")
        # One missing file among several is recorded in the output as that file's error;
        # none there at all is a typo.
        if not any(Path(arg).is_file() for arg in args):
            others = " (nor any of the others)" if len(args) > 1 else ""
            self.fail(f"cannot read {args[0]}: no such file{others}")
        self.check_writable(opts.output)
        from cleaning.__main__ import main

        self.exitcode = main([*args, "-o", opts.output])
