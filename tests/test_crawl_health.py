"""End-of-crawl monitors and reports on real crawls: three generated sites on three
loopback addresses are crawled twice; between the runs one site's template changes (bodies
keep half their paragraphs, comments disappear). The second run's spidermon monitors
flag exactly that site, `scrapy crawl` exits as NEWSCLEAN_FAIL_ON_DRIFT says, and the
report shows it, opened in real headless Chromium, with the database's numbers."""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from spiders.monitoring import FAILED_CHECKS_EXIT_STATUS
from storage import Store
from storage.models import Article, Comment, Page, Site
from storage.runs import load_runs
from tests.crawling import REPO, crawl_command
from tests.plugins.chromium import Chromium
from tests.sitegen import GeneratedSite, serve_site

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
CHANGED = "127.0.0.2"  # the site whose template changes between the runs
CHARTS = {
    "articles-over-time", "skip-reasons", "word-counts", "comments-per-article",
    "removal-families",
}  # fmt: skip


@contextlib.contextmanager
def three_sites() -> Iterator[tuple[str, dict[str, GeneratedSite]]]:
    sites = {host: GeneratedSite(articles=10, seed=n) for n, host in enumerate(HOSTS, 1)}
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(serve_site(site, host=host)) for host, site in sites.items()]
        yield ",".join(urls), sites


def crawl(urls: str, database_url: str, **settings: str) -> subprocess.CompletedProcess[str]:
    args, env = crawl_command(urls, database_url, settings)
    return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=240)


