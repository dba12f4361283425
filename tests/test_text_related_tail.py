"""Where a worded "Most read" / "Mehr zum Thema" heading ends the article (issue 15): the
teaser list under it prints a one-paragraph summary under each topic tag, which reads
like prose line by line; the article itself goes on in paragraphs. Pages written for
these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.text_pages import FOOTBRIDGE_STORY

ARTICLE = FOOTBRIDGE_STORY
TEASERS = [
    ("Schools", "Parents in the north of the county have been asked to comment on plans "
     "to merge two small village schools into one larger school on a new site."),
    ("Transport", "The bus company says the late service to the coast will run every "
     "night of the week during the summer, after a trial last year drew big crowds."),
    ("Weather", "Forecasters expect the warm spell to end on Sunday with heavy showers "
     "moving in from the west, and a chance of thunder in the hills by the evening."),
    ("Sport", "The town's football club has signed a new goalkeeper on loan for the rest "
     "of the season, after both of the players in that position were injured."),
]  # fmt: skip


def test_a_teaser_list_of_tags_and_summaries_under_a_most_read_heading_is_cut() -> None:
    tail = [line for tag, summary in TEASERS for line in (tag, summary)]
    page = "\n".join(["Local news", "Footbridge at the old mill to be rebuilt", *ARTICLE,
                      "Most read", *tail, "Contact us", "Privacy"])  # fmt: skip
    result = clean_text(page)
    for paragraph in ARTICLE:
        assert paragraph in result.paragraphs
    for _, summary in TEASERS:
        assert summary not in result.paragraphs


def test_article_paragraphs_after_a_related_heading_inside_the_article_stay() -> None:
    box = ["Most read", "Bus fares to rise in April", "New bakery opens on the square"]
    later = [
        "The council's leader said the footbridge had been the most common subject of "
        "letters to the council for two years running.",
        "She added that the river path on both banks would be resurfaced at the same "
        "time, and that new lights would be put up along the stretch by the allotments "
        "so that the path can be used on winter evenings as well.",
    ]
    page = "\n".join(["Local news", "Footbridge at the old mill to be rebuilt", *ARTICLE,
                      *box, *later, "Contact us", "Privacy"])  # fmt: skip
    result = clean_text(page)
    for paragraph in [*ARTICLE, *later]:
        assert paragraph in result.paragraphs


LONG_ARTICLE = [
    f"{opening} the harbour board met in the old customs house to decide what should become "
    "of the three warehouses on the north quay, which have stood empty since the fishing "
    "fleet moved to the deeper basin on the far side of the bay, and whose roofs, walls and "
    "loading doors have been patched so often over the years that the surveyors who "
    "inspected them last autumn could no longer say with any certainty which parts of the "
    "buildings were original, which had been rebuilt after the storm, and which had simply "
    "been left to the gulls and the weather by owners who no longer had any use for them."
    for opening in ("On Monday", "Last year", "In March", "Before that", "Since then",
                    "Last week", "In the end")
]  # fmt: skip
SECTION = [
    "The board's chairman said the vote had been closer than he expected, and that the "
    "plan to turn the first warehouse into workshops for boat builders and sail makers "
    "would go ahead only if the town council agreed to pay for a new sea wall in front of "
    "the quay, which the engineers say will be needed within the decade anyway.",
    "The second and third warehouses will be offered for sale together, with a condition "
    "that the ground floors stay open to the public, and the board hopes to hear from "
    "buyers before the summer, when the first of the cruise ships are due to tie up at "
    "the quay and the harbour front is at its busiest of the whole year.",
    "Fishermen who still land their catch at the old basin said they would be glad of "
    "the workshops, since the nearest yard that can haul out a boat is two hours away.",
]


def test_a_long_section_after_a_newsletter_box_inside_the_article_stays() -> None:
    box = ["Subscribe", "Sign up for our newsletter"]
    page = "\n".join(["Harbour news", "What next for the warehouses on the north quay",
                      *LONG_ARTICLE, *box, *SECTION, "Contact us", "Privacy"])  # fmt: skip
    result = clean_text(page)
    for paragraph in [*LONG_ARTICLE, *SECTION]:
        assert paragraph in result.paragraphs
