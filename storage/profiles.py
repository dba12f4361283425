"""Site boilerplate memory: lines that recur across many articles of one site are noise for
that site ("Follow us on Telegram", a standing disclaimer, a newsletter pitch that the
rules did not catch). They are learned from the stored articles into `site_boilerplate`,
handed to the cleaner for the site's later pages (`clean_text(..., site_profile=...)`),
and re-applied to earlier pages with `reapply_site_profiles`.

    learn_site_profiles(store)                  # all sites; or site="example.com"
    lines = site_profile(store, "example.com")  # -> clean_text(text, url, site_profile=lines)
    reapply_site_profiles(store, clean_text, site="example.com")
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update

from cleaning.text import normalize_for_profile
from storage.models import Article, Site, SiteBoilerplate, utcnow
from storage.reclean import CleanFunction, RecleanResult, reclean
from storage.store import Store


@dataclass(frozen=True, kw_only=True)
class ProfileOptions:
    # A line is boilerplate for a site when it is in at least `min_articles` of its
    # articles and in at least `min_share` of them. Both, so that a small site needs
    # real repetition and a big one needs more than a recurring quote.
    min_articles: int = 5
    min_share: float = 0.2
    # Learn from the site's most recent articles only: bounds memory and time on big
    # sites, and boilerplate that matters now is on recent pages.
    sample: int = 2000
    max_line_chars: int = 1000  # longer paragraphs are article text, not chrome


def learn_site_profiles(
    store: Store, *, site: str | None = None, options: ProfileOptions | None = None
) -> dict[str, int]:
    """(Re)learn the boilerplate of `site` (or of every site); returns domain -> number of
    lines in its profile. Near-duplicate copies are left out (syndicated copies share
    their text legitimately): only articles that are their cluster's canonical member, or
    in no cluster, count."""
    options = options or ProfileOptions()
    learned: dict[str, int] = {}
    with store.engine.begin() as connection:
        statement = select(Site.id, Site.domain).order_by(Site.id)
        if site:
            statement = statement.where(Site.domain == site.lower().removeprefix("www."))
        for site_id, domain in connection.execute(statement).all():
            learned[domain] = _learn_one(connection, site_id, options)
    return learned


def site_profile(store: Store, domain: str) -> list[str]:
    """The learned boilerplate lines of a site (as they appeared), for the cleaner."""
    with store.engine.connect() as connection:
        return list(
            connection.execute(
                select(SiteBoilerplate.example)
                .join(Site, Site.id == SiteBoilerplate.site_id)
                .where(Site.domain == domain.lower().removeprefix("www."))
                .order_by(SiteBoilerplate.article_count.desc(), SiteBoilerplate.key_hash)
            ).scalars()
        )


def site_profiles(store: Store) -> dict[str, list[str]]:
    """Every site's profile at once (what a crawl loads when it starts)."""
    profiles: dict[str, list[str]] = {}
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(Site.domain, SiteBoilerplate.example)
            .join(Site, Site.id == SiteBoilerplate.site_id)
            .order_by(Site.domain, SiteBoilerplate.article_count.desc(), SiteBoilerplate.key_hash)
        )
        for domain, example in rows:
            profiles.setdefault(domain, []).append(example)
    return profiles


def reapply_site_profiles(
    store: Store, clean: CleanFunction, *, site: str | None = None, **reclean_kwargs: Any
) -> RecleanResult:
    """Re-clean the stored pages of `site` (or all sites) with their current profiles,
    whatever cleaner version made their articles. `clean` must accept `site_profile=`;
    other keyword arguments go to `storage.reclean.reclean` (workers, progress...)."""
    profiles = site_profiles(store)
    lookup: Callable[[str], list[str]] = lambda domain: profiles.get(domain, [])  # noqa: E731
    return reclean(
        store, clean, site=site, site_profiles=lookup, only_outdated=False, **reclean_kwargs
    )


def _learn_one(connection: Connection, site_id: int, options: ProfileOptions) -> int:
    recent = (
        select(Article.paragraphs)
        .where(
            Article.site_id == site_id,
            or_(Article.cluster_id.is_(None), Article.cluster_id == Article.id),
        )
        .order_by(Article.id.desc())
        .limit(options.sample)
    )
    seen: Counter[str] = Counter()
    examples: dict[str, str] = {}
    articles = 0
    for (paragraphs,) in connection.execute(recent):
        articles += 1
        keys: dict[str, str] = {}
        for paragraph in paragraphs or []:
            if len(paragraph) <= options.max_line_chars:
                key = normalize_for_profile(paragraph)
                if key:
                    keys.setdefault(key, paragraph)
        seen.update(keys.keys())
        for key, paragraph in keys.items():
            examples.setdefault(key, paragraph)

    threshold = max(options.min_articles, options.min_share * articles)
    now = utcnow()
    rows = [
        {
            "site_id": site_id,
            "key_hash": hashlib.sha256(key.encode("utf-8")).hexdigest(),
            "line_key": key,
            "example": examples[key],
            "article_count": count,
            "learned_at": now,
        }
        for key, count in seen.items()
        if count >= threshold
    ]
    connection.execute(delete(SiteBoilerplate).where(SiteBoilerplate.site_id == site_id))
    if rows:
        connection.execute(insert(SiteBoilerplate), rows)
    connection.execute(
        update(Site)
        .where(Site.id == site_id)
        .values(profile_learned_at=now, profile_articles=articles)
    )
    return len(rows)


__all__ = [
    "ProfileOptions",
    "learn_site_profiles",
    "reapply_site_profiles",
    "site_profile",
    "site_profiles",
]
