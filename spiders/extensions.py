"""Scrapy extensions of newsclean."""

from __future__ import annotations

import logging
import re

from scrapy.crawler import Crawler

# scheme://user:password@host -> scheme://user:***@host (database and proxy URLs).
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@'\"]*:)[^\s@/'\"]+@")


def redact(text: str) -> str:
    """`text` with the password of every URL in it masked."""
    return _URL_PASSWORD.sub(r"\g<head>***@", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with passwords masked (args are merged in first, so
    a URL passed as a %-argument is caught as well)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


class RedactSecrets:
    """Installs RedactingFilter on the root log handlers.

    Scrapy logs "Overridden settings" (which holds `-s NEWSCLEAN_DATABASE_URL=...`) right
    after building the extensions, so this is the earliest hook that catches that line."""

    def __init__(self) -> None:
        self.filter = RedactingFilter()
        for handler in logging.getLogger().handlers:
            handler.addFilter(self.filter)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedactSecrets:
        return cls()
