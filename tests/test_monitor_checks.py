"""The end-of-crawl checks as functions of per-site figures (no crawl): each fires on the
change it is about, at its threshold, and stays quiet on a steady site."""

from __future__ import annotations

from datetime import datetime

from itemadapter import ItemAdapter
from spidermon.contrib.validation import JSONSchemaValidator

from cleaning.types import CleanedArticle, Comment
from spiders.items import PageItem
from spiders.monitoring import (
    PAGE_ITEM_SCHEMA,
    Thresholds,
    drift_failures,
    minimum_article_failures,
    skip_rate_failures,
)
from storage.runs import SiteFigures, sample_word_counts

LIMITS = Thresholds()


def figures(*, words: int = 800, articles: int = 20, commented: int = 15, skips=None,
            removals=None, pages: int | None = None) -> SiteFigures:  # fmt: skip
    skips = skips or {"not-article": 5}
    return SiteFigures(
        pages=pages if pages is not None else articles + sum(skips.values()),
        articles=articles, comments=commented * 3, articles_with_comments=commented,
        skips=skips, removals=removals or {"share": articles},
        word_counts=sorted(words + i % 3 - 1 for i in range(articles)),
    )  # fmt: skip


def checks_of(findings: list[dict]) -> list[tuple[str, str]]:
    return sorted((f["site"], f["check"]) for f in findings)


def test_a_steady_site_passes_every_check() -> None:
    history = {"a.example": [figures(), figures(words=820), figures(words=790)]}
    now = {"a.example": figures(words=805)}
    assert drift_failures(now, history, LIMITS) == []
    assert minimum_article_failures(now, LIMITS) == []
    assert skip_rate_failures(now, LIMITS) == []


def test_halved_bodies_and_vanished_comments_flag_only_that_site() -> None:
    history = {site: [figures(), figures()] for site in ("a.example", "b.example")}
    now = {"a.example": figures(), "b.example": figures(words=400, commented=0)}
    found = drift_failures(now, history, LIMITS)
    assert checks_of(found) == [("b.example", "comments-vanished"), ("b.example", "median-words")]
    words = next(f for f in found if f["check"] == "median-words")
    assert (words["baseline"], words["value"]) == (800, 400)
    assert "800 -> 400 (-50%" in words["message"]


def test_words_drop_fires_at_the_threshold_not_before() -> None:
    history = {"a.example": [figures(words=1000)]}
    assert drift_failures({"a.example": figures(words=610)}, history, LIMITS) == []
    found = drift_failures({"a.example": figures(words=600)}, history, LIMITS)
    assert checks_of(found) == [("a.example", "median-words")]


def test_the_baseline_is_the_median_of_the_history_so_one_odd_run_does_not_count() -> None:
    history = {"a.example": [figures(), figures(words=300), figures(), figures()]}
    assert drift_failures({"a.example": figures()}, history, LIMITS) == []


def test_pages_turning_empty_after_cleaning_are_flagged() -> None:
    history = {"a.example": [figures(skips={"not-article": 5})]}
    now = {"a.example": figures(articles=10, skips={"not-article": 5, "empty-after-cleaning": 10})}
    found = drift_failures(now, history, LIMITS)
    assert ("a.example", "empty-pages") in checks_of(found)


def test_a_removal_family_jumping_is_flagged_with_its_name() -> None:
    history = {"a.example": [figures(removals={"share": 20})]}
    now = {"a.example": figures(removals={"share": 20, "cookie": 40})}
    found = drift_failures(now, history, LIMITS)
    assert checks_of(found) == [("a.example", "removal-jump")]
    assert found[0]["family"] == "cookie" and found[0]["value"] == 2.0


def test_a_site_without_comments_before_is_not_flagged_for_having_none() -> None:
    history = {"a.example": [figures(commented=0)]}
    assert drift_failures({"a.example": figures(commented=0)}, history, LIMITS) == []


def test_a_site_with_no_history_is_not_compared() -> None:
    assert drift_failures({"new.example": figures(words=10)}, {}, LIMITS) == []


def test_minimum_articles_and_skip_ceiling() -> None:
    sites = {
        "empty.example": figures(articles=0, commented=0, skips={"http-error": 3}),
        "broken.example": figures(articles=4, commented=0, skips={"http-error": 6}),
        "index-heavy.example": figures(articles=4, skips={"not-article": 40}),
    }
    assert checks_of(minimum_article_failures(sites, LIMITS)) == [("empty.example", "min-articles")]
    assert checks_of(skip_rate_failures(sites, LIMITS)) == [
        ("broken.example", "skip-rate"),
        ("empty.example", "skip-rate"),
    ]


def test_item_schema_wants_a_title_a_body_and_comment_text() -> None:
    validator = JSONSchemaValidator(PAGE_ITEM_SCHEMA)

    def errors(**fields) -> dict:
        item = PageItem(url="http://a.example/x", status=200, fetched_at=datetime.now(), **fields)
        return validator.validate(ItemAdapter(item).asdict())[1]

    good = CleanedArticle(title="Bridge reopens", paragraphs=["The bridge reopened."],
                          comments=[Comment(author="Ann", text="Finally.")])  # fmt: skip
    assert errors(article=good) == {}
    assert errors(skip_reason="not-article") == {}
    assert errors(unchanged="not-modified") == {}
    bad = CleanedArticle(title=" ", paragraphs=[], comments=[Comment(author=None, text="")])
    assert set(errors(article=bad)) == {
        "article.title", "article.paragraphs", "article.comments.0.text",
    }  # fmt: skip
    assert set(errors()) == {"article"}


def test_word_count_sample_keeps_median_and_range() -> None:
    counts = list(range(1, 10_002))
    sample = sample_word_counts(counts)
    assert len(sample) == 1000 and sample[0] == 1 and sample[-1] == 10_001
    assert abs(sample[len(sample) // 2] - 5001) <= 10
