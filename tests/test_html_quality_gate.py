"""Quality gate for clean_html: pinned floors on all four HTML development sets
(../shared/benchmarks: article-extraction-benchmark, fundus-dev, readability-tests,
trafilatura-eval-dev; 937 pages, scored once per test session, ~2 min on 2 cores) and on the
hand-labelled comment fixtures. No later change can make extraction worse on any set
without this test saying so. Peers are not run here (CI time): their figures, from the same
metrics, are in bench/RESULTS.md (bench/html_bench.py).

A change may raise the floors; lowering one needs a reason in the commit message.
Regenerate after an improvement (floors are set a little under the measured figures):

    .venv/bin/python -m tests.test_html_quality_gate --update
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

import pytest

from bench.html_bench import EXTRACTORS, OURS, Output, SetScore, score_set
from bench.html_sets import SETS, corpus_hash, load_set, set_dir
from cleaning import clean_html
from cleaning.scoring import (
    body_score,
    comment_matches,
    corpus_score,
    glued_tokens,
    page_vocabulary,
)
from tests.shared_data import require
from tests.test_comments_fixtures import load_comment_fixtures

FLOORS = Path(__file__).parent / "fixtures" / "html_quality_floor.json"
BODY_MARGIN = 0.005  # body P/R/F1 over 130-491 pages move little between honest changes
META_MARGIN = 0.02  # metadata: one page is 0.007-0.01 of a set
GLUED_SLACK = 5  # glued-token ceilings: measured + this
BODY_KEYS = ("precision", "recall", "f1")
COMMENT_MARGIN = 0.02  # ~20 gold comments: one lost comment already costs 0.05


@cache
def _pages(set_name: str):
    return load_set(set_name)


@cache
def _outputs(set_name: str) -> dict[str, Output]:
    return {p.id: EXTRACTORS[OURS](p.html, p.url) for p in _pages(set_name)}


@cache
def _vocabularies(set_name: str) -> dict[str, set[str]]:
    return {p.id: page_vocabulary(p.html) for p in _pages(set_name)}


@cache
def _score(set_name: str) -> SetScore:
    return score_set(_pages(set_name), _outputs(set_name), _vocabularies(set_name))


def measure_set(set_name: str) -> dict[str, float]:
    score = _score(set_name)
    measured = {"precision": score.precision, "recall": score.recall, "f1": score.f1}
    for field in ("title", "authors", "date"):
        if getattr(score, field) is not None:
            measured[field] = getattr(score, field)
    measured["glued"] = score.glued
    return measured


def measure_comment_fixtures() -> dict[str, float]:
    found = predicted = gold = 0
    body_scores = []
    for case in load_comment_fixtures():
        article = clean_html(case.html, case.expected["url"])
        extracted = [(c.author, c.text) for c in article.comments]
        found += comment_matches(extracted, case.gold_comments)
        predicted += len(extracted)
        gold += len(case.gold_comments)
        gold_body = "\n\n".join(case.expected["body_paragraphs"])
        body_scores.append(body_score(article.body, gold_body))
    return {
        "comments_precision": found / predicted if predicted else 1.0,
        "comments_recall": found / gold if gold else 1.0,
        "fixtures_body_f1": corpus_score(body_scores).f1,
    }


def _pinned() -> dict:
    return json.loads(FLOORS.read_text("utf-8"))


@pytest.mark.parametrize("set_name", SETS)
def test_dev_set_is_the_pinned_corpus(set_name: str) -> None:
    require(set_dir(set_name))
    assert corpus_hash(_pages(set_name)) == _pinned()["sets"][set_name]["corpus_sha256"], (
        f"{set_name} pages or gold changed: check ../shared, then regenerate with "
        "`.venv/bin/python -m tests.test_html_quality_gate --update`"
    )


@pytest.mark.parametrize("set_name", SETS)
def test_scores_stay_above_pinned_floors(set_name: str) -> None:
    require(set_dir(set_name))
    pinned = _pinned()["sets"][set_name]
    measured = measure_set(set_name)
    low = {
        k: (round(v, 4), pinned["floors"][k])
        for k, v in measured.items()
        if k != "glued" and v < pinned["floors"][k]
    }
    assert not low, f"clean_html fell under its floors on {set_name} (measured, floor): {low}"
    assert measured["glued"] <= pinned["glued_ceiling"], (
        f"clean_html glues more words on {set_name}: {measured['glued']} glued tokens, "
        f"ceiling {pinned['glued_ceiling']}"
    )


@pytest.mark.parametrize("set_name", SETS)
def test_output_words_occur_in_the_page_text(set_name: str) -> None:
    """Property: every word of the body is a word of the page as a reader sees it; a word
    that is not was glued across an element boundary (or garbled by a wrong decoding).
    The few exceptions that remain are pinned by page, so a new one fails."""
    require(set_dir(set_name))
    outputs, vocabularies = _outputs(set_name), _vocabularies(set_name)
    allowed = _pinned()["sets"][set_name].get("pages_with_foreign_words", {})
    offending = {}
    for page in _pages(set_name):
        foreign = glued_tokens(outputs[page.id].body, vocabularies[page.id])
        if len(foreign) > allowed.get(page.id, 0):
            offending[page.id] = foreign[:5]
    assert not offending, f"words not in the page's own text on {set_name}: {offending}"


def test_comment_fixture_scores_stay_above_pinned_floors() -> None:
    floors = _pinned()["comments"]["floors"]
    measured = measure_comment_fixtures()
    low = {k: (round(v, 4), floors[k]) for k, v in measured.items() if v < floors[k]}
    assert not low, f"comment fixtures fell under their pinned floors (measured, floor): {low}"


def _update() -> None:
    sets = {}
    for set_name in SETS:
        measured = measure_set(set_name)
        foreign = {
            page.id: len(glued_tokens(_outputs(set_name)[page.id].body, vocab))
            for page in _pages(set_name)
            if (vocab := _vocabularies(set_name)[page.id])
        }
        sets[set_name] = {
            "corpus_sha256": corpus_hash(_pages(set_name)),
            "measured": {k: round(v, 4) for k, v in measured.items()},
            "floors": {
                k: round(
                    v - (BODY_MARGIN if k in ("precision", "recall", "f1") else META_MARGIN), 4
                )
                for k, v in measured.items()
                if k != "glued"
            },
            "glued_ceiling": int(measured["glued"]) + GLUED_SLACK,
            "pages_with_foreign_words": {k: v for k, v in foreign.items() if v},
        }
    fixtures = measure_comment_fixtures()
    data = {
        "about": "clean_html floors per dev set; see tests/test_html_quality_gate.py",
        "sets": sets,
        "comments": {
            "corpus": "tests/fixtures/comments/*.html",
            "measured": {k: round(v, 4) for k, v in fixtures.items()},
            "floors": {k: round(min(v, 1.0) - COMMENT_MARGIN, 4) for k, v in fixtures.items()},
        },
    }
    FLOORS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({s: v["measured"] for s, v in sets.items()}, indent=1))


if __name__ == "__main__":
    if "--update" in sys.argv:
        _update()
