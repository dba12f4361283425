"""The store on SQLite and on a real Postgres: idempotent upserts, skips, comments, bad rows."""

from __future__ import annotations

import logging
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cleaning.types import CleanedArticle, Comment, Metadata, Removal
from storage import PageRecord, SaveResult, Store, resolve_database_url
from storage.models import Article, CrawlRun, Page, Site
from storage.models import Comment as CommentRow

FETCHED_AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def make_article(n: int, *, body_words: str = "", version: int = 1, comments: int = 2):
    paragraphs = [
        f"Story {n} opens with a council vote on the harbour bridge repairs {body_words}".strip(),
        f"Residents of district {n} said the closure had doubled their commute.",
    ]
    thread = [Comment(author=f"reader{n}", text=f"First comment on story {n}.", published=None)]
    thread += [
        Comment(author=f"reply{i}", text=f"Reply {i} to story {n}.", parent=0)
        for i in range(1, comments)
    ]
    return CleanedArticle(
        title=f"Story {n}",
        paragraphs=paragraphs,
        comments=thread[:comments],
        removed=[Removal(text="Share on Facebook", reason="share")],
        metadata=Metadata(
            authors=["A. Writer"],
            published="2026-11-20",
            language="en",
            site_name="Example News",
            canonical_url=f"https://example.com/news/{n}",
            tags=["local"],
        ),
        cleaner_version=version,
    )


def make_record(
    n: int,
    *,
    html_extra: str = "",
    article: CleanedArticle | None = None,
    skip_reason: str | None = None,
    status: int = 200,
) -> PageRecord:
    """A fetched article page; with `skip_reason`, the same page recorded as skipped."""
    html = f"<html><body><h1>Story {n}</h1>{html_extra}</body></html>".encode()
    if skip_reason is None and article is None:
        article = make_article(n)
    return PageRecord(
        url=f"https://www.example.com/news/{n}",
        status=status,
        fetched_at=FETCHED_AT,
        headers={"Content-Type": "text/html; charset=utf-8"},
        body=html,
        content_type="text/html",
        article=article,
        skip_reason=skip_reason,
    )


def make_skip(n: int, reason: str = "http-error", status: int = 404) -> PageRecord:
    return PageRecord(
        url=f"https://example.com/missing/{n}",
        status=status,
        fetched_at=FETCHED_AT,
        body=b"<html>Not found</html>",
        skip_reason=reason,
        skip_detail=f"HTTP {status}",
    )


def test_saving_the_same_pages_twice_keeps_row_counts(store: Store) -> None:
    records = [make_record(n) for n in range(5)] + [make_skip(1)]
    first = store.save_pages(records)
    counts = store.counts()
    second = store.save_pages([make_record(n) for n in range(5)] + [make_skip(1)])

    assert (first.pages, first.articles, first.comments) == (6, 5, 10)
    assert first.skipped == {"http-error": 1}
    assert store.counts() == counts
    assert counts == {
        "sites": 1,
        "crawl_runs": 0,
        "pages": 6,
        "articles": 5,
        "comments": 10,
        "site_boilerplate": 0,
    }
    assert (second.pages, second.articles, second.unchanged) == (0, 0, 6)


def test_changed_page_is_updated_in_place(store: Store) -> None:
    store.save_pages([make_record(1)])
    with store.engine.connect() as connection:
        article_id = connection.execute(select(Article.id)).scalar_one()

    changed = make_record(
        1, html_extra="<p>update</p>", article=make_article(1, body_words="(updated)", comments=3)
    )
    result = store.save_pages([changed])

    assert (result.pages, result.articles, result.comments, result.unchanged) == (1, 1, 3, 0)
    with store.engine.connect() as connection:
        article = connection.execute(select(Article)).one()
        comments = connection.execute(select(CommentRow.position)).scalars().all()
        page = connection.execute(select(Page)).one()
    assert article.id == article_id
    assert "(updated)" in article.body
    assert sorted(comments) == [0, 1, 2]
    assert zlib.decompress(page.raw_body) == changed.body


def test_new_cleaner_version_rewrites_article_of_unchanged_page(store: Store) -> None:
    store.save_pages([make_record(1)])
    result = store.save_pages([make_record(1, article=make_article(1, version=2))])

    assert (result.articles, result.unchanged) == (1, 0)
    with store.engine.connect() as connection:
        assert connection.execute(select(Article.cleaner_version)).scalar_one() == 2


