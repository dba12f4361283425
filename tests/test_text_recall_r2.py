"""Items of a long marked list in the article ("+ Added ...", "* ..."), a changelog or a
feature list, stay in the body even when an item is as long as a headline and ends
without a full stop; the short items around it show it is a list, not a teaser box
(issue 15). Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

LONG_ITEMS = [
    "Boats longer than twenty metres can now book a berth at the north quay a week ahead",
    "The fuel pump on the east pier has been moved closer to the harbour master's office",
]
SHORT_ITEMS = [
    "Added a second slipway",
    "New lights on the breakwater",
    "Repainted the crane",
    "Longer opening hours for the ice plant",
    "Extra bins at the fish market",
    "Wider gate for lorries",
]


def page(items: list[str]) -> str:
    return "\n".join(["Harbour news", "What changed at the port this year", HARBOUR_STORY[0],
                      *items, *HARBOUR_STORY[1:], "Contact", "Imprint"])  # fmt: skip


def test_long_items_of_a_long_marked_list_stay() -> None:
    items = [f"+ {text}" for text in [*SHORT_ITEMS[:3], *LONG_ITEMS, *SHORT_ITEMS[3:]]]
    result = clean_text(page(items))
    for item in LONG_ITEMS:
        assert item in result.paragraphs
    for paragraph in HARBOUR_STORY:
        assert paragraph in result.paragraphs
