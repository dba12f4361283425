"""End-of-crawl health checks: spidermon monitors over what each site yielded, compared
with the site's previous runs in `crawl_runs`.

- `RunHealth` (extension) counts, per site, the pages each item stands for; when the crawl
  ends it reads the stored articles back (storage.runs.site_figures) and the site's
  earlier runs.
- `CrawlHealthSuite` (spidermon, SPIDERMON_SPIDER_CLOSE_MONITORS) runs spidermon's own
  item-validation monitor (PAGE_ITEM_SCHEMA, checked by spidermon's ItemValidationPipeline)
  and ours: minimum articles per site, skip-rate ceiling, run-over-run drift.
- `RecordRunHealth` (the suite's action) keeps figures and failures in the run's
  `crawl_runs` row, writes the HTML report when NEWSCLEAN_REPORT_DIR is set, and counts
  failures in the stats, from which `scrapy crawl` takes its exit status
  (NEWSCLEAN_FAIL_ON_DRIFT).

Spidermon rather than our own signal handlers: its monitors are unittest cases with
named, logged results, and users can add their own suites and actions (e-mail, Slack)
beside ours with settings alone. The checks themselves are pure functions of the figures
(`*_failures`), tested without a crawl.
"""

from __future__ import annotations

import logging
import statistics
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import ItemValidationMonitor
from spidermon.core.actions import Action

from spiders.items import PageItem
from storage import Store, resolve_database_url
from storage.runs import RunRecord, SiteFigures, history_of, load_runs, record_health, site_figures
from storage.store import UNAVAILABLE_ERRORS, site_domain

logger = logging.getLogger(__name__)

# `scrapy crawl` exits with this status when a monitor failed and NEWSCLEAN_FAIL_ON_DRIFT
# is on (1 is taken by Scrapy for "the crawl could not start").
FAILED_CHECKS_EXIT_STATUS = 3

# Skips that say nothing about the health of a site: index pages are expected, pages the
# site's robots.txt keeps us out of are its choice, and duplicates are not failures. (A
# site that shuts us out entirely fails the minimum-articles check instead.)
_EXPECTED_SKIPS = frozenset({"not-article", "robots", "duplicate"})
# Pages that look like articles but yield none: a template change shows up here first.
_EMPTY_SKIPS = ("empty-after-cleaning", "not-article")
# A site "had comments" when at least this share of its articles had some.
_HAD_COMMENTS = 0.1

# Every stored article has a title and a non-empty body; every comment has text. Skipped
# and unchanged pages carry no article. Checked item by item by spidermon's
# ItemValidationPipeline (SPIDERMON_VALIDATION_SCHEMAS).
_NON_BLANK = {"type": "string", "pattern": r"\S"}
PAGE_ITEM_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["url"],
    "properties": {"url": _NON_BLANK},
    "if": {
        "properties": {"skip_reason": {"type": "null"}, "unchanged": {"type": "null"}},
        "required": ["skip_reason", "unchanged"],
    },
    "then": {
        "required": ["article"],
        "properties": {
            "article": {
                "type": "object",
                "required": ["title", "paragraphs", "comments"],
                "properties": {
                    "title": _NON_BLANK,
                    "paragraphs": {"type": "array", "minItems": 1, "contains": _NON_BLANK},
                    "comments": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["text"],
                            "properties": {"text": _NON_BLANK},
                        },
                    },
                },
            }
        },
    },
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a site's run counts as unhealthy (NEWSCLEAN_MONITOR_* / NEWSCLEAN_DRIFT_*)."""

    min_articles: int = 1
    max_skip_rate: float = 0.5
    words_drop: float = 0.4
    empty_rise: float = 0.25
    comments_drop: float = 0.8
    removal_jump: float = 1.0
    history: int = 5

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Thresholds:
        return cls(
            min_articles=settings.getint("NEWSCLEAN_MONITOR_MIN_ARTICLES", cls.min_articles),
            max_skip_rate=settings.getfloat("NEWSCLEAN_MONITOR_MAX_SKIP_RATE", cls.max_skip_rate),
            words_drop=settings.getfloat("NEWSCLEAN_DRIFT_WORDS_DROP", cls.words_drop),
            empty_rise=settings.getfloat("NEWSCLEAN_DRIFT_EMPTY_RISE", cls.empty_rise),
            comments_drop=settings.getfloat("NEWSCLEAN_DRIFT_COMMENTS_DROP", cls.comments_drop),
            removal_jump=settings.getfloat("NEWSCLEAN_DRIFT_REMOVAL_JUMP", cls.removal_jump),
            history=settings.getint("NEWSCLEAN_DRIFT_HISTORY", cls.history),
        )


