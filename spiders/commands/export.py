"""`scrapy export -o corpus.jsonl|.csv|.parquet|- [filters]`: stream stored articles out.

`-o -` writes JSON Lines to standard output (`scrapy export -o - | jq .title`): the
record stream is the only thing on stdout; the count goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys

from spiders.command import os_error_message
from spiders.storecommand import StoreCommand


class Command(StoreCommand):
    def syntax(self) -> str:
        return (
            "-o OUT.jsonl|.csv|.parquet|- [--format F] [--site S] [--since D] [--lang L] "
            "[--with-comments] [--comments-file C.csv] [--dedup]"
        )

    def short_desc(self) -> str:
        return "Export stored articles as JSON Lines, CSV or Parquet (streaming; - = stdout)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        # Imported here, not at the top: Scrapy imports every command module on each
        # start (pyarrow).
        from storage.export import FORMATS

        super().add_options(parser)
        add = parser.add_argument
        add("-o", "--output", required=True,
            help="file (.jsonl, .csv, .parquet) or - for JSON Lines on stdout")  # fmt: skip
        add("--format", choices=FORMATS, help="format, if the file name does not say")
        add("--site", help="only this host name (www. ignored)")
        add("--since", help="only pages fetched on/after this ISO date")
        add("--lang", help="only this language (en also matches en-GB)")
        add("--with-comments", action="store_true",
            help="add each article's comments (CSV: as a JSON column)")  # fmt: skip
        add("--comments-file", metavar="C.csv",
            help="CSV only: the comments in a second CSV, one row per comment")  # fmt: skip
        add("--dedup", action="store_true", help="one article per near-dup cluster")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from storage.export import STDOUT, export_articles

        self.no_arguments(args)
        since = self.since_option(opts.since)
        for path in (opts.output, opts.comments_file):
            self.check_writable(path)
        store = self.open_store(must_exist=True)
        try:
            count = export_articles(
                store, opts.output, opts.format, site=opts.site, since=since,
                lang=opts.lang, with_comments=opts.with_comments, dedup=opts.dedup,
                comments_path=opts.comments_file,
            )  # fmt: skip
        except ValueError as exc:  # unknown format, bad date, Parquet to stdout
            self.usage_error(str(exc), exc)
        except BrokenPipeError:  # `scrapy export -o - | head`: the reader has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        except OSError as exc:  # disk full, permissions changed meanwhile
            self.fail(os_error_message(exc, "write"), exc)
        finally:
            store.close()
        where = "standard output" if opts.output == STDOUT else opts.output
        print(f"exported {count} articles to {where}",
              file=sys.stderr if opts.output == STDOUT else sys.stdout)  # fmt: skip
