"""Article lines inside the body that a get_text dump breaks into pieces stay in it
(issue 15): a sentence's footnote mark and the sentence after it, a bracket a sentence
opens after a link. Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from cleaning.text_lines import split_lines
from tests.text_pages import VALLEY_STORY


def texts(page: str) -> list[str]:
    return [line.text for line in split_lines(page)]


def test_a_footnote_mark_glues_to_its_sentence_and_the_paragraph_goes_on_after_it() -> None:
    page = "The river rises in the hills to the north\n.\n[18]\n Farmers cleared the forest."
    assert texts(page) == [
        "The river rises in the hills to the north. [18] Farmers cleared the forest."
    ]


def test_a_paragraph_that_starts_after_a_footnote_mark_is_a_line_of_its_own() -> None:
    # no space left of it: the next block, not the same paragraph after an inline tag
    page = "The river rises in the hills to the north.\n[18]\nFarmers cleared the forest."
    assert texts(page) == [
        "The river rises in the hills to the north. [18]",
        "Farmers cleared the forest.",
    ]


def test_a_bracket_opened_after_a_link_continues_the_sentence() -> None:
    page = (
        "The island has an old name, Te Ika\n (the fish of \nMaui\n) for its shape, and a new one."
    )
    assert texts(page) == [
        "The island has an old name, Te Ika (the fish of Maui) for its shape, and a new one."
    ]
    assert texts("Early names of the islands on maps drawn by sailors\n(MMP) has been used.") == [
        "Early names of the islands on maps drawn by sailors (MMP) has been used."
    ]


def test_a_closed_note_in_brackets_under_a_line_stays_apart() -> None:
    page = "Behind the Seized Tanker, a Secret Lifeline\n (English)\nnytimes.com:"
    assert "Behind the Seized Tanker, a Secret Lifeline" in texts(page)


BODY = VALLEY_STORY


def test_a_sentence_cut_at_a_link_before_a_bracket_stays_in_the_body() -> None:
    first = "Since the election a form of representation called mixed-member proportional"
    page = "\n".join(["River Alder - Encyclopedia", "River Alder", BODY[0], "[4]", BODY[1],
                      "[5]", " " + first, " (MMP) has been used in the valley.", BODY[2],
                      "Privacy policy", "About"])  # fmt: skip
    body = clean_text(page).body
    assert "mixed-member proportional (MMP) has been used" in body
    for paragraph in BODY[1:]:
        assert paragraph in body


# A MathML formula as get_text prints it: one sign or letter per line, then its TeX source.
FORMULA_INLINE = ["", "A", "", "{\\displaystyle A}", ""]
FORMULA_SHOWN = ["", "A", "", "=", "", "B", "", "H", "", "{\\displaystyle A=B^{H}}", ""]


def test_a_formula_printed_sign_by_sign_is_a_line_of_its_own_the_sentence_goes_on() -> None:
    page = "\n".join(["If the transpose of a matrix ", *FORMULA_INLINE,
                      " is denoted by the same letter, the rule reads", *FORMULA_SHOWN,
                      "for every matrix of the family."])  # fmt: skip
    lines = split_lines(page)
    assert [line.text for line in lines if not line.formula] == [
        "If the transpose of a matrix is denoted by the same letter, the rule reads "
        "for every matrix of the family."
    ]
    assert [line.text for line in lines if line.formula] == [
        "A {\\displaystyle A} A = B H {\\displaystyle A=B^{H}}"
    ]


def test_signs_of_a_formula_without_its_source_are_a_formula_too() -> None:
    page = "When the sum is zero there are two solutions\nx\n=\n−\nb\n±\nc\nand both are real."
    lines = split_lines(page)
    assert [line.text for line in lines if line.formula] == ["x = − b ± c"]
    assert "When the sum is zero there are two solutions and both are real." in [
        line.text for line in lines
    ]


def test_a_menu_of_single_letters_is_no_formula() -> None:
    page = "Browse by letter\nA\nB\nC\n|\nD\nE\n·\nF"
    assert not any(line.formula for line in split_lines(page))


def test_an_article_full_of_formulas_keeps_its_sentences_and_drops_the_formulas() -> None:
    page = ["Matrix algebra - Encyclopedia", "Home", "Matrix algebra"]
    for paragraph in BODY:
        words = paragraph.split()
        page += [" ".join(words[:8]) + " ", *FORMULA_INLINE, " " + " ".join(words[8:])]
        page += FORMULA_SHOWN
    result = clean_text("\n".join([*page, "Privacy policy", "About"]))
    assert result.paragraphs == BODY


def test_a_formula_inside_a_markdown_sentence_goes_and_the_sentence_stays() -> None:
    page = (
        "If the [transpose](/wiki/T) of a matrix  A  {\\displaystyle A}  ![A](https://m.org/a.svg)"
        " is denoted by  A  H  {\\displaystyle A^{\\mathsf {H}}}  ![H](https://m.org/h.svg), then"
        " the rule is  v  min  {\\displaystyle v_{\\min }}  short."
    )
    assert texts(page) == ["If the transpose of a matrix is denoted by , then the rule is short."]


def test_a_formula_on_a_markdown_line_of_its_own_leaves_no_line() -> None:
    page = (
        "The rule reads:\n\n A  =  B  H {\\displaystyle A=B^{H}}  ![f](https://m.org/f.svg)\n\nEnd."
    )
    assert texts(page) == ["The rule reads:", "End."]


MORE = [
    "The mill was rebuilt twice after floods, and its wheel turned until the last miller "
    "retired in the years after the second war.",
    "Today the mill houses a small museum, run by volunteers, that shows how flour was "
    "ground and sold at the market across the river.",
]
ITEMS = [
    "Farmers still meet on the first Monday of every month in the old mill yard",
    "The ferry across the river runs twice a day between April and the end of October",
    "Most of the footpaths along the water are kept open by volunteers from the villages",
]


def _river_page(middle: list[str]) -> str:
    return "\n\n".join(["River Alder - Encyclopedia", "Home", "River Alder", *BODY[:2],
                        *middle, BODY[2], *MORE, "Privacy policy", "About"])  # fmt: skip


def test_a_list_of_headline_shaped_items_amid_the_article_prose_stays() -> None:
    assert clean_text(_river_page(ITEMS)).paragraphs == [*BODY, *MORE][:2] + ITEMS + [
        BODY[2],
        *MORE,
    ]


def test_two_headline_shaped_lines_amid_the_prose_are_no_list() -> None:
    paragraphs = clean_text(_river_page(ITEMS[:2])).paragraphs
    assert not any(item in paragraphs for item in ITEMS)


def test_a_sentence_a_link_cut_after_a_rules_words_goes_on_in_the_body() -> None:
    # "Terms of Service" is cookie-banner wording; here it is the link a sentence broke at
    first = "Most visitors who click through a long set of Terms of Service"
    rest = "never read a word of them, and the council wants the page written more plainly."
    page = "\n".join(["River Alder - Encyclopedia", "River Alder", BODY[0], first, rest,
                      BODY[1], BODY[2], "Privacy policy"])  # fmt: skip
    assert f"{first} {rest}" in clean_text(page).paragraphs


def test_a_short_widget_label_still_stands_apart_from_a_lowercase_line() -> None:
    assert texts("Notify of\nguest") == ["Notify of", "guest"]
