"""`scrapy clean FILES... [-o out.jsonl]`: clean text/HTML files from disk into JSON(L).

A thin wrapper over `python -m cleaning` so crawl users find it next to `scrapy crawl`.
"""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
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
            raise UsageError("give one or more files to clean")
        from cleaning.__main__ import main

        self.exitcode = main([*args, "-o", opts.output])