Finding = dict[str, Any]  # {"check", "site", "message", "value", "baseline", "threshold"}


def _finding(check: str, site: str | None, message: str, **numbers: float | None) -> Finding:
    return {"check": check, "site": site, "message": message, **numbers}


# --- the checks (pure) ------------------------------------------------------------------


def minimum_article_failures(sites: Mapping[str, SiteFigures], limits: Thresholds) -> list[Finding]:
    return [
        _finding(
            "min-articles",
            site,
            f"{site}: {figures.articles} articles (minimum {limits.min_articles})",
            value=figures.articles,
            threshold=limits.min_articles,
        )  # fmt: skip
        for site, figures in sites.items()
        if figures.articles < limits.min_articles
    ]


def skip_rate_failures(sites: Mapping[str, SiteFigures], limits: Thresholds) -> list[Finding]:
    found = []
    for site, figures in sites.items():
        failed = [reason for reason in figures.skips if reason not in _EXPECTED_SKIPS]
        rate = figures.share_skipped(*failed) if failed else 0.0
        if rate is not None and rate > limits.max_skip_rate:
            reasons = ", ".join(f"{r} {figures.skips[r]}" for r in sorted(failed))
            found.append(_finding(
                "skip-rate", site,
                f"{site}: {rate:.0%} of {figures.pages} pages skipped ({reasons}); "
                f"ceiling {limits.max_skip_rate:.0%}",
                value=round(rate, 4), threshold=limits.max_skip_rate,
            ))  # fmt: skip
    return found


def drift_failures(
    sites: Mapping[str, SiteFigures],
    history: Mapping[str, list[SiteFigures]],
    limits: Thresholds,
) -> list[Finding]:
    """Each site against the median of its last `limits.history` runs (a median, so one odd
    run in the history does not hide or fake a change)."""
    found: list[Finding] = []
    for site, now in sites.items():
        before = history.get(site, [])[-limits.history :]
        if not before or not now.articles:
            continue
        found.extend(_words_drift(site, now, before, limits))
        found.extend(_empty_drift(site, now, before, limits))
        found.extend(_comments_drift(site, now, before, limits))
        found.extend(_removal_drift(site, now, before, limits))
    return found


def _baseline(before: Iterable[SiteFigures], value: Callable[[SiteFigures], float | None]) -> float:
    values = [v for v in map(value, before) if v is not None]
    return statistics.median(values) if values else 0.0


def _words_drift(
    site: str, now: SiteFigures, before: list[SiteFigures], limits: Thresholds
) -> list[Finding]:
    baseline = _baseline(before, lambda f: f.median_words)
    current = now.median_words or 0.0
    if baseline <= 0 or current > baseline * (1 - limits.words_drop):
        return []
    drop = 1 - current / baseline
    message = (f"{site}: median words per article {baseline:.0f} -> {current:.0f} "
               f"(-{drop:.0%}; alarm at -{limits.words_drop:.0%})")  # fmt: skip
    return [_finding("median-words", site, message, value=current, baseline=baseline,
                     threshold=limits.words_drop)]  # fmt: skip


def _empty_drift(
    site: str, now: SiteFigures, before: list[SiteFigures], limits: Thresholds
) -> list[Finding]:
    baseline = _baseline(before, lambda f: f.share_skipped(*_EMPTY_SKIPS))
    current = now.share_skipped(*_EMPTY_SKIPS) or 0.0
    if current - baseline < limits.empty_rise:
        return []
    message = (f"{site}: share of pages empty after cleaning or not articles "
               f"{baseline:.0%} -> {current:.0%} "
               f"(alarm at +{limits.empty_rise:.0%} points)")  # fmt: skip
    return [_finding("empty-pages", site, message, value=round(current, 4),
                     baseline=round(baseline, 4), threshold=limits.empty_rise)]  # fmt: skip


