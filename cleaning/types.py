"""The cleaning contract: plain dataclasses in and out, no Scrapy or database types."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Bump whenever any change to cleaning/ can change its output for the same input:
# stored articles with an older version are candidates for re-cleaning.
CLEANER_VERSION = 2


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment. `parent` is the index (in `CleanedArticle.comments`) of the
    comment this one replies to, or None for a top-level comment."""

    author: str | None
    text: str
    published: str | None = None  # ISO 8601 when known, else the page's own wording ("2 days ago")
    parent: int | None = None
    votes: int | None = None  # the vote / like count the page shows beside the comment
    published_text: str | None = None  # the page's own wording of the time ("vor 3 Tagen")


@dataclass(frozen=True, slots=True)
class Removal:
    """Something the cleaner cut, and the rule family that cut it (`share`, `donation`, ...)."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Metadata:
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601 date or datetime
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None


@dataclass(frozen=True, slots=True)
class CleanedArticle:
    title: str | None
    paragraphs: list[str]
    comments: list[Comment] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    cleaner_version: int = CLEANER_VERSION

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (used by the CLI, the Scrapy item and exports)."""
        data = asdict(self)
        data["body"] = self.body
        return data
