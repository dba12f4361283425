"""Hand-written pages in the seeds' format (tests/fixtures/text/pages/): many languages and
site layouts, every noise line labelled. Written for these tests, not copied from any site.

Per page: body F1 >= 0.95 and no labelled noise line in the title, body or comments; per
language: at most 2 % of its labelled noise lines leak."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from cleaning.scoring import body_score, leaked_noise
from cleaning.text import clean_text

PAGES = Path(__file__).parent / "fixtures" / "text" / "pages"
FIXTURES = sorted(p.name[: -len(".txt")] for p in PAGES.glob("*.txt"))


def load(name: str) -> tuple[str, dict]:
    text = (PAGES / f"{name}.txt").read_text("utf-8")
    return text, json.loads((PAGES / f"{name}.expected.json").read_text("utf-8"))


def leaks(name: str) -> tuple[list[str], dict]:
    text, expected = load(name)
    art = clean_text(text)
    texts = [art.title or "", art.body, *(c.text for c in art.comments)]
    return leaked_noise(expected["noise_lines"], texts), expected


def test_the_fixture_set_is_wide_enough() -> None:
    meta = [load(name)[1] for name in FIXTURES]
    assert len(meta) >= 20
    assert len({m["language"] for m in meta}) >= 6
    assert len({m["layout"] for m in meta}) >= 8
    assert all(m["noise_lines"] and m["body_paragraphs"] for m in meta)


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_body_f1_at_least_0_95(name: str) -> None:
    text, expected = load(name)
    art = clean_text(text)
    score = body_score(art.body, "\n\n".join(expected["body_paragraphs"]))
    assert score.f1 >= 0.95, (
        f"{name}: F1 {score.f1:.3f} (P {score.precision:.3f}, R {score.recall:.3f})\n{art.body}"
    )


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_title_is_the_headline(name: str) -> None:
    text, expected = load(name)
    assert clean_text(text).title == expected["title"]


def test_at_most_two_percent_of_noise_lines_leak_in_every_language() -> None:
    leaked: dict[str, list[str]] = defaultdict(list)
    total: dict[str, int] = defaultdict(int)
    for name in FIXTURES:
        found, expected = leaks(name)
        leaked[expected["language"]].extend(found)
        total[expected["language"]] += len(expected["noise_lines"])
    rates = {lang: len(leaked[lang]) / total[lang] for lang in total}
    bad = {lang: leaked[lang] for lang, rate in rates.items() if rate > 0.02}
    assert not bad, f"noise leak rate per language {rates}; leaked: {bad}"
