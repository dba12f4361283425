"""`scrapy seed SPIDER URL... [-f FILE] [--reset]`: push start URLs to a distributed crawl.

Appends the URLs to the Redis list `<spider>:start_urls` (the scrapy-redis convention) and
allows their hosts for every worker. Workers started with NEWSCLEAN_REDIS_URL take them
from there; workers already waiting for work pick them up when idle.
"""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from spiders import distributed
from spiders.command import NewscleanCommand, os_error_message
from spiders.extensions import redact
from spiders.starturls import StartUrlError, read_start_urls


class Command(NewscleanCommand):
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
            self.usage_error("give the spider name (news) and start URLs")
        spider, *given = args
        try:
            # The same normalisation as `scrapy crawl news -a url=`: example.com -> https://...
            urls = read_start_urls(",".join(given), opts.file)
        except StartUrlError as exc:
            self.usage_error(str(exc), exc)
        except OSError as exc:
            self.fail(os_error_message(exc), exc)
        url = distributed.redis_url(self.settings)
        if not url:
            self.usage_error(
                "no Redis: set NEWSCLEAN_REDIS_URL (environment) or -s NEWSCLEAN_REDIS_URL=..."
            )
        if not urls and not opts.reset:
            self.usage_error("give start URLs (or --reset alone to clear the crawl state)")
        import redis

        server = distributed.connect(url)
        try:
            server.ping()
        except redis.RedisError as exc:
            self.fail(f"cannot reach Redis at {redact(url)} ({exc}): is it running, and is "
                      "NEWSCLEAN_REDIS_URL right?", exc)  # fmt: skip
        keys = distributed.keys_for(spider, self.settings)
        if opts.reset:
            distributed.reset_crawl(server, keys)
            print(f"cleared {', '.join(keys.values())}")
        pushed = distributed.push_seeds(server, keys, urls)
        pending = server.llen(keys["start_urls"])
        print(f"pushed {pushed} start URL(s) to {keys['start_urls']} ({pending} pending)")