def scrapy(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSCLEAN_DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def failures(database_url: str, run_index: int = -1) -> set[tuple[str | None, str]]:
    with Store(database_url) as store:
        run = load_runs(store)[run_index]
    assert run.checks is not None, "the monitors recorded nothing"
    return {(f["site"], f["check"]) for f in run.failures}


@pytest.mark.slow
def test_a_template_change_is_flagged_for_that_site_alone(
    database_url: str, tmp_path: Path, chromium: Chromium
) -> None:
    with three_sites() as (urls, sites):
        first = crawl(urls, database_url, NEWSCLEAN_FAIL_ON_DRIFT="True")
        assert first.returncode == 0, first.stderr[-4000:]
        assert failures(database_url) == set()
        with Store(database_url) as store:
            (run,) = load_runs(store)
        assert sorted(run.sites) == list(HOSTS)
        assert all(run.sites[h].articles == 10 and run.sites[h].comments for h in HOSTS)

        sites[CHANGED].redesign()
        if database_url.startswith("sqlite"):  # the same second run, with the setting off
            off_url = f"sqlite:///{tmp_path / 'setting-off.db'}"
            shutil.copy(database_url.removeprefix("sqlite:///"), tmp_path / "setting-off.db")
        reports = tmp_path / "reports"
        second = crawl(
            urls, database_url, NEWSCLEAN_FAIL_ON_DRIFT="True", NEWSCLEAN_REPORT_DIR=str(reports)
        )
        assert second.returncode == FAILED_CHECKS_EXIT_STATUS, second.stderr[-4000:]
        assert [p.name for p in reports.iterdir()] == ["crawl-run-2.html"]
        assert "data-check='median-words'" in (reports / "crawl-run-2.html").read_text()
        assert failures(database_url) == {(CHANGED, "median-words"), (CHANGED, "comments-vanished")}
        assert "[Spidermon] Drift against previous runs" in second.stderr
        assert f"{CHANGED}: median words per article" in second.stderr  # in the log
        if database_url.startswith("sqlite"):
            quiet = crawl(urls, off_url, NEWSCLEAN_FAIL_ON_DRIFT="False")
            assert quiet.returncode == 0, quiet.stderr[-4000:]
            assert failures(off_url) == failures(database_url)

    listing = scrapy("runs", database_url=database_url)
    assert listing.returncode == 0, listing.stderr
    assert "2 failed" in listing.stdout and f"run 2: {CHANGED}: median words" in listing.stdout

    report = tmp_path / "drift.html"
    made = scrapy("report", "-o", str(report), database_url=database_url)
    assert made.returncode == 0, made.stderr
    page = open_report(chromium, report, tmp_path / "drift.png")
    assert_numbers_match_database(page["sites"], database_url)
    flagged = {site for site, row in page["sites"].items() if "fail" in row["class"]}
    assert flagged == {CHANGED}
    assert page["sites"][CHANGED]["color"] == "rgb(155, 28, 28)"  # drawn in red
    assert {(f["site"], f["check"]) for f in page["failures"]} == {
        (CHANGED, "median-words"), (CHANGED, "comments-vanished"),
    }  # fmt: skip
    words = next(f for f in page["failures"] if f["check"] == "median-words")
    assert "median words per article" in words["text"] and "->" in words["text"]


@pytest.mark.slow
def test_report_of_the_demo_crawl_renders_with_the_databases_numbers(
    demo_site_url: str, tmp_path: Path, chromium: Chromium
) -> None:
    database_url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = crawl(demo_site_url, database_url)
    assert result.returncode == 0, result.stderr[-4000:]
    report = tmp_path / "demo.html"
    made = scrapy("report", "-o", str(report), database_url=database_url)
    assert made.returncode == 0, made.stderr
    page = open_report(chromium, report, tmp_path / "demo.png")
    assert page["sites"], "no per-site rows"
    assert_numbers_match_database(page["sites"], database_url)
    assert page["checks"] == "All end-of-crawl checks passed."


def test_report_and_runs_on_an_empty_database_say_so_without_a_traceback(
    tmp_path: Path, chromium: Chromium
) -> None:
    database_url = f"sqlite:///{tmp_path / 'empty.db'}"
    report = tmp_path / "empty.html"
    made = scrapy("report", "-o", str(report), database_url=database_url)
    assert made.returncode == 0 and "Traceback" not in made.stderr, made.stderr
    visit = chromium.open(report, tmp_path / "empty.png")
    assert visit.console_errors == [] and visit.exceptions == []
    assert chromium.evaluate("document.querySelector('h2').textContent") == "Nothing to report yet"
    listing = scrapy("runs", database_url=database_url)
    assert listing.returncode == 0 and "no crawl runs recorded" in listing.stdout
    unknown = scrapy("report", "--run", "42", "-o", str(report), database_url=database_url)
    assert unknown.returncode == 2 and "no crawl run 42" in unknown.stderr
    assert "Traceback" not in unknown.stderr


# --- helpers ------------------------------------------------------------------------------

_READ_PAGE = """(() => {
  const rows = {};
  for (const tr of document.querySelectorAll('#sites tbody tr')) {
    const cells = {};
    for (const td of tr.querySelectorAll('td[data-metric]')) {
      cells[td.dataset.metric] = td.textContent.trim();
    }
    const color = getComputedStyle(tr.querySelector('th')).color;
    rows[tr.dataset.site] = {class: tr.className, color, cells};
  }
  const charts = [...document.querySelectorAll('figure.chart')].map(f => {
    const svg = f.querySelector('svg.main-svg');
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    const marks = [...f.querySelectorAll('.trace path')]
      .filter(m => { const b = m.getBoundingClientRect(); return b.width > 0 || b.height > 0; });
    return {id: f.dataset.chart, width: box.width, height: box.height, marks: marks.length};
  });
  const failures = [...document.querySelectorAll('#checks li.fail')].map(li => (
    {site: li.dataset.site, check: li.dataset.check, text: li.textContent}));
  const checks = document.querySelector('#checks');
  return {sites: rows, charts, failures, checks: checks ? checks.textContent.trim() : null};
})()"""


def open_report(chromium: Chromium, report: Path, screenshot: Path) -> dict[str, Any]:
    """Load the report; no console error, every chart drawn with marks; a screenshot."""
    visit = chromium.open(report, screenshot)
    assert visit.console_errors == [], visit.console_errors
    assert visit.exceptions == [], visit.exceptions
    assert screenshot.stat().st_size > 10_000
    page = chromium.evaluate(_READ_PAGE)
    assert {chart["id"] for chart in page["charts"]} == CHARTS
    for chart in page["charts"]:
        assert chart["width"] > 300 and chart["height"] > 200, chart
        assert chart["marks"] > 0, f"chart {chart['id']} drew nothing"
    return page


def assert_numbers_match_database(rows: dict[str, Any], database_url: str) -> None:
    """Every site row of the page against counts taken straight from the tables (each run
    of these tests handles every page of every site, so the latest state is the run's)."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        pages = dict(connection.execute(
            select(Site.domain, func.count()).join(Page, Page.site_id == Site.id)
            .group_by(Site.domain)).all())  # fmt: skip
        skipped = dict(connection.execute(
            select(Site.domain, func.count()).join(Page, Page.site_id == Site.id)
            .where(Page.skip_reason.is_not(None)).group_by(Site.domain)).all())  # fmt: skip
        articles = connection.execute(
            select(Site.domain, Article.word_count, Article.duplicate_kind,
                   select(func.count()).where(Comment.article_id == Article.id)
                   .scalar_subquery())
            .join(Site, Site.id == Article.site_id)).all()  # fmt: skip
    engine.dispose()
    assert set(rows) == set(pages)
    for site, row in rows.items():
        mine = [a for a in articles if a[0] == site]
        words = [a[1] for a in mine]
        expected = {
            "pages": str(pages[site]),
            "articles": str(len(mine)),
            "comments": str(sum(a[3] for a in mine)),
            "median_words": f"{statistics.median(words):,.0f}" if words else "–",
            "comment_share": f"{sum(a[3] > 0 for a in mine) / len(mine):.0%}" if mine else "–",
            "near_duplicates": str(sum(a[2] is not None for a in mine)),
        }
        shown = {name: row["cells"][name] for name in expected}
        assert shown == expected, site
        assert row["cells"]["skipped"].split(" ")[0] == str(skipped.get(site, 0)), site
