"""newsclean's cleaning library: page HTML or flattened text -> article body + comments.

Pure functions over dataclasses; importable without Scrapy or a database.
"""

from cleaning.types import CLEANER_VERSION, CleanedArticle, Comment, Metadata, Removal

__all__ = [
    "CLEANER_VERSION",
    "CleanedArticle",
    "Comment",
    "Metadata",
    "Removal",
    "clean_html",
    "clean_text",
]


def __getattr__(name: str):  # lazy: importing the types must not pull in trafilatura
    if name == "clean_html":
        from cleaning.html import clean_html

        return clean_html
    if name == "clean_text":
        from cleaning.text import clean_text

        return clean_text
    raise AttributeError(name)
