"""`scrapy demo`: serve the bundled demo site on 127.0.0.1, crawl it into the database,
print the crawl summary and one cleaned article with its comments, and write the HTML
report of the run to data/report.html."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import Any, ClassVar

from spiders.command import NewscleanCommand
from spiders.localsite import DEMO_PORT, DEMO_SITE, serve_directory
from storage import Store, resolve_database_url
from storage.checks import DatabaseCheckError, check_database
from storage.html_report import write_report
from storage.report import describe_article, most_commented_article_id, skipped_pages
from storage.runs import load_runs

# Where `make demo` leaves the report of its crawl (beside the default data/news.db).
DEMO_REPORT = Path("data") / "report.html"


class Command(NewscleanCommand):
    requires_project = True
    default_settings: ClassVar[dict[str, Any]] = {
        # Our own machine: no politeness delay needed against 127.0.0.1.
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    }

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # The demo prints its own summary; the project's INFO log would bury it.
        if not (opts.loglevel or opts.logfile):
            self.settings.set("LOG_LEVEL", "WARNING", priority="cmdline")

    def short_desc(self) -> str:
        return "Crawl the bundled demo site (served on 127.0.0.1) and show the result"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None and self.crawler_process is not None
        self.no_arguments(args)
        database_url = resolve_database_url(self.settings.get("NEWSCLEAN_DATABASE_URL"))
        try:
            check_database(database_url)
        except DatabaseCheckError as exc:
            self.fail(str(exc), exc)
        with contextlib.ExitStack() as stack:
            base_url = _serve_demo_site(stack)
            print(f"demo site served at {base_url}; crawling into {_safe(database_url)}")
            crawler = self.crawler_process.create_crawler("news")
            self.crawler_process.crawl(crawler, url=base_url)
            self.crawler_process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        from spiders.pipelines import format_summary

        print("\n== crawl summary ==")
        print(format_summary(stats))
        store = Store(database_url)
        try:
            print("\n== database ==")
            for table, count in store.counts().items():
                print(f"{table:<18} {count}")
            print("\n== pages that are not articles (skip reason, detail) ==")
            for url, reason, detail in skipped_pages(store):
                print(f"{reason:<14} {url}  ({detail})")
            print("\n== the article with the most comments ==")
            print(describe_article(store, most_commented_article_id(store)))
            print("\n== end-of-crawl checks (spidermon) ==")
            (run,) = load_runs(store, last=1)
            print("\n".join(f["message"] for f in run.failures) or "all passed")
            report = write_report(store, DEMO_REPORT, run_id=run.id)
            print(f"\n== report ==\n{report.resolve()}")
        finally:
            store.close()
        if stats.get("log_count/ERROR"):
            self.exitcode = 1


def _serve_demo_site(stack: contextlib.ExitStack) -> str:
    try:
        return stack.enter_context(serve_directory(DEMO_SITE, port=DEMO_PORT))
    except OSError:  # port taken: any free port will do for a one-off run
        return stack.enter_context(serve_directory(DEMO_SITE))


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
