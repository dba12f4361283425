"""A newsletter or subscription box inside the article prints the offer's name and a
line of blurb between its heading and its button, or right over the button: those lines
are the box's, in any language, and the article around the box stays (issue 15). Pages
written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

BODY = [
    *HARBOUR_STORY,
    "Engineers expect the dredging to take eleven weeks, during which the ferry will use "
    "the northern berth and the fish market will open an hour later than usual.",
]
NAME = "The Morning Tide"
BLURB = "The harbour's news every weekday at seven, straight to your inbox."


@pytest.mark.parametrize(
    "box",
    [
        ["Newsletter", NAME, BLURB, "Subscribe to our newsletter"],
        [NAME, BLURB, "Subscribe to our newsletter"],
        ["Newsletter", "Der Morgen", "Die Nachrichten vom Hafen jeden Morgen um sieben.",
         "Jetzt anmelden"],
        ["Hafenblatt Plus", "Unbegrenzt lesen, mit Archiv und täglichem Rätsel, für wenig Geld.",
         "Jetzt abonnieren und weiterlesen"],
    ],
)  # fmt: skip
def test_a_newsletter_boxs_name_and_blurb_are_dropped(box: list[str]) -> None:
    page = "\n".join(["Harbour news", "Channel to be dredged next spring", *BODY[:2], *box,
                      *BODY[2:], "Contact", "Imprint"])  # fmt: skip
    result = clean_text(page)
    for line in box:
        assert line not in result.paragraphs
    for paragraph in BODY:
        assert paragraph in result.paragraphs


def test_a_section_over_a_newsletter_button_stays() -> None:
    heading = "A cheaper plan"
    paragraph = (
        "An earlier plan would have widened the channel as well, at twice the cost, but the "
        "council opposed it because it would have meant pulling down two of the old "
        "warehouses on the quay that the town wants to turn into a museum of the fishery."
    )
    page = "\n".join(["Harbour news", "Channel to be dredged next spring", *BODY[:2], heading,
                      paragraph, "Subscribe to our newsletter", *BODY[2:], "Contact",
                      "Imprint"])  # fmt: skip
    result = clean_text(page)
    assert heading in result.paragraphs
    assert paragraph in result.paragraphs
