"""Re-cleaning stored raw pages on SQLite and Postgres: only outdated pages, results written
back in place, failures keep the stored article, worker processes, the real cleaner."""

from __future__ import annotations

from sqlalchemy import select

from cleaning import clean_html
from cleaning.types import CleanedArticle, Comment
from storage import PageRecord, Store
from storage.models import Article, CrawlRun, Page
from storage.reclean import reclean
from tests.test_storage import FETCHED_AT


def upper_cleaner(text: str, url: str | None = None, **kwargs) -> CleanedArticle:
    """A stand-in "new cleaner" (module level, so worker processes can load it)."""
    if "explode" in text:
        raise RuntimeError("cleaner bug")
    if "nothing" in text:
        return CleanedArticle(title=None, paragraphs=[], cleaner_version=2)
    profile = kwargs.get("site_profile") or []
    paragraphs = [line.upper() for line in text.split("|") if line and line not in profile]
    return CleanedArticle(
        title="v2",
        paragraphs=paragraphs,
        comments=[Comment(author="x", text="new comment")],
        cleaner_version=2,
    )


def page(n: int, text: str, site: str = "a.example", version: int = 1) -> PageRecord:
    return PageRecord(
        url=f"https://{site}/{n}",
        status=200,
        fetched_at=FETCHED_AT,
        headers={"Content-Type": "text/html; charset=utf-8"},
        body=text.encode("utf-8"),
        article=CleanedArticle(title="v1", paragraphs=["old text"], cleaner_version=version),
    )


def titles(store: Store) -> dict[str, tuple[str | None, int]]:
    with store.engine.connect() as connection:
        rows = connection.execute(select(Article.url, Article.title, Article.cleaner_version))
        return {row.url: (row.title, row.cleaner_version) for row in rows}


def test_outdated_articles_are_recleaned_in_place(store: Store) -> None:
    run_id = store.start_run("news")
    store.save_pages([page(1, "first|second"), page(2, "café|thé", version=2)], run_id)
    steps = []

    result = reclean(store, upper_cleaner, version=2, progress=lambda d, t: steps.append((d, t)))

    assert (result.candidates, result.cleaned, result.failed) == (1, 1, [])
    assert titles(store) == {"https://a.example/1": ("v2", 2), "https://a.example/2": ("v1", 2)}
    assert steps == [(0, 1), (1, 1)]
    with store.engine.connect() as connection:
        body = connection.execute(select(Article.body).where(Article.title == "v2")).scalar_one()
        assert connection.execute(select(Page.crawl_run_id)).scalars().all() == [run_id] * 2
        assert connection.execute(select(CrawlRun.id)).scalars().all() == [run_id]
    assert body == "FIRST\n\nSECOND"
    assert store.counts()["comments"] == 1
    assert reclean(store, upper_cleaner, version=2).candidates == 0  # nothing left to do


def test_cleaner_failures_keep_the_stored_article(store: Store) -> None:
    store.save_pages([page(1, "explode"), page(2, "nothing here"), page(3, "fine")])

    result = reclean(store, upper_cleaner, version=2)

    assert [f.url for f in result.failed] == ["https://a.example/1"]
    assert "cleaner bug" in result.failed[0].error
    assert (result.cleaned, result.empty) == (1, 1)
    assert titles(store) == {
        "https://a.example/1": ("v1", 1),
        "https://a.example/2": ("v1", 1),
        "https://a.example/3": ("v2", 2),
    }


def test_site_filter_and_site_profiles(store: Store) -> None:
    store.save_pages([page(1, "story|Follow us"), page(2, "other|Follow us", site="b.example")])

    def profiles(domain: str) -> list[str]:
        return ["Follow us"] if domain == "a.example" else []

    reclean(store, upper_cleaner, version=2, site="www.a.example", site_profiles=profiles)

    with store.engine.connect() as connection:
        bodies = dict(connection.execute(select(Article.url, Article.body)).all())
    assert bodies == {"https://a.example/1": "STORY", "https://b.example/2": "old text"}


def test_previously_failed_pages_are_retried(store: Store) -> None:
    skipped = page(1, "now|works")
    skipped.article, skipped.skip_reason = None, "cleaner-crash"
    store.save_pages([skipped])

    result = reclean(store, upper_cleaner, version=2)

    assert result.cleaned == 1
    assert titles(store) == {"https://a.example/1": ("v2", 2)}


def test_worker_processes_give_the_same_result(store: Store) -> None:
    store.save_pages([page(n, f"text {n}|more") for n in range(12)] + [page(99, "explode")])

    result = reclean(store, upper_cleaner, version=2, workers=2, batch_size=5)

    assert (result.candidates, result.cleaned, len(result.failed)) == (13, 12, 1)
    assert sum(version == 2 for _, version in titles(store).values()) == 12


def test_real_cleaner_reads_the_stored_html(store: Store) -> None:
    paragraphs = [
        "The harbour bridge will close for eight months while engineers replace the beams "
        "that inspectors flagged as corroded during the spring survey of the structure.",
        "Commuters from the northern villages will be sent over the ring road instead, "
        "which the transport office says adds about twenty minutes to a morning journey.",
        "Shop owners on Quay Street asked the council for extra parking near the market "
        "square, saying they feared losing passing trade while the works go on.",
    ]
    html = (
        "<html><head><meta charset='utf-8'><title>Bridge to close</title></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Bridge to close</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article><footer>© Example News</footer></body></html>"
    )
    store.save_pages([page(1, html, version=0)])

    result = reclean(store, clean_html)

    assert result.cleaned == 1
    with store.engine.connect() as connection:
        body = connection.execute(select(Article.body)).scalar_one()
    assert "eight months" in body and "Quay Street" in body and "old text" not in body
