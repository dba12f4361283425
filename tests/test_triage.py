"""Page triage (cleaning.triage): the chain bytes -> HTML? -> text -> visible text ->
article or listing, on the labelled fixtures in tests/fixtures/triage/ and on one small
page per failure class."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.triage_bench import neutral_url, strip_labels
from cleaning import triage

FIXTURES = Path(__file__).parent / "fixtures" / "triage"
LABELS = json.loads((FIXTURES / "LABELS.json").read_text(encoding="utf-8"))["pages"]
LISTINGS = sorted(name for name, label in LABELS.items() if label["kind"] == "listing")
ARTICLES = sorted(name for name, label in LABELS.items() if label["kind"] == "article")

PARAGRAPH = (
    "<p>The regional water board confirmed on Thursday that the reservoir had reached its "
    "highest level in a decade, after three weeks of steady rain across the northern hills, "
    "and said the spillway would stay open until the weekend at least.</p>"
)
NAV = "<nav><a href='/'>Home</a> <a href='/news/'>News</a> <a href='/about/'>About</a></nav>"
FOOTER = "<footer><p>© 2026 Example</p></footer>"
# The page of the issue: no publisher labels, a nav bar, one <article> with a title and
# four long paragraphs, a footer.
SIMPLE_ARTICLE = (
    f"<html><head><title>Rain</title></head><body>{NAV}<article><h1>Reservoir at a "
    f"ten-year high</h1>{PARAGRAPH * 4}</article>{FOOTER}</body></html>"
).encode()


def teaser_river(n: int, summary: bool = True) -> str:
    cards = "".join(
        f"<div class='card'><h3><a href='/n/{i}.html'>Council votes on the harbour plan, "
        f"part {i}</a></h3>"
        + (
            "<p>Members debated the proposal for three hours on Tuesday before a narrow "
            "majority voted to keep the old pier open.</p>"
            if summary
            else ""
        )
        + "</div>"
        for i in range(n)
    )
    return f"<div class='river'>{cards}</div>"


def judge(body: bytes, url: str = "https://site.example/a/4.html") -> triage.Triage:
    return triage.triage(body, url, "text/html; charset=utf-8")


# --- the labelled fixtures ----------------------------------------------------------------


def test_the_fixture_set_is_as_wide_as_the_issue_asks() -> None:
    listings = [LABELS[n] for n in LISTINGS]
    assert len(LISTINGS) >= 40 and len(ARTICLES) >= 40
    assert len({label["cms"] for label in listings}) >= 8
    assert len({label["language"] for label in listings}) >= 4
    assert {"home", "section", "tag", "author", "category", "search", "archive", "latest",
            "forum"} <= {label["type"] for label in listings}  # fmt: skip
    assert {"short-news", "long-read", "photo-story", "q-and-a", "live-blog", "opinion",
            "press-release"} <= {LABELS[n]["type"] for n in ARTICLES}  # fmt: skip


@pytest.mark.parametrize("neutral", [False, True], ids=["own-url", "neutral-url"])
def test_listing_fixtures_are_skipped_as_not_article(neutral: bool) -> None:
    skipped = []
    for n, name in enumerate(LISTINGS):
        url = neutral_url(n) if neutral else LABELS[name]["url"]
        result = judge((FIXTURES / name).read_bytes(), url)
        skipped.append(result.skip_reason == "not-article")
    assert sum(skipped) / len(skipped) >= 0.95, [
        n for n, s in zip(LISTINGS, skipped, strict=True) if not s
    ]


@pytest.mark.parametrize("neutral", [False, True], ids=["own-url", "neutral-url"])
def test_label_less_article_fixtures_are_kept(neutral: bool) -> None:
    kept = []
    for n, name in enumerate(ARTICLES):
        body = (FIXTURES / name).read_bytes()
        assert b"og:type" not in body and b"ld+json" not in body and b"article:" not in body
        url = neutral_url(n) if neutral else LABELS[name]["url"]
        kept.append(judge(body, url).is_article)
    assert sum(kept) / len(kept) >= 0.98, [n for n, k in zip(ARTICLES, kept, strict=True) if not k]


def test_a_listing_skip_says_why_in_numbers() -> None:
    result = judge((FIXTURES / LISTINGS[0]).read_bytes(), neutral_url(0))
    assert result.skip_reason == "not-article"
    assert re.match(r"listing: \d+ words of running text in one block", result.detail)
    assert re.search(r"\d+ teaser links, \d+ repeated items", result.detail)
    assert re.search(r"\d+ % of text in paragraphs", result.detail)


# --- one page per failure class -------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://site.example/a/4.html", "https://site.example/syn/1.html",
                                 "https://site.example/p?id=7"])  # fmt: skip
def test_a_simple_label_less_article_at_a_plain_url_is_kept(url: str) -> None:
    result = judge(SIMPLE_ARTICLE, url)
    assert result.is_article and result.verdict is not None
    assert result.verdict.decided_by == "content"
    assert result.detail.startswith("article: ")


def test_a_short_article_beside_many_related_teasers_is_kept() -> None:
    page = (
        f"<html><body>{NAV}<article><h1>Reservoir full</h1>{PARAGRAPH * 2}</article>"
        f"<aside><h2>Related</h2>{teaser_river(12)}</aside>{FOOTER}</body></html>"
    )
    assert judge(page.encode()).is_article


@pytest.mark.parametrize("summary", [True, False], ids=["cards", "headlines"])
def test_a_river_of_teasers_is_a_listing_whatever_its_url(summary: bool) -> None:
    page = f"<html><body>{NAV}<h1>News</h1>{teaser_river(10, summary)}{FOOTER}</body></html>"
    result = judge(page.encode(), "https://site.example/2026/11/a-long-article-looking-slug/")
    assert result.skip_reason == "not-article"
    assert result.verdict is not None and result.verdict.decided_by == "content"
    assert "10 repeated items" in result.detail


def test_a_category_intro_above_teaser_cards_does_not_make_an_article() -> None:
    intro = "<div class='intro'>" + PARAGRAPH + "</div>"
    page = f"<html><body>{NAV}<h1>Water</h1>{intro}{teaser_river(10)}{FOOTER}</body></html>"
    assert judge(page.encode(), neutral_url(1)).skip_reason == "not-article"


def test_whole_posts_on_a_blog_front_page_are_a_listing_at_its_url() -> None:
    posts = "".join(
        f"<div class='post'><h2><a href='/2026/11/post-number-{i}.html'>A walk along the "
        f"river, day {i}</a></h2><div class='post-body'>{PARAGRAPH * 2}</div></div>"
        for i in range(4)
    )
    page = f"<html><body>{NAV}<div class='posts'>{posts}</div>{FOOTER}</body></html>"
    result = judge(page.encode(), "https://blog.example/")
    assert result.skip_reason == "not-article"
    assert "longest block inside a teaser item" in result.detail


def test_publisher_labels_decide_before_the_content() -> None:
    river = f"<body>{teaser_river(10)}</body>"
    labelled = f'<html><head><meta property="og:type" content="article"></head>{river}</html>'
    result = judge(labelled.encode())
    assert result.is_article and result.verdict is not None
    assert result.verdict.decided_by == "label"
    collection = (
        '<html><head><script type="application/ld+json">{"@type": "CollectionPage"}</script>'
        f"</head><body>{PARAGRAPH * 4}</body></html>"
    )
    assert judge(collection.encode()).skip_reason == "not-article"


def test_og_type_website_leaves_the_decision_to_the_content() -> None:
    page = SIMPLE_ARTICLE.replace(b"<head>", b'<head><meta property="og:type" content="website">')
    assert judge(page).is_article


def test_the_url_breaks_a_tie_when_the_content_cannot_say() -> None:
    stub = b"<html><body><p>Short notice.</p></body></html>"
    assert judge(stub, "https://site.example/a/4.html").is_article
    for url in ("https://site.example/", "https://site.example/2026/11/",
                "https://site.example/tag/rain/", "https://site.example/world/"):  # fmt: skip
        result = judge(stub, url)
        assert result.skip_reason == "not-article" and "listing-shaped URL" in result.detail


@pytest.mark.parametrize(
    ("body", "content_type", "reason", "detail"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "text/html", "not-html", "text/html"),
        (SIMPLE_ARTICLE, "image/jpeg", "not-html", "image/jpeg"),
        (SIMPLE_ARTICLE, "application/pdf; charset=binary", "not-html", "application/pdf"),
        (b"<html><body><script>app()</script></body></html>", "text/html", "empty-after-cleaning",
         "no visible text in the page"),
        (b"<html><body><template><p>later</p></template>  </body></html>", None,
         "empty-after-cleaning", "no visible text in the page"),
    ],
)  # fmt: skip
def test_pages_that_are_not_html_or_have_no_text_are_skipped_with_their_reason(
    body: bytes, content_type: str | None, reason: str, detail: str
) -> None:
    result = triage.triage(body, "https://site.example/a/4.html", content_type)
    assert (result.skip_reason, result.detail) == (reason, detail)


def test_a_body_no_charset_decodes_is_bad_encoding() -> None:
    import random

    rng = random.Random(3)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    result = judge(b"<html><body><p>" + noise + b"</p></body></html>")
    assert result.skip_reason == "bad-encoding"


def test_feeds_are_flagged_for_the_spider_to_follow() -> None:
    result = triage.triage(b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "u", None)
    assert result.is_feed and result.skip_reason == "not-html"
    assert triage.looks_like_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">')
    assert not triage.looks_like_feed(b"<!doctype html><html>")


def test_a_page_without_content_type_is_sniffed_by_its_bytes_and_extension() -> None:
    assert triage.triage(SIMPLE_ARTICLE, "https://site.example/a/4.html", None).is_article
    assert triage.triage(b"%PDF-1.7 ...", "https://site.example/r.pdf", None).skip_reason == (
        "not-html"
    )


def test_cjk_text_counts_as_words() -> None:
    assert triage.words_in("港の渡し場は夏の間も開いたままになると市議会が決めた") >= 12
    assert triage.words_in("two words") == 2


def test_the_bench_neutral_pages_have_no_publisher_labels() -> None:
    page = (
        b'<head><meta property="og:type" content="article">'
        b'<meta content="2026" property="article:published_time">'
        b'<script type="application/ld+json">{"@type": "NewsArticle"}</script>'
        b'<meta property="og:title" content="kept"></head>'
    )
    assert strip_labels(page) == b'<head><meta property="og:title" content="kept"></head>'


def test_a_river_of_short_headlines_in_headings_is_a_listing() -> None:
    # The generated test sites' section fronts: <article><h2><a>Story 12</a></h2></article>.
    cards = "".join(
        f"<article class='teaser'><h2><a href='/world/2026/11/s-{i}.html'>Story {i}</a></h2>"
        "</article>"
        for i in range(8)
    )
    page = f"<html><body>{NAV}<main><h1>World</h1>{cards}</main></body></html>"
    result = judge(page.encode(), "https://site.example/world/1/")
    assert result.skip_reason == "not-article" and result.detail.startswith("listing: ")
