"""A byline that get_text broke at its link ("By" / "Jane Doe", "Von" / "Max Muster") is
dropped in every language of the rule files, without weighing against the standfirst
above it (issue 15). Pages written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text
from tests.text_pages import CINEMA_STANDFIRST, CINEMA_STORY

STANDFIRST = CINEMA_STANDFIRST
BODY = CINEMA_STORY


@pytest.mark.parametrize("word", ["By", "Von", "Par", "Por", "Door", "Przez", "Автор:"])
def test_the_name_under_a_lone_byline_word_is_dropped(word: str) -> None:
    page = "\n".join(["Local news", "Cinema to reopen in the autumn", STANDFIRST, word,
                      "Jane Doe", "12 March 2024", *BODY, "Contact", "Imprint"])  # fmt: skip
    result = clean_text(page)
    assert "Jane Doe" not in result.paragraphs
    assert word not in result.paragraphs
    for paragraph in [STANDFIRST, *BODY]:
        assert paragraph in result.paragraphs


def test_a_lone_by_inside_a_sentence_keeps_the_words_after_it() -> None:
    page = "\n".join(["Local news", "Cinema to reopen in the autumn", *BODY[:2],
                      "The plan for the new foyer was drawn up", "by",
                      "the cooperative's members over the winter.", BODY[2],
                      "Contact"])  # fmt: skip
    result = clean_text(page)
    assert "the cooperative's members over the winter." in result.body
