"""A table of contents inside the article (issue 15): the entries are printed again
further down as the headings of the article's sections. Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text

LEAD = (
    "Ten small harbours line the northern coast, and each of them keeps a custom that "
    "the others have long forgotten."
)
TOWNS = ["Alderwick", "Brannock Bay", "Carrow Point", "Dunmere", "Eastholm",
         "Fennick Sound", "Gorran Haven", "Hollin Quay", "Inverlay", "Jessop Cove"]  # fmt: skip


def _section(town: str) -> str:
    return (
        f"In {town} the boats still go out before dawn, and the families who own them "
        "meet on the slipway every evening to mend the nets and to talk over the weather "
        "that the next morning is likely to bring to the harbour."
    )


def _page(contents: list[str], headings: list[str]) -> str:
    lines = ["Home", "Travel", "Coast", "Harbours of the north", LEAD, "Contents", *contents]
    for town in headings:
        lines += [town, _section(town)]
    lines += ["Share this article", "Privacy", "Imprint"]
    return "\n".join(lines)


def test_a_table_of_contents_does_not_cut_the_lead_off_the_sections() -> None:
    result = clean_text(_page(TOWNS, TOWNS))
    assert LEAD in result.body
    for town in TOWNS:
        assert _section(town) in result.body
    # the headings the contents list names are the article's own: kept once, in place
    assert [p for p in result.paragraphs if p in TOWNS] == TOWNS


def test_a_menu_repeated_as_teaser_headlines_is_no_table_of_contents() -> None:
    teasers = []
    for town in TOWNS[:4]:
        teasers += [town, f"A short note on {town}, its boats and its people today."]
    page = "\n".join(
        ["Home", *TOWNS[:4], "Harbours of the north", LEAD, _section("Kellow"),
         _section("Lanyon"), "Related", *teasers]
    )  # fmt: skip
    paragraphs = clean_text(page).paragraphs
    assert not any(p in TOWNS for p in paragraphs)


def test_a_table_of_contents_with_its_numbers_on_lines_of_their_own_is_one() -> None:
    numbered = []
    for n, town in enumerate(TOWNS, 1):
        numbered += [str(n), town]
    result = clean_text(_page(numbered, TOWNS))
    assert LEAD in result.body
    assert [p for p in result.paragraphs if p in TOWNS] == TOWNS
