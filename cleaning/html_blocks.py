"""Page widgets removed before body extraction, found by structure (CSS classes and ids of
well-known plugins and widgets), never by wording: wording rules live in `cleaning/rules`
and are shared with the plain-text path.

Each family names what the widget is; every removal is recorded with that family. The
selectors are exact class/id tokens of widely deployed plugins and theme conventions (so
an article wrapper that merely contains "share" in a longer class name is not hit).
"""

from __future__ import annotations

from lxml.html import HtmlElement

from cleaning.html_select import PageIndex, Selector, block_text, detach, in_tree, outermost
from cleaning.types import Removal

__all__ = ["NOISE_BLOCKS", "remove_noise_blocks"]

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
# Page-wide look-ups this module makes (for a shared PageIndex).
PAGE_SELECTORS = tuple(_SELECTORS.values())


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
