"""`scrapy ingest-warc FILE_OR_GLOB...`: clean and store the HTML pages of WARC files.

Scrapy names module commands after their module (`ingest_warc`); the `ingest-warc`
spelling is registered as a `scrapy.commands` entry point in pyproject.toml. Both run this.
"""

from __future__ import annotations

import argparse

from scrapy.exceptions import UsageError

from spiders.command import os_error_message
from spiders.storecommand import StoreCommand


class Command(StoreCommand):
    def syntax(self) -> str:
        return "FILE_OR_GLOB... [--workers N] [--lang L] [--domain D] [--limit N]"

    def short_desc(self) -> str:
        return "Clean and store the HTML pages of WARC files (same cleaning and database)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        group = parser.add_argument_group("ingest-warc options")
        add = group.add_argument
        add(
            "--workers",
            type=int,
            metavar="N",
            help="cleaning processes (default: NEWSCLEAN_CLEAN_WORKERS, 0 = one per core)",
        )
        add(
            "--lang",
            action="append",
            default=[],
            metavar="L",
            help="keep only articles in language L (en, de, pt-BR...); repeat or comma-separate",
        )
        add(
            "--domain",
            action="append",
            default=[],
            metavar="D",
            help="keep only pages of host D and its subdomains; repeat or comma-separate",
        )
        add(
            "--limit",
            type=int,
            metavar="N",
            help="stop after N pages (HTTP responses that pass --domain)",
        )
        add(
            "--batch-size",
            type=int,
            metavar="N",
            help="pages per transaction (default: NEWSCLEAN_STORE_BATCH_SIZE)",
        )
        add("--no-progress", action="store_true",
            help="no progress bar (shown only on a terminal anyway)")  # fmt: skip

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            self.usage_error("give one or more WARC files or globs")
        assert self.settings is not None
        from spiders.cleanpool import DEFAULT_CLEANER
        from spiders.ingest import (
            DEFAULT_MAX_SIZE,
            IngestOptions,
            expand_inputs,
            ingest_warcs,
        )
        from spiders.pipelines import format_summary

        try:
            expand_inputs(args)  # before the database: a typo in a file name is one line
        except FileNotFoundError as exc:
            self.fail(str(exc), exc)

        options = IngestOptions(
            workers=_at_least(
                "--workers", opts.workers, self.settings.getint("NEWSCLEAN_CLEAN_WORKERS"), 0
            ),  # fmt: skip
            timeout=self.settings.getfloat("NEWSCLEAN_CLEAN_TIMEOUT", 60.0),
            languages=_split(opts.lang),
            domains=_split(opts.domain),
            limit=opts.limit if opts.limit is None else _at_least("--limit", opts.limit, 0, 1),
            batch_size=_at_least(
                "--batch-size",
                opts.batch_size,
                self.settings.getint("NEWSCLEAN_STORE_BATCH_SIZE", 50),
                1,
            ),  # fmt: skip
            progress=False if opts.no_progress else None,
            cleaner=self.settings.get("NEWSCLEAN_CLEANER") or DEFAULT_CLEANER,
            max_size=_size_limit(self.settings.getint("DOWNLOAD_MAXSIZE", DEFAULT_MAX_SIZE)),
        )
        store = self.open_store()
        try:
            store.upgrade()
            try:
                result = ingest_warcs(args, store, options)
            except OSError as exc:  # a file that cannot be opened (damaged ones are
                self.fail(os_error_message(exc), exc)  # recorded in result.errors)
        finally:
            store.close()
        print(f"== ingest-warc summary (run {result.run_id}) ==")
        print(format_summary(result.stats))
        stats = result.stats
        print(f"WARC records read: {stats.get('newsclean/warc/records', 0)} "
              f"({stats['newsclean/warc/records_per_second']} records/s)")  # fmt: skip
        ignored = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
                   if k.startswith("newsclean/warc/ignored/")}  # fmt: skip
        if ignored:
            print("not pages:         " + ", ".join(f"{k} {v}" for k, v in sorted(ignored.items())))
        for name in ("domain", "lang"):
            if stats.get(f"newsclean/warc/filtered/{name}"):
                print(f"filtered by --{name}: {stats[f'newsclean/warc/filtered/{name}']}")
        for error in result.errors:
            print(f"ERROR {error}")
        if result.errors or stats.get("newsclean/store/failed"):
            self.exitcode = 1


def _size_limit(download_maxsize: int) -> int:
    return download_maxsize if download_maxsize > 0 else 2**62  # Scrapy: 0 = no limit


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _at_least(option: str, value: int | None, default: int, minimum: int) -> int:
    chosen = default if value is None else value
    if chosen < minimum:
        raise UsageError(f"{option} must be >= {minimum}, got {chosen}")
    return chosen
