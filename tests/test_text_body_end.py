"""Where the article body ends (issue 15): what right after the text still belongs to it
(its own notes and references) and what does not (a box of links to other pages).
Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text

ARTICLE = [
    "The old mill bridge was built in the winter of 1852 by a team of masons from the "
    "next valley, who were paid partly in grain from the mill it was built to serve.",
    "It carried carts of flour to the market town for almost a century, until a wider "
    "road bridge was opened downstream and the mill itself closed for good in 1949.",
    "Since then the bridge has been used by walkers and anglers, and by children on "
    "their way to the village school, which stands on the far bank of the river.",
    "The floods of two winters ago cracked one of its piers, and the county council "
    "closed it while engineers decided whether it could be repaired or had to go.",
    "A local history society has collected letters, photographs and the masons' own "
    "accounts, and has asked that the new bridge keep the shape of the old arches.",
]
NOTES = [
    ("Hollis, Mary (2014).", '"Bridges of the lower valley". County Press. p. 12.'),
    ("Archer, Tom (1998).", '"Mills and millers of the river". Valley Books. p. 40.'),
    ("Dunne, Sarah (2009).", '"Grain and stone: a village history". Riverside. p. 7.'),
    ("Kemp, Alan (2017).", '"The floods of that winter". The Valley Gazette. p. 3.'),
    ("Price, Jane (2021).", '"Repair or rebuild?". County Engineer. p. 22.'),
    ("Moss, Peter (1987).", '"Letters of the masons". Society Papers. p. 15.'),
]


def _notes() -> list[str]:
    return [line for name, work in NOTES for line in ("^", name, work, "Retrieved 2022.")]


def test_the_articles_own_notes_with_marks_and_years_stay_in_the_body() -> None:
    page = "\n".join(["Local history", "The old mill bridge", *ARTICLE,
                      "See also", "Bridges of the county", "Watermills", "References",
                      *_notes(), "Privacy policy", "Contact us"])  # fmt: skip
    result = clean_text(page)
    for paragraph in ARTICLE:
        assert paragraph in result.paragraphs
    for _, work in NOTES:
        assert work in result.paragraphs
    assert "Privacy policy" not in result.paragraphs


def test_a_list_of_dated_links_without_note_marks_after_the_article_is_not_kept() -> None:
    links = [f"{title} – {where} (2014)" for title, where in [
        ("Bridges of the lower valley", "County Press"), ("Mills and millers", "Valley Books"),
        ("Grain and stone", "Riverside"), ("The floods of that winter", "The Valley Gazette"),
        ("Repair or rebuild", "County Engineer"), ("Letters of the masons", "Society Papers"),
    ]]  # fmt: skip
    page = "\n".join(["Local history", "The old mill bridge", *ARTICLE,
                      "More from the valley", *links, "Privacy policy"])  # fmt: skip
    result = clean_text(page)
    for paragraph in ARTICLE:
        assert paragraph in result.paragraphs
    for link in links:
        assert link not in result.paragraphs


QUERY_TOKENS = ["WITH", "series", "AS", "(", "SELECT", "*", "FROM", "unnest ( array", "[",
                "2,", "3,", "5,", "12,", "4])", "AS", "n", "),", "bounds", "AS", "(", "SELECT",
                "avg ( n)", "-", "stddev ( n)", "AS", "lower_bound,", "avg ( n)", "+",
                "stddev ( n)", "AS", "upper_bound", "FROM", "series", ")", "SELECT", "n,",
                "n", "NOT", "BETWEEN", "lower_bound", "AND", "upper_bound", "AS", "is_anomaly",
                "FROM", "series,", "bounds;"]  # fmt: skip


def test_a_query_listing_in_capital_keywords_does_not_split_the_article() -> None:
    before = [
        "To find the odd value in a series we first need to say what a reasonable value "
        "is, and then how far from it a value may stray before we call it odd.",
        "The mean gives us the reasonable value, and the standard deviation tells us how "
        "far the values of the series usually are from that mean.",
    ]
    after = [
        "The query found that the value twelve lies outside the range of acceptable "
        "values, and marked it as the only odd value in the series.",
        "Another way to state the same range is the standard score: the number of "
        "standard deviations by which a value lies away from the mean of the series.",
        "With the standard score we can use one threshold for every series, however "
        "large or small its values are, which makes the alerts easier to tune.",
    ]
    # each token a block of its own, as get_text prints a highlighted listing
    page = "\n\n".join(["Finding odd values with plain queries", *before, *QUERY_TOKENS,
                        *after, "About", "Subscribe"])  # fmt: skip
    result = clean_text(page)
    for paragraph in before + after:
        assert paragraph in result.paragraphs


def test_paragraphs_in_a_row_after_a_gallery_with_a_related_heading_stay() -> None:
    gallery = ["Bridges of the county", "Arrow left", "Arrow right", "Read more", "Close",
               "Back", "See again", "Arrow up", "Arrow down", "Back", "Share", "Facebook",
               "Twitter", "Email", "Copy link", "Close", "Envelope icon", "Link icon",
               "Padlock for a link", "Back", "Arrow left"]  # fmt: skip
    later = [
        "The history society has asked the council to keep the two surviving arches of "
        "the old bridge as a viewing platform beside the new span, with a small plaque.",
        "Engineers said this could be done if the cracked pier is taken down first and "
        "the arches are tied back into the bank with steel anchors set in concrete.",
        "A decision is expected at the council's next meeting in the spring, after a "
        "public exhibition of the plans in the village hall during the month of March.",
    ]
    page = "\n".join(["Local history", "The old mill bridge", *ARTICLE, *gallery,
                      *later, "Topics", "Privacy policy"])  # fmt: skip
    result = clean_text(page)
    for paragraph in ARTICLE + later:
        assert paragraph in result.paragraphs


def test_notes_whose_names_and_dates_read_like_post_headers_open_no_comment_thread() -> None:
    notes = []
    for day, (name, work) in enumerate(NOTES, start=3):
        notes += ["^", name.split(" (")[0], f"{day} June 2011", work]
    page = "\n".join(["Local history", "The old mill bridge", *ARTICLE, "References", *notes,
                      "Privacy policy"])  # fmt: skip
    result = clean_text(page)
    assert not result.comments
    for _, work in NOTES[:-1]:  # (the last entry ends at its date line)
        assert work in result.paragraphs
