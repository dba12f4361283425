"""A byline on one line, "Von Jane Doe, Redakteurin" / "Por Jane Doe" / "par Jane Doe,
12 mars 2024", is dropped in every language of the rule files, without weighing against
the standfirst above it; a heading that opens with the same word stays (issue 15).
Pages written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text
from tests.text_pages import CINEMA_STANDFIRST, CINEMA_STORY

STANDFIRST = CINEMA_STANDFIRST
BODY = CINEMA_STORY


def page_with(line: str, *, after_body: bool = False) -> str:
    lines = ["Local news", "Cinema to reopen in the autumn", STANDFIRST, line, *BODY]
    if after_body:
        lines = ["Local news", "Cinema to reopen in the autumn", STANDFIRST,
                 *BODY[:2], line, BODY[2]]  # fmt: skip
    return "\n".join([*lines, "Contact", "Imprint"])


@pytest.mark.parametrize(
    "byline",
    [
        "Von Jane Doe, Redakteurin für Kultur",
        "von Jane Doe und Max Muster",
        "Par Jane Doe, 12 mars 2024",
        "Por Jane Doe",
        "Di Jane Doe, inviata a Roma",
        "Door Jane de Vries",
        "Przez Jane Doe",
        "Av Jane Doe, reporter",
        "Автор: Мария Иванова",
        "Yazan: Ayşe Yılmaz",
    ],
)
def test_a_worded_byline_is_dropped_and_the_standfirst_above_it_kept(byline: str) -> None:
    result = clean_text(page_with(byline))
    assert byline not in result.paragraphs
    for paragraph in [STANDFIRST, *BODY]:
        assert paragraph in result.paragraphs


@pytest.mark.parametrize(
    "heading", ["Von Anfang an gegen den Plan", "Por qué sube el precio", "Par exemple"]
)
def test_a_heading_opening_with_a_byline_word_stays(heading: str) -> None:
    result = clean_text(page_with(heading, after_body=True))
    assert heading in result.paragraphs