def test_page_row_keeps_fetch_details_and_compressed_body(store: Store) -> None:
    record = make_record(7)
    store.save_pages([record])
    with store.engine.connect() as connection:
        page = connection.execute(select(Page)).one()
        site = connection.execute(select(Site)).one()
        article = connection.execute(select(Article)).one()

    assert site.domain == "example.com"
    assert page.site_id == site.id == article.site_id
    assert zlib.decompress(page.raw_body) == record.body
    assert page.raw_size == len(record.body)
    assert len(page.content_hash) == 64
    assert page.fetched_at == FETCHED_AT
    assert page.fetched_at.tzinfo is not None
    assert page.headers == {"Content-Type": "text/html; charset=utf-8"}
    assert article.canonical_url == "https://example.com/news/7"
    assert article.removed == [{"text": "Share on Facebook", "reason": "share"}]
    assert article.word_count == len(record.article.body.split())  # no punctuation-only words
    assert article.authors == ["A. Writer"] and article.tags == ["local"]


def test_skipped_pages_are_stored_with_their_reason(store: Store) -> None:
    result = store.save_pages(
        [make_skip(1), make_skip(2, "not-html", 200), make_skip(3, "not-html", 200)]
    )

    assert result.skipped == {"http-error": 1, "not-html": 2}
    with store.engine.connect() as connection:
        rows = connection.execute(select(Page.url, Page.skip_reason, Page.skip_detail)).all()
    assert sorted((r.skip_reason, r.skip_detail) for r in rows) == [
        ("http-error", "HTTP 404"),
        ("not-html", "HTTP 200"),
        ("not-html", "HTTP 200"),
    ]
    assert store.counts()["articles"] == 0


def test_page_skipped_before_gets_its_article_later(store: Store) -> None:
    store.save_pages([make_record(1, skip_reason="cleaner-timeout")])
    result = store.save_pages([make_record(1)])

    assert (result.pages, result.articles) == (1, 1)
    with store.engine.connect() as connection:
        assert connection.execute(select(Page.skip_reason)).scalar_one() is None


def test_skipped_refetch_keeps_the_stored_article(store: Store) -> None:
    store.save_pages([make_record(1)])
    result = store.save_pages([make_record(1, skip_reason="http-error", status=503)])

    assert (result.kept, result.pages, result.skipped) == (1, 0, {"http-error": 1})
    assert store.counts()["articles"] == 1


def test_threaded_comments_round_trip_with_parents_and_votes(store: Store) -> None:
    article = CleanedArticle(
        title="Threaded",
        paragraphs=["Body paragraph one.", "Body paragraph two."],
        comments=[
            Comment(author="Ann", text="Top level.", published="2026-11-20T10:00:00+00:00"),
            Comment(author="Bob", text="Reply to Ann.", parent=0, votes=12),
            Comment(author="Cy", text="Reply to Bob.", parent=1, published="2 days ago"),
            Comment(author=None, text="Anonymous top level."),
        ],
    )
    store.save_pages([make_record(1, article=article)])

    with store.engine.connect() as connection:
        rows = connection.execute(select(CommentRow).order_by(CommentRow.position)).all()
    stored = [
        Comment(r.author, r.text, r.published, r.parent_position, votes=r.votes) for r in rows
    ]
    assert stored == article.comments
    assert [r.position for r in rows] == [0, 1, 2, 3]


def test_relative_comment_times_resolve_against_the_fetch_time(store: Store) -> None:
    article = CleanedArticle(
        title="Threaded",
        paragraphs=["Body paragraph one.", "Body paragraph two."],
        comments=[
            Comment("Ann", "Top level.", "vor 3 Tagen", published_text="vor 3 Tagen"),
            Comment("Bob", "Reply.", "2026-11-20T10:00:00", 0, published_text="20.11.2026 10:00"),
        ],
    )
    record = make_record(1, article=article)
    store.save_pages([record])
    with store.engine.connect() as connection:
        rows = connection.execute(select(CommentRow).order_by(CommentRow.position)).all()
    fetched = record.fetched_at.replace(tzinfo=None)
    assert rows[0].published == (fetched - timedelta(days=3)).replace(microsecond=0).isoformat()
    assert [r.published_text for r in rows] == ["vor 3 Tagen", "20.11.2026 10:00"]
    assert rows[1].published == "2026-11-20T10:00:00"


