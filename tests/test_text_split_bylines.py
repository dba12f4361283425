"""A byline that get_text broke at its link ("By" / "Jane Doe", "Von" / "Max Muster") is
dropped in every language of the rule files, without weighing against the standfirst
above it (issue 15). Pages written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text

STANDFIRST = (
    "The town's only cinema will reopen in the autumn after a local cooperative raised "
    "enough money to buy the building and replace its roof and projectors."
)
BODY = [
    "Members of the cooperative, which was founded two years ago by a group of neighbours, "
    "have pledged to show new films every weekend and older ones on weekday evenings.",
    "The building has stood empty since the last owner retired, and several plans to turn "
    "it into flats were turned down by the council after residents objected.",
    "Volunteers will run the box office and the small cafe in the foyer, while two "
    "projectionists will be paid from the ticket sales once the doors open.",
]


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
