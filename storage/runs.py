"""Crawl runs as a history: what each run saw per site, and what its monitors found.

The pages and articles tables hold only the latest fetch of each URL, so a run's per-site
figures are worked out when it ends (`site_figures`) and kept in its `crawl_runs` row
(`record_health`). The drift monitors (spiders.monitoring), `scrapy runs` and
`scrapy report` read them back with `load_runs`.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update

from storage.models import Article, Comment, CrawlRun, Page, Site, to_utc_datetime
from storage.store import Store

# A run's word counts per site are kept as at most this many order statistics: enough to
# draw the distribution and take its median, small enough for 10,000-article sites.
WORD_SAMPLE = 1000
_CHUNK = 500  # URLs per IN (...) query


@dataclass(slots=True)
class SiteFigures:
    """What one crawl run saw of one site (stored as JSON in `crawl_runs.sites`)."""

    pages: int = 0  # pages the run handled: fetched, skipped or known to be unchanged
    articles: int = 0  # of those, pages that are stored articles (fresh or unchanged)
    unchanged: int = 0  # pages found unchanged since the last crawl (not cleaned again)
    comments: int = 0
    articles_with_comments: int = 0
    near_duplicates: int = 0  # articles that are an exact or near duplicate of another
    skips: dict[str, int] = field(default_factory=dict)  # skip reason -> pages
    removals: dict[str, int] = field(default_factory=dict)  # removal family -> lines
    word_counts: list[int] = field(default_factory=list)  # sorted sample (WORD_SAMPLE)

    @property
    def median_words(self) -> float | None:
        return statistics.median(self.word_counts) if self.word_counts else None

    @property
    def comment_share(self) -> float | None:
        """Share of articles with at least one comment."""
        return self.articles_with_comments / self.articles if self.articles else None

    @property
    def skipped(self) -> int:
        return sum(self.skips.values())

    def share_skipped(self, *reasons: str) -> float | None:
        """Share of the pages skipped for any of `reasons` (all reasons when none given)."""
        if not self.pages:
            return None
        wanted = reasons or tuple(self.skips)
        return sum(self.skips.get(reason, 0) for reason in wanted) / self.pages

    def removals_per_article(self, family: str) -> float:
        return self.removals.get(family, 0) / self.articles if self.articles else 0.0

    def add(self, other: SiteFigures) -> None:
        """Sum another run's figures into these (word counts pooled)."""
        self.pages += other.pages
        self.articles += other.articles
        self.unchanged += other.unchanged
        self.comments += other.comments
        self.articles_with_comments += other.articles_with_comments
        self.near_duplicates += other.near_duplicates
        self.skips = dict(Counter(self.skips) + Counter(other.skips))
        self.removals = dict(Counter(self.removals) + Counter(other.removals))
        self.word_counts = sorted(self.word_counts + other.word_counts)

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages, "articles": self.articles, "unchanged": self.unchanged,
            "comments": self.comments, "articles_with_comments": self.articles_with_comments,
            "near_duplicates": self.near_duplicates, "skips": dict(sorted(self.skips.items())),
            "removals": dict(sorted(self.removals.items())), "word_counts": self.word_counts,
            "median_words": self.median_words,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SiteFigures:
        return cls(
            pages=int(data.get("pages", 0)), articles=int(data.get("articles", 0)),
            unchanged=int(data.get("unchanged", 0)), comments=int(data.get("comments", 0)),
            articles_with_comments=int(data.get("articles_with_comments", 0)),
            near_duplicates=int(data.get("near_duplicates", 0)),
            skips={str(k): int(v) for k, v in (data.get("skips") or {}).items()},
            removals={str(k): int(v) for k, v in (data.get("removals") or {}).items()},
            word_counts=[int(v) for v in data.get("word_counts") or []],
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One `crawl_runs` row with its per-site figures decoded."""

    id: int
    spider: str
    started_at: datetime
    finished_at: datetime | None
    stats: dict[str, Any]
    sites: dict[str, SiteFigures]
    checks: dict[str, Any] | None

    @property
    def failures(self) -> list[dict[str, Any]]:
        return list((self.checks or {}).get("failures") or [])

    def failures_for(self, site: str) -> list[dict[str, Any]]:
        return [f for f in self.failures if f.get("site") == site]


def sample_word_counts(counts: Iterable[int]) -> list[int]:
    """Sorted word counts, thinned to WORD_SAMPLE evenly spaced order statistics (which
    keep the median and the shape of the distribution)."""
    ordered = sorted(counts)
    if len(ordered) <= WORD_SAMPLE:
        return ordered
    step = (len(ordered) - 1) / (WORD_SAMPLE - 1)
    return [ordered[round(i * step)] for i in range(WORD_SAMPLE)]


def site_figures(
    store: Store,
    pages: Mapping[str, int],
    skips: Mapping[str, Mapping[str, int]],
    unchanged: Mapping[str, int],
    article_urls: Iterable[str],
) -> dict[str, SiteFigures]:
    """Per-site figures of a run that handled `pages` pages per site, skipped `skips`
    (site -> reason -> pages), found `unchanged` pages unchanged, and whose articles are
    (among) the pages at `article_urls` (fresh articles and unchanged pages): those are
    read back from the database, so the figures are what was stored, and unchanged pages
    count with the article stored for them."""
    figures = {
        site: SiteFigures(pages=count, skips=dict(skips.get(site, {})),
                          unchanged=unchanged.get(site, 0))
        for site, count in pages.items()
    }  # fmt: skip
    words: dict[str, list[int]] = {}
    removals: dict[str, Counter[str]] = {}
    urls = sorted(set(article_urls))
    comment_count = (
        select(Comment.article_id, func.count().label("n")).group_by(Comment.article_id).subquery()
    )
    with store.engine.connect() as connection:
        for start in range(0, len(urls), _CHUNK):
            statement = (
                select(
                    Site.domain, Article.word_count, Article.removed, Article.duplicate_kind,
                    func.coalesce(comment_count.c.n, 0),
                )
                .select_from(Page)
                .join(Article, Article.page_id == Page.id)
                .join(Site, Site.id == Article.site_id)
                .outerjoin(comment_count, comment_count.c.article_id == Article.id)
                .where(Page.url.in_(urls[start : start + _CHUNK]))
            )  # fmt: skip
            for site, word_count, removed, duplicate_kind, comments in connection.execute(
                statement
            ):
                entry = figures.setdefault(site, SiteFigures())
                entry.articles += 1
                entry.comments += comments
                entry.articles_with_comments += comments > 0
                entry.near_duplicates += duplicate_kind is not None
                words.setdefault(site, []).append(word_count)
                removals.setdefault(site, Counter()).update(
                    str(line.get("reason")) for line in removed or [] if isinstance(line, dict)
                )
    for site, entry in figures.items():
        entry.word_counts = sample_word_counts(words.get(site, []))
        entry.removals = dict(removals.get(site, Counter()))
    return dict(sorted(figures.items()))


def record_health(
    store: Store, run_id: int, sites: Mapping[str, SiteFigures], checks: Mapping[str, Any]
) -> None:
    """Keep a run's per-site figures and monitor results in its `crawl_runs` row."""
    with store.engine.begin() as connection:
        connection.execute(
            update(CrawlRun)
            .where(CrawlRun.id == run_id)
            .values(
                sites={site: figures.to_json() for site, figures in sites.items()},
                checks=dict(checks),
            )
        )


def load_runs(
    store: Store,
    *,
    since: date | datetime | str | None = None,
    before: int | None = None,
    last: int | None = None,
    run_id: int | None = None,
) -> list[RunRecord]:
    """Crawl runs, oldest first: started on/after `since`, with an id below `before`, the
    `last` most recent of those, or only `run_id`."""
    statement = select(CrawlRun).order_by(CrawlRun.id.desc())
    if since is not None:
        statement = statement.where(CrawlRun.started_at >= to_utc_datetime(since))
    if before is not None:
        statement = statement.where(CrawlRun.id < before)
    if run_id is not None:
        statement = statement.where(CrawlRun.id == run_id)
    if last is not None:
        statement = statement.limit(last)
    with store.engine.connect() as connection:
        rows = connection.execute(statement).all()
    return [_record(row) for row in reversed(rows)]


def _record(row: Any) -> RunRecord:
    sites = {
        site: SiteFigures.from_json(data)
        for site, data in (row.sites or {}).items()
        if isinstance(data, Mapping)
    }
    return RunRecord(
        id=row.id, spider=row.spider, started_at=row.started_at, finished_at=row.finished_at,
        stats=dict(row.stats or {}), sites=sites, checks=row.checks,
    )  # fmt: skip


def history_of(runs: Iterable[RunRecord], site: str, min_articles: int = 1) -> list[SiteFigures]:
    """The figures of `site` in `runs` (oldest first), leaving out runs where it yielded
    fewer than `min_articles` articles: a failed run is no baseline."""
    return [
        run.sites[site]
        for run in runs
        if site in run.sites and run.sites[site].articles >= min_articles
    ]
