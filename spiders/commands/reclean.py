"""`scrapy reclean [--site S] [--since DATE] [--workers N] [--all]`: re-run the current
cleaner over stored raw pages, so better text never needs a new crawl."""

from __future__ import annotations

import argparse

from tqdm import tqdm

from cleaning import CLEANER_VERSION
from spiders.storecommand import StoreCommand
from storage.profiles import site_profiles
from storage.reclean import reclean


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[--site S] [--since DATE] [--workers N] [--all]"

    def short_desc(self) -> str:
        return "Re-clean stored pages whose cleaner_version is older than this newsclean's"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", help="only this host name")
        parser.add_argument("--since", help="only pages fetched on/after this ISO date")
        parser.add_argument("--workers", type=int, default=0, help="processes (0 = one per core)")
        parser.add_argument("--all", action="store_true", help="every page, whatever its version")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self.no_arguments(args)
        since = self.since_option(opts.since)
        workers = self.workers_option(opts.workers)
        # Imported here, not at the top: Scrapy imports every command module on each
        # start.
        from cleaning.html import clean_html

        store = self.open_store(must_exist=True)
        try:
            store.upgrade()
            profiles = site_profiles(store)
            with tqdm(unit="page", desc="re-cleaning") as bar:

                def progress(done: int, total: int) -> None:
                    bar.total = total
                    bar.update(done - bar.n)

                result = reclean(
                    store, clean_html, version=CLEANER_VERSION, site=opts.site,
                    since=since, only_outdated=not opts.all,
                    site_profiles=lambda domain: profiles.get(domain, []),
                    workers=workers, progress=progress,
                )  # fmt: skip
        finally:
            store.close()
        print(
            f"candidates {result.candidates}, re-cleaned {result.cleaned}, "
            f"empty (kept old) {result.empty}, failed {len(result.failed)}, "
            f"articles written {result.saved.articles}"
        )
        if result.failed:
            self.exitcode = 1
