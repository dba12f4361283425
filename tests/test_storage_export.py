"""Exports on SQLite and Postgres: JSONL and Parquet with the documented schema, filters,
comments, one article per near-duplicate cluster, streaming in chunks."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cleaning.types import CleanedArticle, Comment, Metadata
from storage import Store
from storage import export as export_module
from storage.export import export_articles, iter_articles, parquet_schema
from tests.test_storage import make_record
from tests.test_storage_dedup import BRIDGE, FERRY, lightly_edited, record


def article(title: str, paragraphs: list[str], lang: str, comments: int = 0) -> CleanedArticle:
    thread = [Comment(author="Ann", text="Top comment.")]
    thread += [Comment(author=f"R{i}", text=f"Reply {i}.", parent=0) for i in range(1, comments)]
    return CleanedArticle(
        title=title,
        paragraphs=paragraphs,
        comments=thread[:comments],
        metadata=Metadata(language=lang, authors=["Writer"], tags=["town"]),
    )


@pytest.fixture
def corpus(store: Store) -> Store:
    older = datetime(2026, 1, 1, tzinfo=UTC)
    pages = [
        record("https://www.a.example/bridge", BRIDGE),
        record("https://b.example/bridge-copy", lightly_edited(BRIDGE)),
        record("https://a.example/ferry", FERRY),
    ]
    pages[0].article = article("Bridge", BRIDGE, "en-GB", comments=3)
    pages[1].article = article("Bridge (wire)", lightly_edited(BRIDGE), "en")
    pages[2].article = article("Ferry", FERRY, "de", comments=1)
    pages[2] = replace(pages[2], fetched_at=older)
    for page in pages:  # one by one: ids (and the canonical copy) follow this order
        store.save_pages([page])
    return store


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_has_one_article_per_line_with_all_fields(corpus: Store, tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    assert export_articles(corpus, path, with_comments=True) == 3

    rows = read_jsonl(path)
    assert [r["title"] for r in rows] == ["Bridge", "Bridge (wire)", "Ferry"]
    assert set(rows[0]) == set(parquet_schema(with_comments=True).names)
    assert rows[0]["site"] == "a.example" and rows[0]["body"] == "\n\n".join(BRIDGE)
    assert rows[0]["paragraphs"] == BRIDGE and rows[0]["authors"] == ["Writer"]
    assert [c["parent"] for c in rows[0]["comments"]] == [None, 0, 0]
    assert rows[1]["comments"] == []
    assert rows[1]["cluster_id"] == rows[0]["id"] and rows[1]["duplicate_kind"] == "near"
    assert datetime.fromisoformat(rows[0]["fetched_at"]).tzinfo is not None


def test_parquet_follows_the_documented_schema(corpus: Store, tmp_path: Path) -> None:
    path = tmp_path / "corpus.parquet"
    assert export_articles(corpus, path, with_comments=True) == 3

    table = pq.read_table(path)
    assert table.schema.equals(parquet_schema(with_comments=True))
    rows = table.to_pylist()
    assert rows[0]["comments"][1] == {
        "position": 1,
        "author": "R1",
        "text": "Reply 1.",
        "published": None,
        "parent": 0,
    }
    assert rows[2]["fetched_at"] == datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({"site": "a.example"}, ["Bridge", "Ferry"]),
        ({"site": "www.b.example"}, ["Bridge (wire)"]),
        ({"lang": "en"}, ["Bridge", "Bridge (wire)"]),
        ({"lang": "de"}, ["Ferry"]),
        ({"since": "2026-06-01"}, ["Bridge", "Bridge (wire)"]),
        ({"since": datetime(2025, 12, 31, tzinfo=UTC)}, ["Bridge", "Bridge (wire)", "Ferry"]),
        ({"dedup": True}, ["Bridge", "Ferry"]),
        ({"dedup": True, "lang": "en", "site": "a.example"}, ["Bridge"]),
    ],
)
def test_filters(corpus: Store, tmp_path: Path, filters: dict, titles: list[str]) -> None:
    path = tmp_path / "out.jsonl"
    export_articles(corpus, path, **filters)
    assert [r["title"] for r in read_jsonl(path)] == titles


def test_large_exports_stream_in_chunks(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "CHUNK_SIZE", 4)
    store.save_pages([make_record(n) for n in range(11)])

    rows = list(iter_articles(store, with_comments=True))
    assert len(rows) == 11 and all(len(r["comments"]) == 2 for r in rows)
    assert export_articles(store, tmp_path / "big.parquet", with_comments=True) == 11
    assert pq.ParquetFile(tmp_path / "big.parquet").metadata.num_row_groups == 3


def test_empty_database_exports_an_empty_file(store: Store, tmp_path: Path) -> None:
    assert export_articles(store, tmp_path / "none.parquet") == 0
    assert pq.read_table(tmp_path / "none.parquet").num_rows == 0
    assert export_articles(store, tmp_path / "none.jsonl") == 0
    assert (tmp_path / "none.jsonl").read_text() == ""


def test_unknown_format_is_refused(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValueError, match=r"\.jsonl, \.csv or \.parquet"):
        export_articles(store, out / "corpus.xlsx")
    with pytest.raises(ValueError, match="unknown export format"):
        export_articles(store, out / "corpus.jsonl", fmt="xlsx")  # type: ignore[arg-type]
    assert not list(out.iterdir())  # no partial file left behind
