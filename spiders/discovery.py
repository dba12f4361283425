"""How the `news` spider finds pages beyond links: feeds announced by a page.

Whether a fetched page is an article or a listing is decided in `cleaning.triage`, which
the spider and `ingest-warc` share.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from parsel import Selector

_FEED_LINKS = etree.XPath(
    "//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href"
)


def feed_links(page: Selector | Any) -> list[str]:
    """The hrefs of the RSS/Atom feeds a page announces, as written (relative or not),
    from a parsel Selector or an lxml tree (the cleaning worker's)."""
    root = page.root if isinstance(page, Selector) else page
    return [str(href) for href in _FEED_LINKS(root)]
