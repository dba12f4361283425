"""An encyclopedia's hatnote, "Main article:" over the name of the page it points to,
is dropped, label and name, in the languages of the rule files (the name under any menu
label that ends in a colon goes with it); a label of the text over its value stays
(issue 15). Pages written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text

SECTIONS = [
    ("History", "The valley was settled by farmers in the twelfth century, who cleared the "
     "forest along the river and built the first mill below the old ford."),
    ("Geography", "The river rises in the hills to the north and flows south for about "
     "forty kilometres before it joins the larger stream at the market town."),
    ("Economy", "Most people in the valley work in farming, forestry or the two small "
     "factories that make furniture from the timber cut on the slopes above."),
]  # fmt: skip


def page_with_hatnotes(label: str) -> str:
    lines = ["River Alder - Encyclopedia", "River Alder", "From the free encyclopedia"]
    for heading, prose in SECTIONS:
        lines += [heading, label, f"{heading} of the River Alder", prose]
    return "\n".join([*lines, "Privacy policy", "About", "Disclaimers"])


@pytest.mark.parametrize(
    "label",
    [
        "Main article:",
        "Main articles:",
        "Hauptartikel:",
        "Article détaillé :",
        "Artículo principal:",
        "Voce principale:",
        "Artigo principal:",
        "Hoofdartikel:",
        "Osobny artykuł:",
        "Основная статья:",
        "Ana madde:",
    ],
)
def test_a_hatnote_and_the_page_it_names_are_dropped(label: str) -> None:
    result = clean_text(page_with_hatnotes(label))
    assert label not in result.paragraphs
    for heading, prose in SECTIONS:
        assert f"{heading} of the River Alder" not in result.paragraphs
        assert prose in result.paragraphs


def test_a_label_of_the_text_keeps_its_value() -> None:
    prose = [text for _, text in SECTIONS]
    page = "\n".join(["Notes from the valley", "A walk along the River Alder", *prose[:2],
                      "Best time to visit:", "Late spring and early autumn", prose[2],
                      "Archives", "Contact"])  # fmt: skip
    result = clean_text(page)
    assert "Late spring and early autumn" in result.paragraphs
