"""Markup variants of the comment platforms that the golden fixture pages do not show:
legacy WordPress themes, the Disqus WordPress plugin's server-side fallback, Drupal 7,
Discourse's app view, top-level JSON-LD comments, and pages without comments.

Each case is a small page written here (modelled on the platform's public templates)
with the comments a reader sees on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.comments_bench import get_text_flattening, markdown_flattening
from cleaning import clean_html, clean_text
from cleaning.comments_html import extract_comments
from cleaning.html import _parse

ARTICLE = """<h1>Harbour dredging to start in spring</h1>
<div class="entry-content"><p>Dredging of the inner harbour will start in March and last about
six weeks, the harbour board said on Monday, after two years of delays over where to put
the silt that has built up since the last dredge.</p>
<p>Boat owners will be asked to move to the outer moorings while the work is under way, and
the slipway will close on weekdays for the whole period of the works.</p></div>"""


VARIANTS = Path(__file__).parent / "fixtures" / "comments" / "variants"


def variant(name: str) -> str:
    """A comment-section snippet (tests/fixtures/comments/variants/<name>.html)."""
    return (VARIANTS / f"{name}.html").read_text(encoding="utf-8")


def page(comments_html: str, head: str = "") -> str:
    return (
        f"<html><head><title>Harbour dredging to start in spring</title>{head}</head>"
        f"<body><article>{ARTICLE}</article>{comments_html}</body></html>"
    )


def threads(html: str) -> list[tuple[str | None, str, int | None]]:
    return [(c.author, c.text, c.parent) for c in clean_html(html).comments]


WORDPRESS_LEGACY = variant("wordpress_legacy")

DISQUS_WP_FALLBACK = variant("disqus_wp_plugin")

DRUPAL_7 = variant("drupal7")

DISCOURSE_APP = variant("discourse_app")

JSONLD_TOP_LEVEL = variant("jsonld_top_level")


def test_wordpress_legacy_theme_markup() -> None:
    assert threads(page(WORDPRESS_LEGACY)) == [
        ("Ivy Rowe", "Will the fuel berth stay open during the works?", None),
        ("Harbour Board", "Yes, the fuel berth is outside the dredging area.", 0),
    ]


def test_wordpress_legacy_date_is_the_comment_metadata_link() -> None:
    dates = [c.published for c in clean_html(page(WORDPRESS_LEGACY)).comments]
    assert dates == ["2024-03-03T09:02:00", "2024-03-03T11:40:00"]


def test_disqus_wordpress_plugin_fallback_markup() -> None:
    assert threads(page(DISQUS_WP_FALLBACK)) == [
        ("Marcus Lee", "Six weeks seems optimistic.", None),
        ("Ana Silva", "They said the same last time and finished early.", 0),
    ]


def test_drupal_7_markup_with_indented_reply() -> None:
    assert threads(page(DRUPAL_7)) == [
        ("Ruth (not verified)", "Where is the silt going this time?", None),
        ("Board clerk", "To the licensed site off the point, as in 2019.", 0),
    ]


def test_discourse_app_view_keeps_the_first_post_as_the_article() -> None:
    html = f"<html><head><title>Dredging</title></head><body>{DISCOURSE_APP}</body></html>"
    tree = _parse(html)
    found = extract_comments(tree)
    assert found.platform == "discourse"
    assert [(c.author, c.text, c.published) for c in found.comments] == [
        (
            "sailor_jo",
            "Any chance of a temporary pontoon at the outer moorings?",
            "2024-03-04T08:15:00",
        )
    ]
    assert "Notice of works" in tree.text_content()  # the topic's first post stays


def test_json_ld_top_level_comment_and_user_comments() -> None:
    assert threads(page("", head=JSONLD_TOP_LEVEL)) == [
        ("Dee", "Good news for the rowing club.", None),
        ("Rowing Club", "We will train on the river instead.", 0),
        ("Sam", "What about the ferry?", None),
    ]


@pytest.mark.parametrize(
    "extra",
    [
        "",
        '<div class="comments-link"><a href="#respond">No comments yet</a></div>',
        '<section class="comments"><p>Comments are closed.</p></section>',
        "<p>Comment on this story by writing to the editor.</p>",
    ],
    ids=["nothing", "comments-link", "closed-comments-box", "body-mentions-comment"],
)
def test_pages_without_comments_return_an_empty_list(extra: str) -> None:
    article = clean_html(page(extra))
    assert article.comments == []
    assert "Dredging of the inner harbour" in article.body


def test_a_box_named_comments_without_comments_or_form_keeps_its_text_in_the_page() -> None:
    html = page(
        '<div class="comments"><p>' + "Readers told us the harbour matters. " * 8 + "</p></div>"
    )
    tree = _parse(html)
    extract_comments(tree)
    assert "Readers told us the harbour matters." in tree.text_content()


@pytest.mark.parametrize(
    "platform_html",
    [WORDPRESS_LEGACY, DISQUS_WP_FALLBACK, DRUPAL_7],
    ids=["wordpress-legacy", "disqus-plugin", "drupal-7"],
)
def test_comment_chrome_never_reaches_body_or_comments(platform_html: str) -> None:
    article = clean_html(page(platform_html))
    texts = "\n".join([article.body, *(c.text for c in article.comments)])
    for chrome in ("Reply", "reply", "Older Comments", "Leave a Reply", "Add new comment", "says:"):
        assert chrome not in texts.split("\n"), chrome
    assert "Older Comments" not in article.body
    assert all(c.author for c in article.comments)


def test_wordpress_style_list_with_bem_named_parts_keeps_authors() -> None:
    # li.comment inside #comments reads as WordPress, but the theme names its parts
    # comment__author/comment__text: the reading that finds the authors wins.
    assert threads(page(variant("bem_theme"))) == [
        ("Pat Quinn", "The slipway closure will hit the sailing school hardest.", None),
        ("Sailing school", "We will run from the beach for those six weeks.", 0),
    ]


def test_discourse_embed_page_threads_replies_by_their_in_reply_to_link() -> None:
    found = extract_comments(_parse(variant("discourse_embed")))
    assert found.platform == "discourse-embed"
    assert [(c.author, c.text, c.parent, c.published) for c in found.comments] == [
        (
            "sailor_jo",
            "Any chance of a temporary pontoon at the outer moorings while the work is on?",
            None,
            "2024-03-04T08:15:00",
        ),
        (
            "harbourmaster",
            "Yes, one will be in place from the first week of March.",
            0,
            "2024-03-04T09:02:00",
        ),
    ]
    chrome = " ".join(r.text for r in found.removed)
    assert "Continue Discussion" in chrome


def test_article_post_markup_outside_a_discourse_embed_is_not_a_comment() -> None:
    # WordPress themes wrap the article itself in <article class="post" id="post-N">.
    html = page("").replace("<article>", '<article class="post" id="post-4182">')
    article = clean_html(html)
    assert article.comments == []
    assert "Dredging of the inner harbour" in article.body


BLOGGER_CLASSIC = variant("blogger_classic")


def test_blogger_classic_comments_block_of_dt_dd_records() -> None:
    # Blogger's classic layout: each comment is a run of siblings (dt author line, dd
    # text, dd footer with the stamp), not one element.
    html = page(BLOGGER_CLASSIC)
    article = clean_html(html)
    assert [(c.author, c.text[:30], c.parent) for c in article.comments] == [
        ("Ivy Rowe", "Will the fuel berth stay open ", None),
        ("Harbour Board", "Yes, the fuel berth is outside", None),
        ("Anonymous", "Six weeks in spring is the wor", None),
    ]
    assert article.comments[0].text.endswith("We fill up there every Saturday.")
    assert [c.published for c in article.comments] == [
        "2012-03-02T10:15:00",
        "2012-03-02T11:40:00",
        "2012-03-03T20:05:00",
    ]
    assert "fuel berth stay open" not in article.body
    assert "said..." not in article.body


def test_blogger_classic_flattened_reads_said_lines_and_footer_stamps() -> None:
    html = page(BLOGGER_CLASSIC)
    for flatten in (get_text_flattening, markdown_flattening):
        comments = clean_text(flatten(html)).comments
        assert [(c.author, c.published) for c in comments] == [
            ("Ivy Rowe", "2012-03-02T10:15:00"),
            ("Harbour Board", "2012-03-02T11:40:00"),
            ("Anonymous", "2012-03-03T20:05:00"),
        ]
