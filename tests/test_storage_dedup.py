"""Near-duplicate clusters on SQLite and Postgres: syndicated copies join one cluster with a
canonical member, incrementally as articles arrive; different stories stay apart."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from cleaning.types import CleanedArticle
from storage import PageRecord, Store
from storage.models import Article, ArticleBand
from tests.shared_data import SEEDS, require
from tests.test_storage import FETCHED_AT

# Stories written for these tests. BRIDGE and FERRY are about the same town and share
# vocabulary, but are different articles: they must not be clustered.
BRIDGE = [
    "The county council voted on Tuesday to close the old harbour bridge for eight months "
    "while engineers replace the corroded steel beams that inspectors flagged last spring.",
    "Commuters from the northern villages will be diverted over the ring road, which the "
    "transport office expects to add about twenty minutes to a typical morning journey.",
    "Shop owners on Quay Street said they feared losing passing trade during the works, and "
    "asked the council to fund extra parking near the market square until the reopening.",
    "The council leader said the repairs could not wait another winter, adding that the "
    "contract includes penalties if the builders miss the promised completion date.",
]
FERRY = [
    "A new passenger ferry between the harbour and the island will start running in June, "
    "the county council announced on Wednesday after months of talks with operators.",
    "The boat will carry up to ninety people and twelve bicycles, with eight crossings a day "
    "in summer and four in winter, and tickets will cost less than the current bus fare.",
    "Island residents welcomed the plan but warned that the small pier needs new lighting "
    "and a shelter before it can handle crowds in bad weather.",
    "Operators said the timetable would be reviewed after the first season, depending on "
    "passenger numbers and the cost of fuel for the older of the two boats.",
]


def lightly_edited(paragraphs: list[str]) -> list[str]:
    """What a syndication partner does: a new intro line, a sentence trimmed, an update."""
    edited = ["(Reuters-style wire copy, republished with permission.)"]
    edited += [p.replace("on Tuesday", "this week") for p in paragraphs[:-1]]
    edited.append(paragraphs[-1].split(",")[0] + ".")
    edited.append("UPDATE: The council has since published the full timetable of the works.")
    return edited


def record(url: str, paragraphs: list[str], title: str = "Story") -> PageRecord:
    article = CleanedArticle(title=title, paragraphs=paragraphs)
    return PageRecord(
        url=url,
        status=200,
        fetched_at=FETCHED_AT,
        body="\n".join(paragraphs).encode(),
        article=article,
    )


def clusters(store: Store) -> dict[str, tuple[str | None, str | None]]:
    """url -> (url of its cluster's canonical member, duplicate kind)."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(Article.id, Article.url, Article.cluster_id, Article.duplicate_kind)
        ).all()
    url_of = {row.id: row.url for row in rows}
    return {row.url: (url_of.get(row.cluster_id), row.duplicate_kind) for row in rows}


def test_exact_copy_on_another_site_joins_the_original(store: Store) -> None:
    store.save_pages([record("https://a.example/bridge", BRIDGE)])
    result = store.save_pages([record("https://b.example/copy", BRIDGE)])

    assert result.duplicates == 1
    assert clusters(store) == {
        "https://a.example/bridge": ("https://a.example/bridge", None),
        "https://b.example/copy": ("https://a.example/bridge", "exact"),
    }


def test_edited_syndicated_copy_is_a_near_duplicate(store: Store) -> None:
    store.save_pages(
        [
            record("https://a.example/bridge", BRIDGE),
            record("https://b.example/wire/bridge", lightly_edited(BRIDGE)),
            record("https://a.example/ferry", FERRY),
        ]
    )

    found = clusters(store)
    assert found["https://b.example/wire/bridge"] == ("https://a.example/bridge", "near")
    assert found["https://a.example/bridge"] == ("https://a.example/bridge", None)
    assert found["https://a.example/ferry"] == (None, None)


def test_different_stories_on_one_topic_stay_apart(store: Store) -> None:
    store.save_pages(
        [record("https://a.example/bridge", BRIDGE), record("https://a.example/ferry", FERRY)]
    )
    assert set(clusters(store).values()) == {(None, None)}


