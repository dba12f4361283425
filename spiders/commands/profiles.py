"""`scrapy profiles [--site S] [--apply]`: learn each site's boilerplate lines from its
stored articles; with --apply, re-clean the site's earlier pages with them."""

from __future__ import annotations

import argparse

from spiders.storecommand import StoreCommand
from storage.profiles import learn_site_profiles, reapply_site_profiles


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[--site S] [--apply] [--workers N]"

    def short_desc(self) -> str:
        return "Learn site boilerplate profiles; --apply re-cleans earlier pages with them"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", help="only this host name")
        parser.add_argument("--apply", action="store_true", help="re-clean stored pages")
        parser.add_argument("--workers", type=int, default=0, help="processes (0 = one per core)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self.no_arguments(args)
        workers = self.workers_option(opts.workers)
        store = self.open_store(must_exist=True)
        try:
            store.upgrade()
            for domain, lines in sorted(learn_site_profiles(store, site=opts.site).items()):
                print(f"{domain}: {lines} boilerplate lines")
            if opts.apply:
                # Imported here, not at the top: Scrapy imports every command module on each
                # start.
                from cleaning.html import clean_html

                result = reapply_site_profiles(store, clean_html, site=opts.site, workers=workers)
                print(f"re-cleaned {result.cleaned} of {result.candidates} pages, "
                      f"failed {len(result.failed)}")  # fmt: skip
        finally:
            store.close()
