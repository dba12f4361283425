"""`scrapy export -o corpus.jsonl|corpus.parquet [filters]`: stream stored articles out."""

from __future__ import annotations

import argparse

from scrapy.exceptions import UsageError

from spiders.storecommand import StoreCommand
from storage.export import export_articles


class Command(StoreCommand):
    def syntax(self) -> str:
        return "-o OUT.jsonl|.parquet [--site S] [--since D] [--lang L] [--with-comments] [--dedup]"

    def short_desc(self) -> str:
        return "Export stored articles as JSON Lines or Parquet (streaming)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", required=True, help=".jsonl or .parquet file")
        parser.add_argument("--site", help="only this host name (www. ignored)")
        parser.add_argument("--since", help="only pages fetched on/after this ISO date")
        parser.add_argument("--lang", help="only this language (en also matches en-GB)")
        parser.add_argument("--with-comments", action="store_true", help="add comments")
        parser.add_argument("--dedup", action="store_true", help="one article per near-dup cluster")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        store = self.open_store()
        try:
            count = export_articles(
                store, opts.output, site=opts.site, since=opts.since, lang=opts.lang,
                with_comments=opts.with_comments, dedup=opts.dedup,
            )  # fmt: skip
        except ValueError as exc:  # unknown format, bad date
            raise UsageError(str(exc)) from exc
        finally:
            store.close()
        print(f"exported {count} articles to {opts.output}")
