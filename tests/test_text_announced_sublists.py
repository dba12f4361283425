"""A markdown list item of the article that ends in a colon ("Still in progress:") over a
list nested under it announces those items: they stay though each is a link (a bug, a
ticket), while the same links as a list of their own, announced by nothing, are still a
link box (issue 15). Page written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.test_text_structure_shapes import PROSE_A, PROSE_B, PROSE_C, PROSE_D

ITEMS = [
    "Fix the berth lights that flicker when the tide gauge restarts",
    "Add a depth reading for the north pier to the morning report",
    "Stop the ferry board from showing yesterday's timetable after midnight",
]


def page(nested: bool) -> str:
    indent = "    " if nested else "  "
    links = [f"{indent}* [{item}](https://tracker.example.org/issue/{n})" for n, item in
             enumerate(ITEMS)]  # fmt: skip
    return "\n".join(
        [
            "* [Home](https://example.org/)",
            "* [About](https://example.org/about)",
            "",
            PROSE_A,
            "",
            PROSE_B,
            "",
            "  * The harbour team closed eleven issues this week and opened four new ones.",
            "  * Still in progress:",
            *links,
            "",
            PROSE_C,
            "",
            PROSE_D,
        ]  # fmt: skip
    )


def test_linked_items_nested_under_an_announcing_item_stay() -> None:
    result = clean_text(page(nested=True))
    for item in ITEMS:
        assert item in result.paragraphs, item
    for paragraph in (PROSE_A, PROSE_B, PROSE_C, PROSE_D):
        assert paragraph in result.paragraphs
    assert "Home" not in result.paragraphs


def test_the_same_links_not_nested_under_the_item_are_still_dropped() -> None:
    result = clean_text(page(nested=False))
    for item in ITEMS:
        assert item not in result.paragraphs, item
