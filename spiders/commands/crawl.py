"""`scrapy crawl`, with the exit status of the end-of-crawl checks: 3 when a monitor
failed and NEWSCLEAN_FAIL_ON_DRIFT is on (spiders.monitoring), so cron and Scrapyd notice."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler

from spiders.monitoring import failed_checks_exit_status


class Command(ScrapyCrawl):
    crawler: Crawler | None = None

    def _create_crawler(self, spname: str) -> Crawler:
        self.crawler = super()._create_crawler(spname)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        if not self.exitcode and self.crawler is not None:
            self.exitcode = failed_checks_exit_status(self.crawler)
