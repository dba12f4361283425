"""Golden comment-platform pages: hand-written HTML modelled on each platform's public
templates, with hand-labelled body paragraphs, comments (author, text, parent, date) and
noise lines in `<name>.expected.json` beside each page.

To add a platform: write `tests/fixtures/comments/<name>.html` and label
`<name>.expected.json` by hand (never by copying clean_html's output).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cleaning import clean_html
from cleaning.scoring import body_score, collapse, comment_matches, leaked_noise

FIXTURES = Path(__file__).parent / "fixtures" / "comments"


@dataclass(frozen=True)
class CommentFixture:
    name: str
    html: bytes
    expected: dict[str, Any]

    @property
    def gold_comments(self) -> list[tuple[str | None, str]]:
        return [(c["author"], c["text"]) for c in self.expected["comments"]]


def load_comment_fixtures() -> list[CommentFixture]:
    return [
        CommentFixture(
            p.stem, p.read_bytes(), json.loads(p.with_suffix(".expected.json").read_text())
        )
        for p in sorted(FIXTURES.glob("*.html"))
    ]


CASES = load_comment_fixtures()
IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_body_matches_the_labelled_paragraphs(case: CommentFixture) -> None:
    article = clean_html(case.html, case.expected["url"])
    gold = "\n\n".join(case.expected["body_paragraphs"])
    score = body_score(article.body, gold)
    assert score.f1 >= 0.97, (
        f"{case.name}: body F1 {score.f1:.3f} (P {score.precision:.3f} R {score.recall:.3f})\n"
        f"got paragraphs: {article.paragraphs}"
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_title_is_the_headline(case: CommentFixture) -> None:
    article = clean_html(case.html, case.expected["url"])
    assert article.title == case.expected["title"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_comments_have_labelled_authors_texts_and_threading(case: CommentFixture) -> None:
    article = clean_html(case.html, case.expected["url"])
    got = [(c.author, c.text) for c in article.comments]
    assert comment_matches(got, case.gold_comments) == len(case.gold_comments), (
        f"{case.name}: expected {case.gold_comments}\ngot {got}"
    )
    assert len(article.comments) == len(case.expected["comments"]), got
    assert [c.parent for c in article.comments] == [c["parent"] for c in case.expected["comments"]]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_comment_dates_are_read_when_the_page_shows_them(case: CommentFixture) -> None:
    article = clean_html(case.html, case.expected["url"])
    expected = [c.get("published") for c in case.expected["comments"]]
    assert [c.published for c in article.comments] == expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_noise_line_leaks_into_body_or_comments(case: CommentFixture) -> None:
    article = clean_html(case.html, case.expected["url"])
    texts = [article.title or "", *article.paragraphs, *(c.text for c in article.comments)]
    assert leaked_noise(case.expected["noise_lines"], texts) == []


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_comments_and_body_never_leak_into_each_other(case: CommentFixture) -> None:
    article = clean_html(case.html, case.expected["url"])
    body = collapse(article.body)
    for comment in case.expected["comments"]:
        for paragraph in comment["text"].split("\n\n"):
            assert collapse(paragraph) not in body, f"comment text in body: {paragraph!r}"
    comments = collapse(" ".join(c.text for c in article.comments))
    for paragraph in case.expected["body_paragraphs"]:
        if len(paragraph.split()) >= 4:
            assert collapse(paragraph) not in comments, f"body text in comments: {paragraph!r}"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_removed_comment_chrome_is_recorded(case: CommentFixture) -> None:
    article = clean_html(case.html, case.expected["url"])
    assert any(r.reason == "comment-chrome" for r in article.removed)
