"""The comment-platform corpus (tests/fixtures/comments/corpus/, written by its
generate.py): 16 platform/theme layouts x 5 languages, each page labelled in the
golden-seed format and flattened two ways.

HTML must read every labelled comment exactly (author, text, parent, time, votes);
flattened text must reach comment P and R >= 0.90 for every platform and every language
(the issue's bar), with the same author + body-F1 match rule as the bench."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.comments_bench import PRF, nesting_shown, score_comments
from cleaning import clean_html, clean_text
from cleaning.scoring import comment_matches

CORPUS = Path(__file__).parent / "fixtures" / "comments" / "corpus"


@dataclass(frozen=True)
class CorpusPage:
    name: str
    html: bytes
    get_text: str
    markdown: str
    expected: dict[str, Any]


def load_corpus() -> list[CorpusPage]:
    pages = []
    for path in sorted(CORPUS.glob("*.html")):
        stem = path.name.removesuffix(".html")
        pages.append(
            CorpusPage(
                stem,
                path.read_bytes(),
                (CORPUS / f"{stem}.get_text.txt").read_text(encoding="utf-8"),
                (CORPUS / f"{stem}.md").read_text(encoding="utf-8"),
                json.loads((CORPUS / f"{stem}.expected.json").read_text(encoding="utf-8")),
            )
        )
    return pages


PAGES = load_corpus()


def test_corpus_covers_fourteen_platforms_in_five_languages() -> None:
    platforms = {p.expected["platform"] for p in PAGES}
    languages = {p.expected["language"] for p in PAGES}
    assert len(platforms) >= 14 and len(languages) >= 5
    assert len([p for p in platforms if p.startswith("wordpress-")]) >= 3


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_html_reads_every_labelled_comment_with_parent_time_and_votes(page: CorpusPage) -> None:
    article = clean_html(page.html, page.expected["url"])
    gold = page.expected["comments"]
    got = [(c.author, c.text) for c in article.comments]
    assert comment_matches(got, [(c["author"], c["text"]) for c in gold]) == len(gold), got
    assert len(article.comments) == len(gold)
    assert [c.parent for c in article.comments] == [c["parent"] for c in gold]
    # ISO 8601 as the page gives it (a zone suffix when the markup carries one)
    assert [(c.published or "")[:19] for c in article.comments] == [c["published"] for c in gold]
    assert [c.votes for c in article.comments] == [c["votes"] for c in gold]
    assert article.body == "\n\n".join(page.expected["body_paragraphs"])


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_html_keeps_widget_chrome_out_of_comments_and_authors(page: CorpusPage) -> None:
    article = clean_html(page.html, page.expected["url"])
    chrome = {line.casefold() for line in page.expected["noise_lines"]}
    for comment in article.comments:
        assert (comment.author or "").casefold() not in chrome
        assert not any(line in chrome for line in comment.text.casefold().split("\n\n"))


def _scores(kind: str) -> dict[str, dict[str, list[int]]]:
    """{axis value: [predicted, gold, found]} per platform and per language."""
    totals: dict[str, dict[str, list[int]]] = {"platform": {}, "language": {}}
    for page in PAGES:
        text = page.get_text if kind == "get_text" else page.markdown
        comments = clean_text(text, page.expected["url"]).comments
        gold = [(c["author"], c["text"]) for c in page.expected["comments"]]
        found = comment_matches([(c.author, c.text) for c in comments], gold)
        for axis in totals:
            row = totals[axis].setdefault(page.expected[axis], [0, 0, 0])
            row[0] += len(comments)
            row[1] += len(gold)
            row[2] += found
    return totals


@pytest.mark.parametrize("kind", ["get_text", "markdown"])
def test_flattened_text_comment_precision_and_recall_per_platform_and_language(
    kind: str,
) -> None:
    failures = defaultdict(list)
    for axis, rows in _scores(kind).items():
        for value, (predicted, gold, found) in rows.items():
            precision = found / predicted if predicted else 0.0
            recall = found / gold
            if precision < 0.90 or recall < 0.90:
                failures[axis].append(f"{value}: P {precision:.2f} R {recall:.2f}")
    assert not failures, dict(failures)


@pytest.mark.parametrize("kind", ["get_text", "markdown"])
def test_flattened_text_parents_right_where_the_text_shows_the_nesting(kind: str) -> None:
    # A get_text dump of nested <div>s keeps no trace of who answers whom; where the text
    # does show it (a reply marker or quote naming the parent, list/quote depth), the
    # parent must be right, and no top-level comment may be hung under another one.
    total = PRF()
    for page in PAGES:
        text = page.get_text if kind == "get_text" else page.markdown
        comments = clean_text(text, page.expected["url"]).comments
        gold = page.expected["comments"]
        total.add(score_comments(comments, gold, nesting_shown(text, gold)))
    assert total.shown >= 40, "the corpus must show nesting in some flattened layouts"
    assert total.shown_right >= 0.95 * total.shown, (total.shown_right, total.shown)
    assert total.false_parents == 0
