"""Site boilerplate memory in crawls: a line on every page of a site is learned at the end
of one crawl and cut from the site's new pages in the next (real crawls, real SQLite)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from spiders.localsite import serve_directory
from storage import Store
from storage.models import Article
from storage.profiles import site_profile
from tests.crawling import run_crawl
from tests.test_discovery_crawl import write

pytestmark = pytest.mark.slow

# A neutral standing line no noise rule knows: only repetition across pages gives it away.
STANDING_LINE = "The Valley Courier has been printed in Mill Street since 1911 by its staff."


WORDS = (
    "river council harbour school bakery ferry warden farmer mayor hospital choir market "
    "station reservoir library wall bridge road winter summer budget vote meeting report "
    "repairs storm flood harvest festival teacher nurse driver crew island village town "
    "museum garden park tower clock bell boat train bus lorry field orchard mill forge"
).split()


def story(title: str, seed: int) -> str:
    # Distinct text per story (seeded word draws): near-identical bodies would be clustered
    # as duplicates, and profiles are learned from one member per cluster.
    draw = random.Random(seed)
    sentences = [
        "<p>" + " ".join(draw.choice(WORDS) for _ in range(25)).capitalize() + ".</p>"
        for _ in range(6)
    ]
    return (
        f'<html lang="en"><head><title>{title}</title>'
        '<meta property="og:type" content="article"></head><body>'
        f"<article><h1>{title}</h1>{''.join(sentences)}<p>{STANDING_LINE}</p>"
        "</article></body></html>"
    )


def add_stories(root: Path, names: list[str]) -> None:
    for name in names:
        seed = sum(map(ord, name))
        write(root, f"/news/2026/02/{name}/", story(name.replace("-", " ").title(), seed))
    links = "".join(
        f'<a href="/news/2026/02/{p.name}/">{p.name}</a>' for p in (root / "news/2026/02").iterdir()
    )
    write(root, "/", f"<html><body>{links}</body></html>")


def bodies(database_url: str) -> dict[str, str]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        result = {
            a.url.rstrip("/").rsplit("/", 1)[1]: a.body for a in session.scalars(select(Article))
        }
    engine.dispose()
    return result


def test_boilerplate_learned_in_one_crawl_is_cut_from_new_pages_in_the_next(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    url = f"sqlite:///{tmp_path / 'p.db'}"
    first = [f"rain-story-number-{n}-in-the-valley" for n in range(6)]
    add_stories(root, first)
    with serve_directory(root) as base:
        run_crawl(base, url, settings={"NEWSCLEAN_USE_SITEMAPS": "False"})
        assert all(STANDING_LINE in body for body in bodies(url).values())
        with Store(url) as store:
            assert STANDING_LINE in site_profile(store, "127.0.0.1")

        add_stories(root, ["flood-story-arrives-in-the-valley-late"])
        run_crawl(base, url, settings={"NEWSCLEAN_USE_SITEMAPS": "False"})
    after = bodies(url)
    new = after["flood-story-arrives-in-the-valley-late"]
    assert STANDING_LINE not in new
    assert len(new.split()) >= 100
    # Earlier pages keep their stored text until `scrapy profiles --apply` re-cleans them.
    assert STANDING_LINE in after[first[0]]
