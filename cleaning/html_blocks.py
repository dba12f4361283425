"""Page widgets removed before body extraction, found by structure (CSS classes and ids of
well-known plugins and widgets), never by wording: wording rules live in `cleaning/rules`
and are shared with the plain-text path.

Each family names what the widget is; every removal is recorded with that family. The
selectors are exact class/id tokens of widely deployed plugins and theme conventions (so
an article wrapper that merely contains "share" in a longer class name is not hit).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from cleaning.html_select import (
    INLINE_TAGS,
    PageIndex,
    Selector,
    block_text,
    detach,
    in_tree,
    outermost,
)
from cleaning.types import Removal

__all__ = ["NOISE_BLOCKS", "remove_hidden_blocks", "remove_noise_blocks"]

NOISE_BLOCKS: dict[str, str] = {
    # Jetpack sharing, AddToAny, ShareThis, Shareaholic, Simple Share Buttons, Social Warfare.
    "share": (
        ".sharedaddy, .sd-sharing-enabled, .addtoany_share_save_container, .a2a_kit, "
        ".sharethis-inline-share-buttons, .shareaholic-canvas, .ssba, .ssba-wrap, "
        ".swp_social_panel, .heateor_sss_sharing_container, .share-buttons, .social-share, "
        ".social-sharing, .share-bar, .sharing-buttons"
    ),
    # Jetpack related posts, YARPP, Contextual Related Posts, theme "related posts" boxes.
    "related": (
        "#jp-relatedposts, .jp-relatedposts, .yarpp-related, .crp_related, .related-posts, "
        ".relatedposts"
    ),
    # Mailchimp for WP, Jetpack subscriptions, common newsletter sign-up boxes.
    "newsletter": ".mc4wp-form, .jetpack_subscription_widget, .newsletter-signup",
    # Cookie-consent plugins (CookieYes, Cookie Notice, Complianz, OneTrust banner).
    "cookie": "#cookie-notice, #cookie-law-info-bar, .cmplz-cookiebanner, #onetrust-banner-sdk",
    # Author boxes (Simple Author Box, theme author-bio blocks).
    "bio": ".saboxplugin-wrap, .author-bio, .about-author, .author-box",
    # Google AdSense slots and ad containers named as such.
    "ads": "ins.adsbygoogle, .adsbygoogle, .advertisement, .ad-container",
    # SVG sprites: their <title>/<text> nodes become stray words ("facebook twitter").
    "icon-sprite": "svg",
}


_SELECTORS = {family: Selector(selector) for family, selector in NOISE_BLOCKS.items()}


def remove_noise_blocks(tree: HtmlElement, index: PageIndex | None = None) -> list[Removal]:
    """Detach every widget of `NOISE_BLOCKS` from `tree` (in place); return what was cut."""
    removed: list[Removal] = []
    index = index or PageIndex(tree, PAGE_SELECTORS)
    for family, selector in _SELECTORS.items():
        for el in outermost(index.select(selector)):
            if not in_tree(el, index.root):  # already gone with an earlier family's block
                continue
            text = block_text(el)
            if text:
                removed.append(Removal(text, family))
            detach(el)
    return removed


# Block elements the page itself declares invisible: the `hidden` attribute, an inline style
# of display:none or visibility:hidden. What a reader never sees is not article text:
# ad-blocker and sign-up modals, collapsed duplicates of the body, templates and widget
# chrome filled in by scripts. Readability.js skips such nodes the same way; trafilatura's own
# discard misses `hidden` and visibility:hidden and is undone when it would leave too little.
# Markup only, so it holds in any language. Not taken: inline elements (a hidden <span> in a
# paragraph is the rest of a truncated sentence), blocks holding MathML (the text of a
# formula shown as an image), `hidden="until-found"` (searchable content: accordions).
_HIDDEN_CANDIDATES = Selector("[hidden], [style]")
# Page-wide look-ups this module makes (for a shared PageIndex).
PAGE_SELECTORS = (*_SELECTORS.values(), _HIDDEN_CANDIDATES)
_NEVER_HIDDEN = INLINE_TAGS | {"html", "head", "body"}  # a page hidden until scripts run
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!\s*important\s*)?(?:;|$)",
    re.IGNORECASE,
)
# ... unless what is hidden is the article itself, which the page's scripts reveal to the
# reader (a paywalled body, a slideshow's slides): one block holding at least
# `HIDDEN_ARTICLE_BLOCK` of the page's <p> words is kept, and nothing is cut when the hidden
# blocks together hold at least `HIDDEN_ARTICLE_PAGE` of them.
HIDDEN_ARTICLE_BLOCK = 2 / 3
HIDDEN_ARTICLE_PAGE = 0.75


def remove_hidden_blocks(
    tree: HtmlElement, page_words: int, index: PageIndex | None = None
) -> list[Removal]:
    """Detach from `tree` (in place) the blocks its markup declares invisible, unless they
    hold the article (most of `page_words`, the words of its <p> elements); return what was
    cut, as `hidden`."""
    index = index or PageIndex(tree, PAGE_SELECTORS)
    # Screened on the raw attributes first: pages carry hundreds of inline styles, and a
    # page-wide select() checks each one is still in the tree.
    candidates = [
        el
        for el in index.by_key.get(("attr", "style"), ())
        if ("none" in (style := el.get("style") or "") or "hidden" in style)
        and _HIDDEN_STYLE.search(style)
    ]
    candidates += [
        el
        for el in index.by_key.get(("attr", "hidden"), ())
        if (el.get("hidden") or "").lower() != "until-found"
    ]
    hidden = outermost(
        [
            el
            for el in dict.fromkeys(candidates)  # an element may have both
            if el.tag not in _NEVER_HIDDEN
            and in_tree(el, index.root)
            and el.find(".//math") is None
        ]
    )
    prose = [sum(len(p.text_content().split()) for p in el.iter("p")) for el in hidden]
    if sum(prose) >= HIDDEN_ARTICLE_PAGE * max(page_words, 1):
        return []
    hidden = [
        el
        for el, words in zip(hidden, prose, strict=True)
        if not words or words < HIDDEN_ARTICLE_BLOCK * page_words
    ]
    removed: list[Removal] = []
    for el in hidden:
        text = block_text(el)
        if text:
            removed.append(Removal(text, "hidden"))
        detach(el)
    return removed
