"""Page widgets removed before body extraction, found by structure (CSS classes and ids of
well-known plugins and widgets), never by wording: wording rules live in `cleaning/rules`
and are shared with the plain-text path.

Each family names what the widget is; every removal is recorded with that family. The
selectors are exact class/id tokens of widely deployed plugins and theme conventions (so
an article wrapper that merely contains "share" in a longer class name is not hit).
"""

from __future__ import annotations

from lxml.html import HtmlElement

from cleaning.comments_html import _css, _detach, _outermost, block_text
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


def remove_noise_blocks(tree: HtmlElement) -> list[Removal]:
    """Detach every widget of `NOISE_BLOCKS` from `tree` (in place); return what was cut."""
    removed: list[Removal] = []
    root = tree.getroottree().getroot()
    for family, selector in NOISE_BLOCKS.items():
        for el in _outermost(_css(selector)(tree)):
            if _top(el) is not root:  # already gone with an earlier family's block
                continue
            text = block_text(el)
            if text:
                removed.append(Removal(text, family))
            _detach(el)
    return removed


def _top(el: HtmlElement) -> HtmlElement:
    while (parent := el.getparent()) is not None:
        el = parent
    return el
