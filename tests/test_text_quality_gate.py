"""Quality gate for clean_text: pinned body-F1 floors on the seeds and on a fixed sample
of the flattened article-extraction-benchmark (trafilatura's eval-gate idea).

A change may raise the floors; lowering one needs a reason in the commit message.
Regenerate after an improvement (floors are set a little under the measured figures):

    .venv/bin/python -m tests.test_text_quality_gate --update
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

import pytest

from bench.text_bench import FLATTEN
from cleaning.scoring import body_score, corpus_score
from cleaning.text import clean_text
from tests.shared_data import BENCHMARK, SEEDS, require

FLOORS = Path(__file__).parent / "fixtures" / "text" / "quality_floors.json"
SAMPLE_STEP = 4  # every 4th page in id order: 46 of 181 pages, both flattenings < 1 minute
MARGIN = 0.01


def sample_ids() -> list[str]:
    truth = json.loads((require(BENCHMARK) / "ground-truth.json").read_text("utf-8"))
    return sorted(truth)[::SAMPLE_STEP]


def sample_hash(ids: list[str]) -> str:
    """Hash of the sample's pages and gold, so a changed corpus cannot pass silently."""
    digest = hashlib.sha256()
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text("utf-8"))
    for page_id in ids:
        digest.update(page_id.encode())
        digest.update(truth[page_id]["articleBody"].encode())
        digest.update((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes())
    return digest.hexdigest()


def measure() -> dict[str, float]:
    """Current figures: per-flattening corpus F1 on the sample, worst seed F1."""
    ids = sample_ids()
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text("utf-8"))
    pages = []
    for page_id in ids:
        with gzip.open(
            BENCHMARK / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8", errors="replace"
        ) as fh:
            pages.append((fh.read(), truth[page_id]))
    figures = {}
    for name, flatten in FLATTEN.items():
        scores = [
            body_score(clean_text(flatten(page_html), gold["url"]).body, gold["articleBody"])
            for page_html, gold in pages
        ]
        figures[f"benchmark_{name}_f1"] = corpus_score(scores).f1
    seed_f1 = []
    for txt in sorted(require(SEEDS).glob("*.txt")):
        expected = json.loads(Path(str(txt)[:-4] + ".expected.json").read_text("utf-8"))
        body = clean_text(txt.read_text("utf-8")).body
        seed_f1.append(body_score(body, "\n\n".join(expected["body_paragraphs"])).f1)
    figures["seeds_min_f1"] = min(seed_f1)
    return figures


@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    return measure()


def test_sample_is_the_pinned_sample() -> None:
    floors = json.loads(FLOORS.read_text("utf-8"))
    ids = sample_ids()
    assert ids == floors["sample_ids"], "benchmark sample changed: regenerate with --update"
    assert sample_hash(ids) == floors["sample_sha256"], (
        "benchmark pages or gold changed under the pinned sample: check ../shared, then "
        "regenerate with `.venv/bin/python -m tests.test_text_quality_gate --update`"
    )


@pytest.mark.parametrize(
    "figure", ["benchmark_gettext_f1", "benchmark_markdown_f1", "seeds_min_f1"]
)
def test_body_f1_stays_above_pinned_floor(measured: dict[str, float], figure: str) -> None:
    floor = json.loads(FLOORS.read_text("utf-8"))["floors"][figure]
    assert measured[figure] >= floor, (
        f"{figure} fell to {measured[figure]:.4f}, under the pinned floor {floor:.4f}"
    )


def _update() -> None:
    ids = sample_ids()
    figures = measure()
    data = {
        "about": "clean_text body-F1 floors; see tests/test_text_quality_gate.py",
        "sample": f"article-extraction-benchmark ids in sorted order, every {SAMPLE_STEP}th",
        "sample_ids": ids,
        "sample_sha256": sample_hash(ids),
        "measured": {k: round(v, 4) for k, v in figures.items()},
        "floors": {k: round(min(v, 1.0) - MARGIN, 4) for k, v in figures.items()},
    }
    FLOORS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(data["measured"], indent=1))


if __name__ == "__main__":
    if "--update" in sys.argv:
        _update()
