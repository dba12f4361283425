"""`scrapy seed SPIDER URL... [-f FILE] [--reset]`: push start URLs to a distributed crawl.

Appends the URLs to the Redis list `<spider>:start_urls` (the scrapy-redis convention) and
allows their hosts for every worker. Workers started with NEWSCLEAN_REDIS_URL take them
from there; workers already waiting for work pick them up when idle.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from spiders import distributed


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "SPIDER URL... [-f FILE] [--reset]"

    def short_desc(self) -> str:
        return "Push start URLs to the Redis list of a distributed crawl (NEWSCLEAN_REDIS_URL)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-f", "--file", help="file with one start URL per line (# comments)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first forget the shared frontier and seen-set: crawl everything again",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if not args:
            raise UsageError("give the spider name (news) and start URLs")
        spider, *urls = args
        if opts.file:
            lines = Path(opts.file).read_text().splitlines()
            urls += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        url = distributed.redis_url(self.settings)
        if not url:
            raise UsageError(
                "no Redis: set NEWSCLEAN_REDIS_URL (environment) or -s NEWSCLEAN_REDIS_URL=..."
            )
        if not urls and not opts.reset:
            raise UsageError("give start URLs (or --reset alone to clear the crawl state)")
        server = distributed.connect(url)
        keys = distributed.keys_for(spider, self.settings)
        if opts.reset:
            distributed.reset_crawl(server, keys)
            print(f"cleared {', '.join(keys.values())}")
        pushed = distributed.push_seeds(server, keys, urls)
        pending = server.llen(keys["start_urls"])
        print(f"pushed {pushed} start URL(s) to {keys['start_urls']} ({pending} pending)")
