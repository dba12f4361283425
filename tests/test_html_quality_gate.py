"""Quality gate for clean_html: pinned floors on the whole article-extraction-benchmark
(181 pages; ~10 s) and on the hand-labelled comment fixtures (trafilatura's eval-gate
idea). No later change can make extraction worse without this test saying so.

A change may raise the floors; lowering one needs a reason in the commit message.
Regenerate after an improvement (floors are set a little under the measured figures):

    .venv/bin/python -m tests.test_html_quality_gate --update
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

import pytest

from cleaning import clean_html
from cleaning.scoring import body_score, comment_matches, corpus_score
from tests.shared_data import BENCHMARK, require
from tests.test_comments_fixtures import load_comment_fixtures

FLOORS = Path(__file__).parent / "fixtures" / "html_quality_floor.json"
BENCHMARK_MARGIN = 0.005  # body P/R/F1 over 181 pages move little between honest changes
COMMENT_MARGIN = 0.02  # ~20 gold comments: one lost comment already costs 0.05


def corpus_hash() -> str:
    """Hash of every page and gold body, so a changed corpus cannot pass silently."""
    digest = hashlib.sha256()
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text("utf-8"))
    for page_id in sorted(truth):
        digest.update(page_id.encode())
        digest.update(truth[page_id]["articleBody"].encode())
        digest.update((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes())
    return digest.hexdigest()


def measure_benchmark() -> dict[str, float]:
    truth = json.loads((require(BENCHMARK) / "ground-truth.json").read_text("utf-8"))
    scores = []
    for page_id in sorted(truth):
        html = gzip.decompress((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes())
        article = clean_html(html, truth[page_id]["url"])
        scores.append(body_score(article.body, truth[page_id]["articleBody"]))
    corpus = corpus_score(scores)
    return {
        "benchmark_f1": corpus.f1,
        "benchmark_precision": corpus.precision,
        "benchmark_recall": corpus.recall,
    }


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


@pytest.fixture(scope="module")
def floors() -> dict[str, float]:
    return json.loads(FLOORS.read_text("utf-8"))["floors"]


def test_benchmark_is_the_pinned_corpus() -> None:
    require(BENCHMARK)
    pinned = json.loads(FLOORS.read_text("utf-8"))["corpus_sha256"]
    assert corpus_hash() == pinned, (
        "article-extraction-benchmark pages or gold changed: check ../shared, then "
        "regenerate with `.venv/bin/python -m tests.test_html_quality_gate --update`"
    )


def test_benchmark_body_scores_stay_above_pinned_floors(floors: dict[str, float]) -> None:
    measured = measure_benchmark()
    low = {k: (round(v, 4), floors[k]) for k, v in measured.items() if v < floors[k]}
    assert not low, f"clean_html fell under its pinned floors (measured, floor): {low}"


def test_comment_fixture_scores_stay_above_pinned_floors(floors: dict[str, float]) -> None:
    measured = measure_comment_fixtures()
    low = {k: (round(v, 4), floors[k]) for k, v in measured.items() if v < floors[k]}
    assert not low, f"comment fixtures fell under their pinned floors (measured, floor): {low}"


def _update() -> None:
    benchmark = measure_benchmark()
    fixtures = measure_comment_fixtures()
    floors = {k: round(v - BENCHMARK_MARGIN, 4) for k, v in benchmark.items()}
    floors |= {k: round(min(v, 1.0) - COMMENT_MARGIN, 4) for k, v in fixtures.items()}
    data = {
        "about": "clean_html floors; see tests/test_html_quality_gate.py",
        "corpus": "article-extraction-benchmark, all pages; tests/fixtures/comments/*.html",
        "corpus_sha256": corpus_hash(),
        "measured": {k: round(v, 4) for k, v in (benchmark | fixtures).items()},
        "floors": floors,
    }
    FLOORS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(data["measured"], indent=1))


if __name__ == "__main__":
    if "--update" in sys.argv:
        _update()
