"""A "most read" box that prints its rank over each headline, inside or after the
article (issue 15). Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text

PARAGRAPHS = [
    "The council voted on Tuesday evening to keep the old swimming baths open for at least "
    "another three years, after a petition signed by more than four thousand residents.",
    "Repairs to the roof and the boilers will cost about two million, which the council "
    "plans to borrow over twenty years rather than take from this year's budget.",
    "Campaigners said they were relieved but would keep watching how the money is spent, "
    "and asked for a public meeting before the work begins in the spring.",
]
HEADLINES = [
    "Bridge closure extended until the end of March",
    "New bakery opens in the old post office building",
    "School choir wins regional competition for second year",
    "Parking charges at the station to rise in April",
]


def test_a_ranked_headline_box_between_paragraphs_is_dropped() -> None:
    ranked = [item for rank, head in enumerate(HEADLINES, 1) for item in (str(rank), head)]
    page = "\n".join(["News", "Swimming baths saved", *PARAGRAPHS[:2], "Most read", *ranked,
                      PARAGRAPHS[2], "About us", "Contact"])  # fmt: skip
    result = clean_text(page)
    for paragraph in PARAGRAPHS:
        assert paragraph in result.body
    assert not any(head in result.paragraphs for head in HEADLINES)


def test_numbered_steps_that_end_their_sentences_stay() -> None:
    steps = ["Fill in the form at the library desk.", "Bring a photo of yourself.",
             "Pay the fee of five pounds.", "Collect the card a week later."]  # fmt: skip
    numbered = [item for rank, step in enumerate(steps, 1) for item in (str(rank), step)]
    page = "\n".join(["News", "How to get a library card", PARAGRAPHS[0], *numbered,
                      PARAGRAPHS[1]])  # fmt: skip
    result = clean_text(page)
    for step in steps:
        assert step in result.body