def test_one_bad_record_does_not_lose_the_batch(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    # A title with a lone surrogate: what `bytes.decode(errors="surrogateescape")` makes of
    # an undecodable byte. Neither database can encode it, so that record alone fails.
    bad = make_record(
        3, article=CleanedArticle(title="Broken \udcff title", paragraphs=["Some text."])
    )
    records = [make_record(1), make_record(2), bad, make_record(4)]

    with caplog.at_level(logging.ERROR, logger="storage.store"):
        result = store.save_pages(records)

    assert [failure.url for failure in result.failed] == [bad.url]
    assert (result.pages, result.articles) == (3, 3)
    assert store.counts()["pages"] == 3  # no page row without its article
    assert any(r.exc_info and bad.url in r.getMessage() for r in caplog.records)


def test_nul_characters_are_stored_without_error(store: Store) -> None:
    # Postgres refuses NUL in text; scraped pages contain them now and then.
    article = CleanedArticle(title="Nul\x00 title", paragraphs=["Body\x00 text."])
    result = store.save_pages([make_record(1, article=article)])

    assert result.failed == [] and result.articles == 1
    with store.engine.connect() as connection:
        assert connection.execute(select(Article.title)).scalar_one() == "Nul title"


def test_duplicate_urls_in_one_batch_keep_the_last(store: Store) -> None:
    older = make_record(1)
    newer = make_record(1, article=make_article(1, body_words="(newer)"))
    result = store.save_pages([older, newer])

    assert result.pages == 1
    with store.engine.connect() as connection:
        assert "(newer)" in connection.execute(select(Article.body)).scalar_one()


def test_large_input_is_split_into_batches(database_url: str) -> None:
    store = Store(database_url, batch_size=7)
    try:
        store.upgrade()
        result = store.save_pages([make_record(n) for n in range(30)])
        assert isinstance(result, SaveResult)
        assert (result.pages, result.articles, result.comments) == (30, 30, 60)
        assert store.counts()["pages"] == 30
    finally:
        store.close()


def test_crawl_run_records_settings_stats_and_pages(store: Store) -> None:
    run_id = store.start_run(spider="news", settings={"DEPTH_LIMIT": 2})
    store.save_pages([make_record(1)], run_id=run_id)
    store.finish_run(run_id, stats={"pages": 1, "skipped": {}})

    with store.engine.connect() as connection:
        run = connection.execute(select(CrawlRun)).one()
        page_run = connection.execute(select(Page.crawl_run_id)).scalar_one()
    assert page_run == run_id
    assert run.settings == {"DEPTH_LIMIT": 2} and run.stats == {"pages": 1, "skipped": {}}
    assert run.started_at <= run.finished_at


def test_database_url_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSCLEAN_DATABASE_URL", raising=False)
    assert resolve_database_url() == "sqlite:///data/news.db"
    monkeypatch.setenv("NEWSCLEAN_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert resolve_database_url() == "postgresql+psycopg://u@h/db"
    assert resolve_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_parent_directory_is_created(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Store("sqlite:///data/sub/news.db") as store:
        store.upgrade()
    assert (tmp_path / "data" / "sub" / "news.db").exists()


def test_password_is_masked_in_safe_url() -> None:
    store = Store("postgresql+psycopg://user:secret@127.0.0.1:1/db")
    try:
        assert "secret" not in store.safe_url
    finally:
        store.close()


def test_report_shows_the_most_commented_article_with_its_thread(store: Store) -> None:
    from storage.report import describe_article, most_commented_article_id

    assert describe_article(store, most_commented_article_id(store)) == "(no articles stored)"
    store.save_pages([make_record(1, article=make_article(1, comments=1)), make_record(2)])

    text = describe_article(store, most_commented_article_id(store))

    assert text.startswith("# Story 2")
    assert "- reader2: First comment on story 2." in text
    assert "    - reply1: Reply 1 to story 2." in text  # a reply is indented under its parent


def test_concurrent_writers_to_one_database_both_succeed(database_url: str) -> None:
    # Two crawler processes on one database: overlapping pages, written at the same time.
    # SQLite must wait for the lock (BEGIN IMMEDIATE + busy_timeout), not fail with
    # "database is locked"; Postgres must not deadlock on rows locked in different orders.
    import threading

    with Store(database_url) as setup:
        setup.upgrade()
    results: list[SaveResult] = []
    errors: list[BaseException] = []

    def crawl(order: range) -> None:
        try:
            with Store(database_url, batch_size=10) as store:
                for _ in range(3):
                    results.append(store.save_pages([make_record(n) for n in order]))
        except BaseException as exc:  # reported below, with the thread's traceback lost
            errors.append(exc)

    threads = [
        threading.Thread(target=crawl, args=(range(40),)),
        threading.Thread(target=crawl, args=(range(39, -1, -1),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert all(result.failed == [] for result in results)
    with Store(database_url) as store:
        assert store.counts()["pages"] == 40 and store.counts()["comments"] == 80
