"""The cleaning worker's job (spiders.pagework): triage, links, feeds, cleaning and store
columns of one page from one parse, and the crawl-side pieces that rely on it."""

from __future__ import annotations

import asyncio
import functools
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.linkextractors import IGNORED_EXTENSIONS as SCRAPY_IGNORED_EXTENSIONS
from spidermon.contrib.validation import JSONSchemaValidator

import storage
from cleaning.html import clean_html
from cleaning.types import CleanedArticle, Comment
from spiders.cleanpool import CleanPool, run_cleaner
from spiders.items import PageItem
from spiders.monitoring import PAGE_ITEM_SCHEMA
from spiders.pagework import IGNORED_EXTENSIONS, PageJob, base_url, page_links, process_page
from spiders.pipelines import _article_view
from spiders.poolwarmup import SAMPLE_PAGE, SAMPLE_URL
from storage import PageRecord, Store
from storage.records import PackedBody
from storage.signatures import DedupOptions, article_fingerprint
from storage.store import DEFAULT_DEDUP
from tests.sitegen import GeneratedSite

CLEAN = functools.partial(run_cleaner, "cleaning.html:clean_html")
REPO = Path(__file__).resolve().parent.parent
BASE = "http://gazette.example"


@pytest.fixture(scope="module")
def site() -> GeneratedSite:
    site = GeneratedSite(200)  # section fronts of 40 teasers
    site.base = BASE
    return site


def _job(html: str, url: str, **kwargs: object) -> PageJob:
    return PageJob(url=url, body=html.encode(), content_type="text/html; charset=utf-8",
                   dedup=DEFAULT_DEDUP, **kwargs)  # fmt: skip


def test_article_page_comes_back_cleaned_with_links_feeds_and_store_columns(site) -> None:
    url = BASE + site.article_path(3)
    result = process_page(CLEAN, _job(site.article_html(3), url))
    assert result.skip_reason is None and result.is_article
    article = result.article
    assert article is not None and article.paragraphs and article.comments
    # the same columns the store would compute itself
    assert result.fingerprint == article_fingerprint(article, DEFAULT_DEDUP)
    assert result.packed_body == PackedBody.of(site.article_html(3).encode())
    assert BASE + "/world/1/" in result.links
    assert all(link.startswith(BASE) and "#" not in link for link in result.links)
    assert len(result.links) == len(set(result.links))
    assert result.feeds == (BASE + "/feed.xml",)


def test_listing_page_is_a_not_article_skip_that_still_gives_its_links(site) -> None:
    html = site.section_html("world", 1)
    assert html is not None
    result = process_page(CLEAN, _job(html, BASE + "/world/1/"))
    assert result.skip_reason == "not-article" and not result.is_article
    assert result.article is None and result.packed_body is not None
    assert BASE + site.article_path(0) in result.links


def test_article_links_are_left_out_when_articles_are_not_followed(site) -> None:
    url = BASE + site.article_path(3)
    result = process_page(CLEAN, _job(site.article_html(3), url, article_links=False))
    assert result.is_article and result.links == ()
    listing = process_page(
        CLEAN, _job(site.section_html("world", 1) or "", BASE + "/world/1/", article_links=False)
    )
    assert listing.links


def test_unchanged_article_is_triaged_for_links_but_not_cleaned(site) -> None:
    url = BASE + site.article_path(5)
    result = process_page(CLEAN, _job(site.article_html(5), url, clean=False))
    assert result.is_article and result.skip_reason is None
    assert result.article is None and result.packed_body is None
    assert result.links


def test_cleaner_exception_is_a_cleaner_crash_that_keeps_the_links(site) -> None:
    def broken(html: str, url: str, profile: object) -> CleanedArticle:
        raise RuntimeError("bad page")

    url = BASE + site.article_path(2)
    result = process_page(broken, _job(site.article_html(2), url))
    assert result.skip_reason == "cleaner-crash" and "RuntimeError: bad page" in result.detail
    assert result.cleaner_error and "Traceback" in result.cleaner_error
    assert result.links and result.packed_body is not None


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"%PDF-1.7\x00\x01binary", "application/pdf", "not-html"),
        (b"<html><body>   </body></html>", "text/html", "empty-after-cleaning"),
    ],
)
def test_pages_that_are_no_html_article_are_skips(body, content_type, reason) -> None:
    job = PageJob(url=BASE + "/x", body=body, content_type=content_type)
    result = process_page(CLEAN, job)
    assert result.skip_reason == reason and result.links == () and not result.is_article


def test_page_links_follow_scrapy_rules_for_what_is_followed() -> None:
    from lxml import etree

    html = """<html><head><base href="/news/"></head><body>
      <a href="story-1.html#comments">one</a> <a href=" story-1.html ">again</a>
      <a href="/reply?to=3" rel="nofollow ugc">reply</a>
      <a href="mailto:desk@gazette.example">mail</a> <a href="javascript:void(0)">js</a>
      <a href="/img/photo.JPG">photo</a> <a href="/files/report.pdf">report</a>
      <map><area href="/area-link"></map> <a>no href</a> <a href="http://[bad">bad</a>
      </body></html>"""
    root = etree.fromstring(html, etree.HTMLParser())
    base = base_url(root, BASE + "/section/page")
    assert base == BASE + "/news/"
    assert page_links(root, base) == [
        BASE + "/news/story-1.html",
        BASE + "/files/report.pdf",
        BASE + "/area-link",
    ]


def test_pool_runs_the_whole_page_job_in_a_worker(site) -> None:
    url = BASE + site.article_path(1)
    with CleanPool(workers=1, timeout=60) as pool:
        result = pool.submit_page(_job(site.article_html(1), url)).result(timeout=120)
    assert result.article is not None and result.links and result.fingerprint is not None


