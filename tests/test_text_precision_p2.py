"""Readability-tests precision (issue 15, round p2): the "view all" link at the foot of a
list of stories, videos or photos is chrome in every language of the rule files. Pages
written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text

PROSE = (
    "The council will replace the old water mains in the north of the town before the "
    "autumn, a spokeswoman said on Monday, and the work is to start in the school holidays, "
    "when there is less traffic on the roads and the schools are closed."
)
PROSE_2 = (
    "Residents will be told in advance by a letter that lists the closures for each street "
    "one by one and gives a telephone number for questions about the work, which can also "
    "be reached at the weekend."
)


def page_with(line: str) -> str:
    """A short story with `line` between its two paragraphs."""
    return "\n".join(["Home", "Water mains to be replaced", PROSE, line, PROSE_2])


@pytest.mark.parametrize(
    "link",
    [
        "View all videos »",
        "See all",
        "Alle anzeigen",
        "Voir tout",
        "Ver todos",
        "Vedi tutti",
        "Bekijk alle",
        "Zobacz wszystkie",
        "Ver tudo",
        "Смотреть все",
        "Tümünü gör",
    ],
)
def test_a_view_all_link_between_paragraphs_is_dropped(link: str) -> None:
    page = page_with(link)
    result = clean_text(page)
    assert PROSE in result.body and PROSE_2 in result.body
    assert link not in result.paragraphs


def test_a_sentence_that_begins_with_view_all_is_kept() -> None:
    line = "View all the plans at the town hall, where they are on show until Friday."
    page = page_with(line)
    assert line in clean_text(page).body


@pytest.mark.parametrize(
    "label", ["inRead invented by Teads", "Recommended by Outbrain", "Ads by Taboola"]
)
def test_an_ad_networks_label_between_paragraphs_is_dropped(label: str) -> None:
    page = page_with(label)
    result = clean_text(page)
    assert PROSE in result.body and PROSE_2 in result.body
    assert label not in result.paragraphs


def test_a_sentence_about_an_ad_network_is_kept() -> None:
    line = "The widget was recommended by Outbrain to the editors of the paper last spring."
    page = page_with(line)
    assert line in clean_text(page).body
