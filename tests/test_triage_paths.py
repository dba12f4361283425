"""The triage failure classes through both entry points: a real `scrapy crawl` of a site
served on 127.0.0.1 and `ingest-warc` over a WARC of the same pages must keep every
label-less article at a plain URL and skip every listing page, with the same reason and
detail for each page."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from spiders.localsite import serve_directory
from storage.models import Article, Page
from tests.crawling import run_crawl
from tests.test_ingest_warc import ingest, response, write_warc
from tests.test_triage import FIXTURES, LABELS, SIMPLE_ARTICLE

pytestmark = pytest.mark.slow

HOST = "http://news.example"


def site_pages() -> dict[str, bytes]:
    """URL path -> bytes. Articles at the plain URLs of the issue (/a/N.html, /syn/N.html),
    listings at URLs that say nothing either (/l/N.html), so only content can decide; plus
    the issue's simple nav + <article> + footer page."""
    pages: dict[str, bytes] = {"/a/0.html": SIMPLE_ARTICLE}
    for n, (name, label) in enumerate(sorted(LABELS.items()), start=1):
        if label["kind"] == "article":
            path = f"/{'syn' if n % 3 == 0 else 'a'}/{n}.html"
        else:
            path = f"/l/{n}.html"
        pages[path] = (FIXTURES / name).read_bytes()
    return pages


def expected_articles(pages: dict[str, bytes]) -> set[str]:
    return {path for path in pages if not path.startswith("/l/")}


def stored(database_url: str) -> tuple[set[str], dict[str, tuple[str | None, str | None]]]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            articles = {urlsplit(a.url).path for a in session.scalars(select(Article))}
            pages = {
                urlsplit(p.url).path: (p.skip_reason, p.skip_detail)
                for p in session.scalars(select(Page))
            }
    finally:
        engine.dispose()
    return articles, pages


@pytest.fixture(scope="module")
def both_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    directory = tmp_path_factory.mktemp("triage-site")
    pages = site_pages()
    root = directory / "site"
    for path, body in pages.items():
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in pages)
    (root / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>")

    crawl_db = f"sqlite:///{directory / 'crawl.db'}"
    with serve_directory(root) as base:
        # Depth 1: the pages linked from the index, not the (absent) pages they link to.
        run_crawl(base, crawl_db, settings={"DEPTH_LIMIT": "1", "NEWSCLEAN_USE_SITEMAPS": "False",
                                            "NEWSCLEAN_USE_FEEDS": "False"})  # fmt: skip
    warc = write_warc(
        directory / "triage.warc.gz",
        [response(path, body, "text/html; charset=utf-8") for path, body in pages.items()],
    )
    warc_db = f"sqlite:///{directory / 'warc.db'}"
    ingest([warc], warc_db)
    return {"pages": pages, "crawl": stored(crawl_db), "warc": stored(warc_db)}


@pytest.mark.parametrize("path", ["crawl", "warc"])
def test_every_label_less_article_at_a_plain_url_is_stored(both_paths, path: str) -> None:
    articles, skips = both_paths[path]
    missing = expected_articles(both_paths["pages"]) - articles
    assert not missing, {p: skips.get(p) for p in missing}
    assert "/a/0.html" in articles  # the simple page of the issue


@pytest.mark.parametrize("path", ["crawl", "warc"])
def test_listing_pages_are_not_article_skips_that_say_why(both_paths, path: str) -> None:
    articles, skips = both_paths[path]
    listings = [p for p in both_paths["pages"] if p.startswith("/l/")]
    skipped = [p for p in listings if skips[p][0] == "not-article"]
    assert len(skipped) / len(listings) >= 0.95, set(listings) - set(skipped)
    for page in skipped:
        detail = skips[page][1] or ""
        assert detail.startswith("listing: ") or "listing-shaped URL" in detail, detail
    assert not articles & set(skipped)


def test_the_crawl_and_the_warc_judge_every_page_alike(both_paths) -> None:
    crawl, warc = both_paths["crawl"][1], both_paths["warc"][1]
    for path in both_paths["pages"]:
        assert crawl[path] == warc[path], path


def test_the_fixture_labels_file_lists_every_fixture() -> None:
    on_disk = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.html")}
    assert on_disk == set(LABELS)
    assert json.loads((FIXTURES / "LABELS.json").read_text())["pages"] == LABELS


def test_the_generator_reproduces_the_committed_fixtures(tmp_path: Path, monkeypatch) -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("triage_fixture_gen", FIXTURES / "generate.py")
    assert spec is not None and spec.loader is not None
    monkeypatch.syspath_prepend(str(FIXTURES))
    module = importlib.util.module_from_spec(spec)
    sys.modules["triage_fixture_gen"] = module
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for name in LABELS:
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name
