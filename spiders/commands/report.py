"""`scrapy report [-o report.html] [--run ID] [--since DATE] [--site S]`: one offline HTML
page about the last crawl run (or a run, or every run since a date): per-site figures,
failed checks and charts (storage.html_report)."""

from __future__ import annotations

import argparse

from spiders.command import os_error_message
from spiders.storecommand import StoreCommand
from storage.html_report import write_report


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[-o report.html] [--run ID | --since DATE] [--site S]"

    def short_desc(self) -> str:
        return "Write a self-contained HTML report of the last crawl run (or a date range)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", default="report.html", help="HTML file to write")
        parser.add_argument("--run", type=int, help="this crawl run (default: the last one)")
        parser.add_argument("--since", help="every run started on/after this ISO date")
        parser.add_argument("--site", help="only this host name (www. ignored)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self.no_arguments(args)
        if opts.run is not None and opts.since:
            self.usage_error("--run and --since exclude each other")
        since = self.since_option(opts.since)
        self.check_writable(opts.output)
        # An empty database is fine: the report then says there is nothing to show yet.
        store = self.open_store()
        try:
            store.upgrade()  # a database crawled by an older newsclean gains the columns
            path = write_report(store, opts.output, run_id=opts.run, since=since,
                                site=opts.site)  # fmt: skip
        except ValueError as exc:  # unknown run
            self.usage_error(str(exc), exc)
        except OSError as exc:  # disk full, permissions changed meanwhile
            self.fail(os_error_message(exc, "write"), exc)
        finally:
            store.close()
        print(f"report written to {path.resolve()}")
