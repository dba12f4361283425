"""`scrapy crawl SPIDER [-a NAME=VALUE...]`: Scrapy's own crawl command, plus checks
before the crawl starts.

Scrapy builds the spider and the pipelines inside the running crawl, where a bad
argument becomes a traceback in the log (and exit status 0 or 1) and an unreachable
database a 15-minute retry. So before handing over to Scrapy, this command calls the
`preflight` class method of the spider and of every enabled item pipeline, where they
have one: `preflight(settings, **spider_arguments)` for the spider, `preflight(settings)`
for a pipeline. A ValueError there is a usage error; an OSError (unreadable file) or a
DatabaseCheckError is one `error:` line. Either way: exit status 2, no traceback.

Scrapy gives project commands (COMMANDS_MODULE) precedence over its own of the same name,
so `scrapy crawl` runs this, and so does Scrapyd, which starts jobs through
scrapy.cmdline.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

from spiders.command import NewscleanCommand, os_error_message
from storage.checks import DatabaseCheckError


class Command(NewscleanCommand, ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # Here rather than in run(): Scrapy has not yet set up its log (the version lines
        # on stderr) or the reactor, so a mistake costs one line and no start-up time.
        if len(args) == 1:  # Scrapy's run() explains a missing or extra spider name
            self.preflight(args[0], opts.spargs)

    def preflight(self, spider_name: str, spider_arguments: dict[str, str]) -> None:
        assert self.settings is not None
        loader = get_spider_loader(self.settings)
        try:
            spidercls = loader.load(spider_name)
        except KeyError as exc:
            self.usage_error(
                f"no spider named {spider_name!r}; this project has: "
                f"{', '.join(sorted(loader.list()))}",
                exc,
            )
        checks: list[Callable[[], Any]] = []
        if hasattr(spidercls, "preflight"):
            checks.append(lambda: spidercls.preflight(self.settings, **spider_arguments))
        for path in build_component_list(self.settings.getwithbase("ITEM_PIPELINES")):
            component = load_object(path)
            if hasattr(component, "preflight"):
                checks.append(lambda component=component: component.preflight(self.settings))
        for check in checks:
            try:
                check()
            except OSError as exc:
                self.fail(os_error_message(exc), exc)
            except DatabaseCheckError as exc:
                self.fail(str(exc), exc)
            except ValueError as exc:
                self.usage_error(str(exc), exc)
