"""Site boilerplate profiles on SQLite and Postgres: learned from the stored articles of a
site, handed to the cleaner, re-applied to earlier pages with the real text cleaner."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from cleaning.text import clean_text
from storage import PageRecord, Store
from storage.models import Article, Site
from storage.profiles import (
    ProfileOptions,
    learn_site_profiles,
    reapply_site_profiles,
    site_profile,
    site_profiles,
)
from tests.test_storage import FETCHED_AT

BOILERPLATE = "Harbour Gazette readers can send story tips to the newsroom desk on weekdays."
RARE = "Correction: an earlier version of this story misspelled the name of the mayor."


NAMES = "Ana Ben Cara Dev Eli Fay Gus Hana Ivo Jun Kit Lena Milo Nia Omar Pia Quin Rosa".split()
JOBS = "baker nurse teacher fisher driver grocer plumber farmer librarian painter cook".split()
PLACES = "quay market bridge harbour library school clinic station park chapel museum".split()
ISSUES = "rents repairs parking flooding buses lighting noise fares litter rates wages".split()
MONTHS = "January February March April May June July August September October".split()


def page_text(n: int, extra: list[str]) -> str:
    """A plain-text news page made for these tests. Each page's own text is drawn at
    random, so different pages are not near-duplicates of each other."""
    pick = random.Random(n * 7919 + 1).choice

    def sentence() -> str:
        return (
            f"{pick(NAMES)}, a {pick(JOBS)} near the {pick(PLACES)}, said {pick(ISSUES)} had "
            f"worried {pick(NAMES)} and the {pick(JOBS)}s since {pick(MONTHS)}, while the "
            f"{pick(PLACES)} stayed open until {pick(range(5, 12))} pm."
        )

    paragraphs = [f"{sentence()} {sentence()}" for _ in range(3)]
    return "\n\n".join([f"Story {n}: news from the {pick(PLACES)}", *paragraphs[:2], *extra,
                        paragraphs[2]])  # fmt: skip


def text_record(site: str, n: int, extra: list[str], profile: list[str] | None = None):
    text = page_text(n, extra)
    url = f"https://{site}/news/{n}"
    return PageRecord(
        url=url,
        status=200,
        fetched_at=FETCHED_AT,
        headers={"Content-Type": "text/plain; charset=utf-8"},
        body=text.encode("utf-8"),
        content_type="text/plain",
        article=clean_text(text, url, site_profile=profile),
    )


@pytest.fixture
def gazette(store: Store) -> Store:
    records = [
        text_record("gazette.example", n, [BOILERPLATE] + ([RARE] if n < 2 else []))
        for n in range(8)
    ]
    records += [text_record("other.example", n, []) for n in range(3)]
    store.save_pages(records)
    return store


def test_lines_recurring_across_a_site_are_learned(gazette: Store) -> None:
    learned = learn_site_profiles(gazette)

    assert learned == {"gazette.example": 1, "other.example": 0}
    assert site_profile(gazette, "www.gazette.example") == [BOILERPLATE]
    assert site_profiles(gazette) == {"gazette.example": [BOILERPLATE]}
    with gazette.engine.connect() as connection:
        site = connection.execute(select(Site).where(Site.domain == "gazette.example")).one()
    assert site.profile_articles == 8 and site.profile_learned_at is not None


def test_relearning_replaces_the_profile(gazette: Store) -> None:
    learn_site_profiles(gazette)
    learned = learn_site_profiles(gazette, options=ProfileOptions(min_articles=2, min_share=0.2))

    assert learned == {"gazette.example": 2, "other.example": 0}
    assert sorted(site_profile(gazette, "gazette.example")) == sorted([BOILERPLATE, RARE])


def test_a_line_in_a_small_share_of_a_big_site_is_not_learned(store: Store) -> None:
    # 5 of 30 articles: enough articles, but under 20% of the site.
    store.save_pages(
        [text_record("big.example", n, [BOILERPLATE] if n < 5 else []) for n in range(30)]
    )
    assert learn_site_profiles(store, site="big.example") == {"big.example": 0}


def test_syndicated_copies_do_not_teach_boilerplate(store: Store) -> None:
    # Six copies of one story on one site: a single near-duplicate cluster, one vote.
    copies = [text_record("copies.example", 1, [BOILERPLATE]) for _ in range(6)]
    for n, record in enumerate(copies):
        record.url = f"https://copies.example/mirror/{n}"
    store.save_pages(copies)

    assert learn_site_profiles(store) == {"copies.example": 0}


def test_profiles_are_reapplied_to_earlier_pages(gazette: Store) -> None:
    learn_site_profiles(gazette)

    result = reapply_site_profiles(gazette, clean_text, site="gazette.example")

    assert (result.candidates, result.cleaned, result.failed) == (8, 8, [])
    with gazette.engine.connect() as connection:
        rows = connection.execute(
            select(Article.url, Article.body, Article.removed).where(
                Article.url.like("https://gazette.example/%")
            )
        ).all()
        other = connection.execute(
            select(Article.body).where(Article.url.like("https://other.example/%"))
        ).scalars()
        assert all(BOILERPLATE not in body and " pm." in body for body in other)
    assert len(rows) == 8
    for row in rows:
        assert BOILERPLATE not in row.body
        assert {"text": BOILERPLATE, "reason": "site-profile"} in row.removed
    assert any(RARE in row.body for row in rows)  # not boilerplate: kept
