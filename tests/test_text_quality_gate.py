"""Quality gate for clean_text: pinned floors on a fixed sample of each of the four
development sets in ../shared/benchmarks, flattened both ways (the bench's flatteners and
metrics: body F1 on the body sets, snippet F1 on trafilatura-eval-dev), on the seeds and
on the hand-written fixture pages (trafilatura's eval-gate idea).

A change may raise the floors; lowering one needs a reason in the commit message.
Regenerate after an improvement (floors are set a little under the measured figures):

    .venv/bin/python -m tests.test_text_quality_gate --update
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from bench.text_bench import FLATTEN, LOADERS, SETS, Page, score_group
from cleaning.scoring import body_score
from cleaning.text import clean_text
from tests.shared_data import SEEDS, SHARED, require

FLOORS = Path(__file__).parent / "fixtures" / "text" / "quality_floors.json"
FIXTURE_PAGES = Path(__file__).parent / "fixtures" / "text" / "pages"
# Every Nth page in id order: about 90 pages, both flattenings, well under a minute.
SAMPLE_STEP = {
    "article-extraction-benchmark": 8,
    "fundus-dev": 8,
    "readability-tests": 8,
    "trafilatura-eval-dev": 16,
}
MARGIN = 0.01


def sample(set_name: str) -> list[Page]:
    require(SHARED / "benchmarks" / set_name)
    return LOADERS[set_name](None, SAMPLE_STEP[set_name])


def sample_hash(pages: list[Page]) -> str:
    """Hash of the sample's pages and gold, so a changed corpus cannot pass silently."""
    digest = hashlib.sha256()
    for page in pages:
        for part in (page.id, page.html, page.body or "", *page.with_, *page.without):
            digest.update(part.encode("utf-8", "replace"))
    return digest.hexdigest()


def measure() -> tuple[dict[str, float], dict[str, str]]:
    """Current figures (per set and flattening; worst seed; worst fixture) and sample hashes."""
    figures: dict[str, float] = {}
    hashes: dict[str, str] = {}
    for set_name in SETS:
        pages = sample(set_name)
        hashes[set_name] = sample_hash(pages)
        for name, flatten in FLATTEN.items():
            outputs = [(p, clean_text(flatten(p.html), p.url or None).body) for p in pages]
            figures[f"{set_name}_{name}_f1"] = score_group(outputs).f1
    seed_f1 = []
    for txt in sorted(require(SEEDS).glob("*.txt")):
        expected = json.loads(Path(str(txt)[:-4] + ".expected.json").read_text("utf-8"))
        body = clean_text(txt.read_text("utf-8")).body
        seed_f1.append(body_score(body, "\n\n".join(expected["body_paragraphs"])).f1)
    figures["seeds_min_f1"] = min(seed_f1)
    fixture_f1 = []
    for txt in sorted(FIXTURE_PAGES.glob("*.txt")):
        expected = json.loads(Path(str(txt)[:-4] + ".expected.json").read_text("utf-8"))
        body = clean_text(txt.read_text("utf-8")).body
        fixture_f1.append(body_score(body, "\n\n".join(expected["body_paragraphs"])).f1)
    figures["fixtures_min_f1"] = min(fixture_f1)
    return figures, hashes


@pytest.fixture(scope="module")
def measured() -> tuple[dict[str, float], dict[str, str]]:
    return measure()


def _floors() -> dict:
    return json.loads(FLOORS.read_text("utf-8"))


@pytest.mark.parametrize("set_name", SETS)
def test_sample_is_the_pinned_sample(
    measured: tuple[dict[str, float], dict[str, str]], set_name: str
) -> None:
    assert measured[1][set_name] == _floors()["sample_sha256"][set_name], (
        f"{set_name}: pages or gold changed under the pinned sample: check ../shared, then "
        "regenerate with `.venv/bin/python -m tests.test_text_quality_gate --update`"
    )


@pytest.mark.parametrize("figure", sorted(json.loads(FLOORS.read_text("utf-8"))["floors"]))
def test_f1_stays_above_pinned_floor(
    measured: tuple[dict[str, float], dict[str, str]], figure: str
) -> None:
    floor = _floors()["floors"][figure]
    value = measured[0][figure]
    assert value >= floor, f"{figure} fell to {value:.4f}, under the pinned floor {floor:.4f}"


def test_floors_cover_every_set_and_flattening() -> None:
    floors = _floors()["floors"]
    for set_name in SETS:
        for name in FLATTEN:
            assert f"{set_name}_{name}_f1" in floors


def _update() -> None:
    figures, hashes = measure()
    data = {
        "about": "clean_text F1 floors; see tests/test_text_quality_gate.py",
        "sample": {s: f"ids in sorted order, every {n}th" for s, n in SAMPLE_STEP.items()},
        "sample_sha256": hashes,
        "measured": {k: round(v, 4) for k, v in figures.items()},
        "floors": {k: round(min(v, 1.0) - MARGIN, 4) for k, v in figures.items()},
    }
    FLOORS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(data["measured"], indent=1))


if __name__ == "__main__":
    if "--update" in sys.argv:
        _update()
