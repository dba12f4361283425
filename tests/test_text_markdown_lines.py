"""Markdown marks in a page flattened to markdown (html2text's shapes) go, and leave the
words as a get_text dump of the same page prints them (issue 15). Text written for
these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from cleaning.text_lines import split_lines
from tests.text_pages import HARBOUR_STORY


def texts(markdown: str) -> list[str]:
    return [line.text for line in split_lines(markdown)]


def test_emphasis_with_its_closing_space_inside_the_marks_is_unwrapped() -> None:
    assert texts("**Harbour news **") == ["Harbour news"]
    assert texts("Run by the **Alder Ferry Company **since 1950.") == [
        "Run by the Alder Ferry Company since 1950."
    ]
    assert texts("_“We waited six years for this.”1 _") == ["“We waited six years for this.”1"]


def test_bold_italics_leave_no_marks_on_the_words() -> None:
    assert texts("The boat **_Morning Star_ **left first, then **_Alder,_** the ferry.") == [
        "The boat Morning Star left first, then Alder, the ferry."
    ]


def test_a_quoted_paragraph_in_italics_with_its_closing_space_reads_as_a_sentence() -> None:
    quote = (
        "“The silt left by two winter floods made the channel too shallow at low tide, "
        "and we had to land our catch across the bay for six years.”"
    )
    page = "\n\n".join(
        ["Harbour news", "# Channel to be dredged next spring", *HARBOUR_STORY[:2],
         f"_{quote} _", HARBOUR_STORY[2], "Contact", "Imprint"]
    )  # fmt: skip
    assert quote in clean_text(page).paragraphs


def test_marks_in_names_and_products_stay() -> None:
    assert texts("Set max_depth to 3 and compute 2*3 *4.") == [
        "Set max_depth to 3 and compute 2*3 *4."
    ]


def test_a_sentence_set_out_as_a_bulleted_list_keeps_its_short_items() -> None:
    items = ["a deeper channel,", "a longer quay,", "two new cranes;", "a second slipway."]
    page = "\n".join(
        ["Harbour news", "", "# Channel to be dredged next spring", "", HARBOUR_STORY[0], "",
         "The plan the council approved on Monday promises the fishing fleet", "",
         *(f"  * {item}" for item in items), "", *"\n\n".join(HARBOUR_STORY[1:]).split("\n"),
         "", "Contact", "Imprint"]
    )  # fmt: skip
    paragraphs = clean_text(page).paragraphs
    for item in items:
        assert item in paragraphs
