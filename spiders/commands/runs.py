"""`scrapy runs [--last N] [--since DATE] [--site S]`: recent crawl runs as a terminal
table: what each got, and whether its end-of-crawl checks passed."""

from __future__ import annotations

import argparse
import statistics
from typing import TYPE_CHECKING

from spiders.storecommand import StoreCommand
from storage.runs import RunRecord, load_runs

if TYPE_CHECKING:
    from rich.table import Table


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[--last N] [--since DATE] [--site S]"

    def short_desc(self) -> str:
        return "List recent crawl runs and their end-of-crawl checks"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--last", type=int, default=20, help="how many runs (default 20)")
        parser.add_argument("--since", help="only runs started on/after this ISO date")
        parser.add_argument("--site", help="figures of this host name only (www. ignored)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self.no_arguments(args)
        if opts.last < 1:
            self.usage_error(f"--last must be at least 1, got {opts.last}")
        since = self.since_option(opts.since)
        site = opts.site.lower().removeprefix("www.") if opts.site else None
        store = self.open_store()
        try:
            store.upgrade()  # a database crawled by an older newsclean gains the columns
            runs = load_runs(store, since=since, last=opts.last)
        finally:
            store.close()
        # Imported here, not at the top: Scrapy imports every command module on each start.
        from rich.console import Console

        console = Console()
        if not console.is_terminal:  # piped or logged: no terminal width to fit
            console = Console(width=max(console.width, 120))
        if not runs:
            console.print("no crawl runs recorded" + (" since " + opts.since if opts.since else ""))
            return
        console.print(runs_table(runs, site))
        for run in reversed(runs):
            for failure in run.failures:
                if site is None or failure.get("site") in (None, site):
                    console.print(f"[red]run {run.id}: {failure['message']}[/]", highlight=False)


def runs_table(runs: list[RunRecord], site: str | None = None) -> Table:
    from rich.table import Table

    table = Table(title=f"crawl runs{f' · {site}' if site else ''}", title_justify="left")
    for name in ("run", "started (UTC)", "took", "pages", "articles", "comments", "skipped",
                 "median words", "checks"):  # fmt: skip
        left = name in ("started (UTC)", "checks")
        table.add_column(name, justify="left" if left else "right", no_wrap=True)
    for run in reversed(runs):  # newest first
        figures = [f for s, f in run.sites.items() if site is None or s == site]
        if site is not None and not figures:
            continue
        words = [w for f in figures for w in f.word_counts]
        median = f"{statistics.median(words):,.0f}" if words else "–"
        took = (f"{(run.finished_at - run.started_at).total_seconds():.0f} s"
                if run.finished_at else "[yellow]unfinished[/]")  # fmt: skip
        failures = [f for f in run.failures if site is None or f.get("site") in (None, site)]
        if run.checks is None:
            checks = "[dim]not checked[/]"
        elif failures:
            checks = f"[bold red]{len(failures)} failed[/]"
        else:
            checks = "[green]ok[/]"
        if figures:
            pages = sum(f.pages for f in figures)
            articles = sum(f.articles for f in figures)
            comments = sum(f.comments for f in figures)
            skipped = sum(f.skipped for f in figures)
        else:  # run recorded before per-site figures were kept: the crawl's own stats
            pages = run.stats.get("newsclean/pages", 0)
            articles = run.stats.get("newsclean/stored/articles", 0)
            comments = run.stats.get("newsclean/stored/comments", 0)
            skipped = sum(v for k, v in run.stats.items() if k.startswith("newsclean/skipped/"))
        table.add_row(str(run.id), run.started_at.strftime("%Y-%m-%d %H:%M"), took,
                      f"{pages:,}", f"{articles:,}", f"{comments:,}", f"{skipped:,}", median,
                      checks)  # fmt: skip
    return table
