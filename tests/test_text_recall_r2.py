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


# An article with a table of figures in its middle (name, count, share per row), and
# paragraphs after the table that go on with the story.
BEFORE = [
    "The port has published its figures for the year, and they show that a handful of "
    "boats now land most of the catch that comes in over the north quay each season.",
    "Skippers had long suspected that the larger trawlers took the lion's share, but the "
    "numbers had never been set out boat by boat until the harbour master's report came.",
    "The report counts every landing between the first of April and the end of March, "
    "and weighs the catch at the fish market before it is sold to the buyers on the quay.",
    "It also lists the crews that worked each boat, so that the cooperative can pay out "
    "its share of the fuel grant to the families who fish rather than to the owners.",
    "The table below gives the landings of the boats that came in most often during the "
    "year, with the share of all landings at the port that each of them accounts for.",
]
ROWS = [
    ("Morning Star", "63", "16.6%"), ("Sea Breeze", "56", "14.7%"), ("Gannet", "51", "13.1%"),
    ("Silver Dawn", "46", "12.1%"), ("Good Hope", "33", "8.7%"), ("Blue Heron", "27", "7.1%"),
    ("Kittiwake", "23", "6.1%"), ("Provider", "22", "5.8%"), ("Harvester", "14", "3.7%"),
    ("Osprey", "11", "2.9%"), ("Guillemot", "10", "2.6%"), ("Fulmar", "7", "1.8%"),
]  # fmt: skip
AFTER = [
    "Taken together, the first four boats land more than half of the catch, and all of "
    "them belong to two families who have fished from the north quay for three generations.",
    "The cooperative will discuss the report at its spring meeting, where the smaller boats "
    "are expected to ask for a larger part of the fuel grant than they were given last year.",
]


def test_prose_after_a_table_of_figures_stays_in_the_body() -> None:
    table = [cell for row in ROWS for cell in row]
    text = "\n".join(["Harbour news", "Who lands the catch", *BEFORE, *table, *AFTER,
                      "Contact", "Imprint"])  # fmt: skip
    result = clean_text(text)
    for paragraph in [*BEFORE, *AFTER]:
        assert paragraph in result.paragraphs
