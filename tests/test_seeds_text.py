"""The golden seed pages through clean_text: the issue's pass marks, as assertions.

Regenerate nothing here: the expected files are the labels in ../shared/golden/seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaning.scoring import body_score, comment_matches, leaked_noise
from cleaning.text import clean_text
from tests.shared_data import SEEDS, require

SEED_IDS = ["000", "001", "002", "003", "004"]


def load_seed(prefix: str) -> tuple[str, dict]:
    seeds = require(SEEDS)
    (txt,) = sorted(seeds.glob(f"{prefix}_*.txt"))
    expected = json.loads(Path(str(txt)[: -len(".txt")] + ".expected.json").read_text("utf-8"))
    return txt.read_text(encoding="utf-8"), expected


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_body_f1_at_least_0_98(seed: str) -> None:
    text, expected = load_seed(seed)
    art = clean_text(text)
    score = body_score(art.body, "\n\n".join(expected["body_paragraphs"]))
    assert score.f1 >= 0.98, (
        f"seed {seed}: F1 {score.f1:.3f} (P {score.precision:.3f}, R {score.recall:.3f})"
    )


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_leaks_no_noise_line(seed: str) -> None:
    text, expected = load_seed(seed)
    art = clean_text(text)
    texts = [art.title or "", art.body, *(c.text for c in art.comments)]
    assert leaked_noise(expected["noise_lines"], texts) == []


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_title_equals_label(seed: str) -> None:
    text, expected = load_seed(seed)
    assert clean_text(text).title == expected["title"]


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_comments_found_with_right_authors(seed: str) -> None:
    text, expected = load_seed(seed)
    art = clean_text(text)
    gold = [(c["author"], c["text"]) for c in expected["comments"]]
    predicted = [(c.author, c.text) for c in art.comments]
    assert comment_matches(predicted, gold) == len(gold)
    assert len(predicted) == len(gold), "no extra comments"


def test_seed_002_yields_all_eight_comments() -> None:
    text, expected = load_seed("002")
    art = clean_text(text)
    assert len(expected["comments"]) == 8
    assert [c.author for c in art.comments] == [c["author"] for c in expected["comments"]]


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_metadata_when_labelled(seed: str) -> None:
    text, expected = load_seed(seed)
    meta = clean_text(text).metadata
    if "byline" in expected:
        assert meta.authors == [expected["byline"]]
    if "date" in expected:
        assert meta.published == expected["date"]
    if "site" in expected:
        assert meta.site_name == expected["site"]
