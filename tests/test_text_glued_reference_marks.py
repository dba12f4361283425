"""A sentence that a get_text dump broke at a link, whose second half opens with the
footnote mark glued to it ("[181] and snails.") or with the quotation mark the link
ended ('", exotic beauties'), stays whole in the body: its first half is no
headline-shaped teaser (issue 15). Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.text_pages import VALLEY_STORY

BODY = VALLEY_STORY
FIRST_HALF = "Other animals of the valley are represented by otters, badgers, several kinds of bats"
SECOND_HALF = "[12] and a rare freshwater snail."


def test_the_first_half_of_a_sentence_over_a_glued_footnote_mark_stays() -> None:
    page = "\n".join(["River Alder - Encyclopedia", "River Alder", BODY[0], BODY[1],
                      FIRST_HALF, SECOND_HALF, BODY[2], "Privacy policy", "About"])  # fmt: skip
    result = clean_text(page)
    assert FIRST_HALF in result.paragraphs
    for paragraph in BODY:
        assert paragraph in result.paragraphs


def test_the_first_half_of_a_sentence_whose_quotation_a_link_broke_stays() -> None:
    first = 'Early painters of the valley liked to show its farmers as the "last honest men'
    second = '", a picture the farmers themselves found amusing.'
    page = "\n".join(["River Alder - Encyclopedia", "River Alder", BODY[0], BODY[1], first,
                      second, BODY[2], "Privacy policy", "About"])  # fmt: skip
    result = clean_text(page)
    assert first in result.paragraphs