def _comments_drift(
    site: str, now: SiteFigures, before: list[SiteFigures], limits: Thresholds
) -> list[Finding]:
    baseline = _baseline(before, lambda f: f.comment_share)
    current = now.comment_share or 0.0
    if baseline < _HAD_COMMENTS or current > baseline * (1 - limits.comments_drop):
        return []
    message = (f"{site}: articles with comments {baseline:.0%} -> {current:.0%} "
               f"(alarm at -{limits.comments_drop:.0%})")  # fmt: skip
    return [_finding("comments-vanished", site, message, value=round(current, 4),
                     baseline=round(baseline, 4), threshold=limits.comments_drop)]  # fmt: skip


def _removal_drift(
    site: str, now: SiteFigures, before: list[SiteFigures], limits: Thresholds
) -> list[Finding]:
    found = []
    for family in sorted(now.removals):
        baseline = _baseline(before, lambda f, family=family: f.removals_per_article(family))
        current = now.removals_per_article(family)
        if current - baseline >= limits.removal_jump and current >= 2 * baseline:
            message = (f"{site}: '{family}' lines removed per article {baseline:.1f} -> "
                       f"{current:.1f} (alarm at +{limits.removal_jump:.1f} and x2)")  # fmt: skip
            found.append(_finding("removal-jump", site, message, family=family,
                                  value=round(current, 3), baseline=round(baseline, 3),
                                  threshold=limits.removal_jump))  # fmt: skip
    return found


# --- the crawl side ---------------------------------------------------------------------

_HEALTH: weakref.WeakKeyDictionary[Crawler, RunHealth] = weakref.WeakKeyDictionary()


class RunHealth:
    """Extension: what each site yielded in this crawl, and what the monitors found."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limits = Thresholds.from_settings(crawler.settings)
        self.database_url = resolve_database_url(crawler.settings.get("NEWSCLEAN_DATABASE_URL"))
        self.report_dir = crawler.settings.get("NEWSCLEAN_REPORT_DIR")
        self.pages: Counter[str] = Counter()
        self.unchanged: Counter[str] = Counter()
        self.skips: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.article_urls: set[str] = set()  # fresh articles and unchanged pages
        self.failures: list[Finding] = []
        self._sites: dict[str, SiteFigures] | None = None
        self._history: list[RunRecord] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunHealth:
        health = cls(crawler)
        crawler.signals.connect(health.item_scraped, signal=signals.item_scraped)
        _HEALTH[crawler] = health
        return health

    @classmethod
    def of(cls, crawler: Crawler) -> RunHealth:
        return _HEALTH[crawler]

    def item_scraped(self, item: Any) -> None:
        if not isinstance(item, PageItem):
            return
        site = site_domain(item.final_url or item.url)
        self.pages[site] += 1
        if item.unchanged:
            self.unchanged[site] += 1
            self.article_urls.add(item.url)  # counted if an article is stored for it
        elif item.skip_reason:
            self.skips[site][item.skip_reason] += 1
        else:
            self.article_urls.add(item.url)

    @property
    def run_id(self) -> int | None:
        stats = self.crawler.stats
        return stats.get_value("newsclean/run_id") if stats else None

    def sites(self) -> dict[str, SiteFigures]:
        """This run's figures per site, read back from the store once the pipelines closed."""
        if self._sites is None:
            with Store(self.database_url, dedup=None) as store:
                self._sites = site_figures(
                    store, self.pages, self.skips, self.unchanged, self.article_urls
                )
        return self._sites

    def history(self) -> dict[str, list[SiteFigures]]:
        """Each site's figures in earlier runs, oldest first."""
        if self._history is None:
            if self.run_id is None:
                self._history = []
            else:
                with Store(self.database_url, dedup=None) as store:
                    self._history = load_runs(store, before=self.run_id, last=50)
        return {
            site: history_of(self._history, site, self.limits.min_articles) for site in self.sites()
        }

    def record(self) -> None:
        """Keep figures and failures in the run's row; write the report if asked to."""
        stats = self.crawler.stats
        if stats:
            stats.set_value("newsclean/monitors/failures", len(self.failures))
        run_id = self.run_id
        if run_id is None:
            return
        checks = {"ok": not self.failures, "failures": self.failures}
        try:
            with Store(self.database_url, dedup=None) as store:
                record_health(store, run_id, self.sites(), checks)
                if self.report_dir:
                    self._write_report(store, run_id)
        except UNAVAILABLE_ERRORS as exc:
            logger.error("database unavailable: health of crawl run %s not recorded (%s)",
                         run_id, type(exc).__name__)  # fmt: skip

    def _write_report(self, store: Store, run_id: int) -> None:
        from storage.html_report import write_report

        path = Path(self.report_dir) / f"crawl-run-{run_id}.html"
        write_report(store, path, run_id=run_id)
        logger.info("crawl report written to %s", path)


