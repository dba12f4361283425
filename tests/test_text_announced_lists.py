"""Items of a list the article announces with a colon ("The plan sets out:") stay in
the body even when each is as long as a headline and ends without a full stop; a lone
headline-shaped line between paragraphs is still taken for a teaser (issue 15). Pages
written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

BODY = HARBOUR_STORY
ITEMS = [
    "Dredging the old channel to a depth of four metres along its whole length to the sea",
    "Moving the ferry to the northern berth for the eleven weeks that the work will take",
    "Opening the fish market an hour later than usual while the dredger works at the quay",
]
TEASER = "Read more about the floods that left the channel full of silt two winters ago"


def page(*middle: str) -> str:
    return "\n".join(["Harbour news", "Channel to be dredged next spring", BODY[0], *middle,
                      *BODY[1:], "Contact", "Imprint"])  # fmt: skip


def test_the_items_of_an_announced_list_stay() -> None:
    result = clean_text(page("The plan approved on Tuesday sets out three steps:", *ITEMS))
    for item in ITEMS:
        assert item in result.paragraphs


def test_a_lone_headline_between_paragraphs_is_still_a_teaser() -> None:
    result = clean_text(page(TEASER))
    assert TEASER not in result.paragraphs
    for paragraph in BODY:
        assert paragraph in result.paragraphs
