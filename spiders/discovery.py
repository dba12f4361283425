"""How the `news` spider finds pages beyond links: feeds announced by a page.

Whether a fetched page is an article or a listing is decided in `cleaning.triage`, which
the spider and `ingest-warc` share.
"""

from __future__ import annotations

from parsel import Selector


def feed_links(sel: Selector) -> list[str]:
    return sel.xpath(
        "//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href"
    ).getall()
