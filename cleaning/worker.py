"""Entry point for cleaning in a worker process (imported once by the pool's server)."""

from __future__ import annotations

from cleaning.html import clean_html
from cleaning.types import CleanedArticle


def clean_page(html: str, url: str | None) -> CleanedArticle:
    return clean_html(html, url=url)