@pytest.mark.parametrize(
    ("cleaner", "error"),
    [("cleaning", ValueError), ("no_such_module:clean", ImportError),
     ("cleaning.html:no_such_function", AttributeError)],
)  # fmt: skip
def test_pool_refuses_a_cleaner_that_does_not_exist_when_it_starts(cleaner, error) -> None:
    with pytest.raises(error):
        CleanPool(workers=1, timeout=60, cleaner=cleaner)


def test_worker_imports_neither_scrapy_nor_the_database_layer() -> None:
    """What the pool's forkserver preloads (spiders.cleanpool) is all a worker imports:
    the cleaner, numpy for the signatures, no Scrapy, SQLAlchemy or Alembic (a second of
    CPU per crawl, for nothing a worker does)."""
    code = (
        "import sys, spiders.cleanpool, spiders.pagework, cleaning.html\n"
        "import spiders.poolwarmup_preload\n"
        "print(sorted({'scrapy', 'sqlalchemy', 'alembic', 'twisted'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert done.stdout.strip() == "[]"


def test_followed_extensions_are_scrapys_list_written_out() -> None:
    assert IGNORED_EXTENSIONS == SCRAPY_IGNORED_EXTENSIONS


def test_warm_up_page_runs_the_body_metadata_and_comment_paths() -> None:
    article = clean_html(SAMPLE_PAGE, url=SAMPLE_URL)
    assert article.title and len(article.paragraphs) >= 5
    assert [c.author for c in article.comments] == ["Tomasz Wicz", "Leila Haddad"]
    assert article.comments[1].parent == 0


def test_storage_package_names_resolve_lazily() -> None:
    for name in storage.__all__:
        assert getattr(storage, name) is not None
    with pytest.raises(AttributeError):
        _ = storage.NoSuchThing


def test_store_writes_the_workers_fingerprint_and_recomputes_a_foreign_one(tmp_path, site) -> None:
    url = BASE + site.article_path(4)
    result = process_page(CLEAN, _job(site.article_html(4), url))
    assert result.article is not None and result.fingerprint is not None
    body = site.article_html(4).encode()

    def record(path: str, fingerprint: object) -> PageRecord:
        return PageRecord(url=BASE + path, status=200, fetched_at=datetime.now(UTC), body=body,
                          article=result.article, fingerprint=fingerprint,
                          packed_body=result.packed_body)  # fmt: skip

    other = DedupOptions(shingle_words=3)
    with Store(f"sqlite:///{tmp_path / 'n.db'}") as store:
        store.upgrade()
        store.save_pages([record("/a", result.fingerprint), record("/b", None)])
        store.save_pages([record("/c", article_fingerprint(result.article, other))])
        with store.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT url, word_count, body_hash, minhash, shingle_count FROM articles"
                " ORDER BY url"
            ).fetchall()
            pages = connection.exec_driver_sql("SELECT content_hash FROM pages").fetchall()
    assert len({row[1:] for row in rows}) == 1  # precomputed == computed by the store
    assert {p[0] for p in pages} == {result.packed_body.content_hash}


def _item(article: CleanedArticle | None, **fields: object) -> PageItem:
    return PageItem(url=BASE + "/a", status=200, fetched_at=datetime.now(UTC), article=article,
                    **fields)  # fmt: skip


@pytest.mark.parametrize(
    "article",
    [
        CleanedArticle(title="Title", paragraphs=["Body text."], comments=[Comment("A", "Hi")]),
        CleanedArticle(title=" ", paragraphs=["Body text."]),
        CleanedArticle(title="Title", paragraphs=["  "]),
        CleanedArticle(title="Title", paragraphs=["Body."], comments=[Comment("A", " ")]),
    ],
)
def test_validation_view_judges_like_the_full_item(article: CleanedArticle) -> None:
    from itemadapter import ItemAdapter

    validator = JSONSchemaValidator(PAGE_ITEM_SCHEMA)
    item = _item(article)
    view = {name: getattr(item, name) for name in PageItem.__slots__}
    view["article"] = _article_view(article)
    assert validator.validate(view) == validator.validate(ItemAdapter(item).asdict())


def _spider() -> object:
    from scrapy.utils.test import get_crawler

    from spiders.spiders.news import NewsSpider

    crawler = get_crawler(NewsSpider)
    return NewsSpider.from_crawler(crawler, url=BASE + "/")


def test_spider_builds_one_request_per_on_site_url() -> None:
    spider = _spider()
    assert [r.url for r in spider._site_requests(BASE + "/")] == [
        BASE + "/", BASE + "/robots.txt", BASE + "/sitemap.xml"
    ]  # fmt: skip
    home, deep = _response(BASE + "/", depth=0), _response(BASE + "/a/b", depth=3)
    assert not spider._first_request(BASE + "/", home)  # the start URL is requested already
    assert spider._first_request(BASE + "/world/1/", deep)
    assert not spider._first_request(BASE + "/world/1/", deep)
    assert not spider._first_request("http://elsewhere.example/world/1/", home)  # off-site
    # first seen deeper (perhaps beyond DEPTH_LIMIT): a shallower link requests it again
    assert spider._first_request(BASE + "/world/1/", home)
    assert not spider._first_request(BASE + "/world/1/", deep)


def _response(url: str, depth: int) -> object:
    from scrapy import Request
    from scrapy.http import HtmlResponse

    return HtmlResponse(url, request=Request(url, meta={"depth": depth}), body=b"")


def test_spider_without_a_pool_handles_pages_in_its_own_process(site) -> None:
    spider = _spider()
    url = BASE + site.article_path(6)
    result = asyncio.run(spider.process_page(_job(site.article_html(6), url)))
    assert result.article is not None and result.links