def failed_checks_exit_status(crawler: Crawler) -> int:
    """0, or FAILED_CHECKS_EXIT_STATUS when a monitor failed and NEWSCLEAN_FAIL_ON_DRIFT
    asks for it (for `scrapy crawl`)."""
    if not crawler.settings.getbool("NEWSCLEAN_FAIL_ON_DRIFT"):
        return 0
    failures = crawler.stats.get_value("newsclean/monitors/failures", 0) if crawler.stats else 0
    return FAILED_CHECKS_EXIT_STATUS if failures else 0


# --- spidermon ----------------------------------------------------------------------------


class HealthMonitor(Monitor):
    """Base of our monitors: a failing check is recorded with its numbers, then failed."""

    @property
    def health(self) -> RunHealth:
        return RunHealth.of(self.data.crawler)

    def assert_healthy(self, findings: list[Finding]) -> None:
        self.health.failures.extend(findings)
        if findings:
            self.fail("\n".join(f["message"] for f in findings))


@monitors.name("Articles per site")
class MinimumArticlesMonitor(HealthMonitor):
    @monitors.name("every site yields NEWSCLEAN_MONITOR_MIN_ARTICLES articles or more")
    def test_minimum_articles(self) -> None:
        self.assert_healthy(minimum_article_failures(self.health.sites(), self.health.limits))


@monitors.name("Skip rate per site")
class SkipRateMonitor(HealthMonitor):
    @monitors.name("no site skips more than NEWSCLEAN_MONITOR_MAX_SKIP_RATE of its pages")
    def test_skip_rate(self) -> None:
        self.assert_healthy(skip_rate_failures(self.health.sites(), self.health.limits))


@monitors.name("Drift against previous runs")
class DriftMonitor(HealthMonitor):
    @monitors.name("no site's words, empty pages, comments or removals drifted")
    def test_drift(self) -> None:
        health = self.health
        self.assert_healthy(drift_failures(health.sites(), health.history(), health.limits))


class RecordRunHealth(Action):
    """Spidermon action after the monitors: record everything that failed, ours with their
    numbers, spidermon's own (item validation) with their message."""

    def run_action(self) -> None:
        health = RunHealth.of(self.data.crawler)
        for result in self.result.monitors_failed_results:
            if isinstance(result.item, HealthMonitor):
                continue
            if isinstance(result.item, ItemValidationMonitor):
                health.failures.append(_validation_finding(self.data.stats))
            else:  # a monitor a user added to the suite
                last_line = (str(result.error).strip().splitlines() or [""])[-1]
                health.failures.append(_finding(result.item.name, None, last_line))
        health.record()


_FIELD_ERRORS = "spidermon/validation/fields/errors/"


def _validation_finding(stats: Mapping[str, Any]) -> Finding:
    """The item-validation failure with its numbers: errors per field and message."""
    per_field = {
        key.removeprefix(_FIELD_ERRORS): count
        for key, count in stats.items()
        if key.startswith(_FIELD_ERRORS) and key.count("/") > _FIELD_ERRORS.count("/")
    }  # "<message>/<field>" -> count
    details = ", ".join(
        f"{key.rsplit('/', 1)[1]}: {key.rsplit('/', 1)[0]} x{count}"
        for key, count in sorted(per_field.items())
    )
    items = stats.get("spidermon/validation/items/errors", 0)
    message = f"{items} invalid items ({details or 'see the crawl log'})"
    return _finding("item-validation", None, message, value=items, threshold=0)


class CrawlHealthSuite(MonitorSuite):
    monitors = [ItemValidationMonitor, MinimumArticlesMonitor, SkipRateMonitor, DriftMonitor]
    monitors_finished_actions = [RecordRunHealth]
