"""Teasers that print the first paragraphs of another story, cut off after a set number
of words, under a "You might also like" heading after the article (issue 15): the cut
sentence says the prose is an excerpt, not the article going on. Pages written for
these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.text_pages import FOOTBRIDGE_STORY

EXCERPT = [
    "The regional water board said on Monday that the reservoir above the town was at its "
    "lowest level for thirty years after a dry spring and an unusually hot start to the "
    "summer, and that a ban on garden hoses and on filling private swimming pools would "
    "come into force at the end of the week unless heavy rain fell in the hills before "
    "then, which forecasters thought unlikely.",
    "Farmers in the valley have already been told to take less water from the river, and "
    "the board has asked the largest factories to cut their use by a tenth.",
]
CUT = "The board's chief engineer said that the pipes under the old town were losing a"


def teasers() -> list[str]:
    head = ["You might also like", "Reservoir at lowest level in thirty years", "2024-06-14"]
    return [*head, *EXCERPT, CUT, "By Jane Doe and John Smith", "Contact us", "Privacy policy"]


def test_an_excerpt_cut_off_under_a_related_heading_is_not_the_article() -> None:
    page = "\n".join(["Local news", "Footbridge at the old mill to be rebuilt",
                      *FOOTBRIDGE_STORY, *teasers()])  # fmt: skip
    result = clean_text(page)
    for paragraph in FOOTBRIDGE_STORY:
        assert paragraph in result.paragraphs
    for paragraph in EXCERPT:
        assert paragraph not in result.paragraphs


def test_a_sentence_a_link_broke_at_a_name_under_a_related_heading_goes_on() -> None:
    # the article goes on under a box: its sentence broken at a link to a name
    later = [
        EXCERPT[0],
        "At the meeting residents had the chance to put their questions to the engineer",
        "Maria Lopez and the mayor",
        "about the plans, which most of them said they were glad to see at last, though "
        "several asked for the work to be done outside the busy summer months.",
    ]
    page = "\n".join(["Local news", "Footbridge at the old mill to be rebuilt",
                      *FOOTBRIDGE_STORY, "You might also like", "Bus fares to rise in April",
                      *later, "Contact us"])  # fmt: skip
    result = clean_text(page)
    assert EXCERPT[0] in result.paragraphs