def test_later_copies_join_the_same_cluster_incrementally(store: Store) -> None:
    for n, url in enumerate(["https://a.example/1", "https://b.example/2", "https://c.example/3"]):
        store.save_pages([record(url, lightly_edited(BRIDGE) if n else BRIDGE)])

    assert {canonical for canonical, _ in clusters(store).values()} == {"https://a.example/1"}


def test_rewritten_article_leaves_its_cluster(store: Store) -> None:
    store.save_pages(
        [
            record("https://a.example/1", BRIDGE),
            record("https://b.example/2", lightly_edited(BRIDGE)),
        ]
    )
    # The canonical member is re-crawled with a different story: the copy is alone again.
    store.save_pages([record("https://a.example/1", FERRY)])

    assert set(clusters(store).values()) == {(None, None)}


def test_canonical_that_leaves_hands_over_to_the_next_member(store: Store) -> None:
    store.save_pages(
        [
            record("https://a.example/1", BRIDGE),
            record("https://b.example/2", lightly_edited(BRIDGE)),
            record("https://c.example/3", BRIDGE),
        ]
    )
    store.save_pages([record("https://a.example/1", FERRY)])

    found = clusters(store)
    assert found["https://a.example/1"] == (None, None)
    assert found["https://b.example/2"] == ("https://b.example/2", None)
    assert found["https://c.example/3"][0] == "https://b.example/2"


def test_short_bodies_are_only_matched_exactly(store: Store) -> None:
    store.save_pages(
        [
            record("https://a.example/1", ["Subscribe to read the full story today."]),
            record("https://b.example/2", ["Subscribe to read the whole story today."]),
        ]
    )
    assert set(clusters(store).values()) == {(None, None)}


def test_dedup_can_be_switched_off(database_url: str) -> None:
    with Store(database_url, dedup=None) as store:
        store.upgrade()
        store.save_pages(
            [record("https://a.example/1", BRIDGE), record("https://b.example/2", BRIDGE)]
        )
        assert set(clusters(store).values()) == {(None, None)}


def load_seed_body(prefix: str) -> list[str]:
    paths = sorted(require(SEEDS).glob(f"{prefix}_*.expected.json"))
    assert paths, f"no seed {prefix} under {SEEDS}"
    return json.loads(paths[0].read_text())["body_paragraphs"]


def test_syndicated_seed_copies_share_a_cluster(store: Store) -> None:
    # Seed 003 republishes seed 004's story inside its own commentary and updates.
    others = [load_seed_body(p) for p in ("000", "001", "002")]
    store.save_pages(
        [record(f"https://other.example/{n}", body) for n, body in enumerate(others)]
        + [record("https://original.example/story", load_seed_body("004"))]
    )
    store.save_pages([record("https://republisher.example/story", load_seed_body("003"))])

    found = clusters(store)
    assert found["https://republisher.example/story"] == (
        "https://original.example/story",
        "near",
    )
    assert all(found[f"https://other.example/{n}"] == (None, None) for n in range(3))


def test_signatures_match_datasketch_affine32_minhash() -> None:
    # Stored signatures must stay comparable with those written before the numpy rewrite.
    from datasketch import MinHash

    from storage.signatures import DedupOptions, shingle_hashes, signature

    options = DedupOptions()
    body = " ".join(BRIDGE + FERRY)
    computed = signature(body, options)
    assert computed is not None
    minhash = MinHash(num_perm=options.num_perm, hashfunc=int, scheme="affine32")
    minhash.update_batch(shingle_hashes(body, options.shingle_words).tolist())
    assert computed[0].tolist() == minhash.hashvalues.tolist()
    assert computed[1] == len(shingle_hashes(body, options.shingle_words))


def test_every_signed_article_has_one_band_row_per_band(store: Store) -> None:
    store.save_pages([record("https://a.example/1", BRIDGE), record("https://a.example/2", FERRY)])
    with store.engine.connect() as connection:
        per_article = connection.execute(
            select(ArticleBand.article_id, func.count()).group_by(ArticleBand.article_id)
        ).all()
    assert sorted(count for _, count in per_article) == [16, 16]
