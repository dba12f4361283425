"""A headline-shaped line that a get_text dump leaves wedged between two paragraphs of
the article, with no blank line to set it apart, is a subhead or a pull quote and stays;
set off by blank lines, or in capitals, it is still taken for a teaser (issue 15). Pages
written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

BODY = [
    *HARBOUR_STORY,
    "Work is due to start in March, once the last of the winter storms has passed, and "
    "the dredger will stay for eleven weeks while the ferry uses the northern berth.",
]
SUBHEAD = "Why the skippers waited six years for a channel deep enough at low tide"


def page(*lines: str) -> str:
    return "\n".join(["Harbour news", "", "Channel to be dredged next spring", "", *lines,
                      "", "Contact", "Imprint"])  # fmt: skip


def test_a_subhead_wedged_between_paragraphs_stays() -> None:
    result = clean_text(page(BODY[0], "", BODY[1], SUBHEAD, BODY[2], "", BODY[3]))
    assert SUBHEAD in result.paragraphs
    for paragraph in BODY:
        assert paragraph in result.paragraphs


def test_a_headline_set_off_by_blank_lines_is_still_a_teaser() -> None:
    result = clean_text(page(BODY[0], "", BODY[1], "", SUBHEAD, "", BODY[2], "", BODY[3]))
    assert SUBHEAD not in result.paragraphs
    for paragraph in BODY:
        assert paragraph in result.paragraphs


def test_a_headline_in_capitals_between_paragraphs_is_still_a_teaser() -> None:
    shouted = SUBHEAD.upper()
    result = clean_text(page(BODY[0], "", BODY[1], shouted, BODY[2], "", BODY[3]))
    assert shouted not in result.paragraphs
