"""clean_text on page shapes at the edges: a page with no prose at all, markdown whose
link targets hold spaces or inline image data, the "may interest you" heading of a teaser
box in the familiar and the polite form (pages written for these tests)."""

from __future__ import annotations

import pytest

from cleaning.rules import PHOTO_AGENCIES, classify_line
from cleaning.text import clean_text

STORY = (
    "The harbour board approved the new ferry timetable on Monday after a public hearing "
    "that drew more than two hundred residents, most of them commuters from the islands.\n\n"
    "Ferries will leave every forty minutes in the morning rush, and the last boat back "
    "will sail at half past eleven instead of ten, the board's chair told reporters.\n\n"
    "The changes start in March and cost the board about a million a year, paid from the "
    "fare increase agreed last autumn and a grant from the regional transport fund.\n"
)


def test_short_page_without_prose_or_chrome_keeps_its_text() -> None:
    art = clean_text("Office Notice\n\nThe office is closed on Friday.\n")
    assert art.paragraphs == ["The office is closed on Friday."]


def test_short_page_with_menu_and_no_prose_keeps_nothing() -> None:
    art = clean_text("Home\nNews\nSport\nContact us\n© 2024 Example Media\n")
    assert art.paragraphs == []


def test_markdown_share_links_with_spaces_in_their_target_are_no_text() -> None:
    share = (
        "[ ](whatsapp://send?text=Ferry timetable approved after hearing+https://x.example/a) "
        "[ ](mailto:?subject=Harbour News - Ferry timetable approved&body=https://x.example/a)"
    )
    art = clean_text(f"# Ferry timetable approved\n\n{share}\n\n{STORY}")
    assert "whatsapp" not in art.body and "mailto" not in art.body
    assert "Ferries will leave every forty minutes" in art.body


def test_markdown_link_title_with_parentheses_or_quotes_is_no_text() -> None:
    line = (
        'The [ferry](https://x.example/wiki/Ferry_(boat) "Ferry (boat)") and the '
        '[board](/board "The "Harbour" Board") met on Monday to approve the new timetable.'
    )
    art = clean_text(f"{STORY}\n{line}\n")
    assert "The ferry and the board met on Monday to approve the new timetable." in art.body


def test_markdown_inline_image_placeholder_is_no_text() -> None:
    placeholder = (
        "![](data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' "
        "viewBox='0 0 1200 675'%3E%3C/svg%3E)"
    )
    art = clean_text(f"{STORY}\n{placeholder}\n\n{STORY}")
    assert "svg" not in art.body and "viewBox" not in art.body


@pytest.mark.parametrize(
    "line",
    [
        "Das könnte dich auch interessieren:",
        "Das könnte Sie auch interessieren",
        "Vous aimerez aussi",
        "También te podría interesar",
        "Ti potrebbe interessare",
        "Você também pode gostar",
        "Dit vind je misschien ook leuk",
        "Może cię zainteresować",
        "Вам может быть интересно",
        "Bunlar da hoşunuza gidebilir",
        "Du kanske också gillar",
        "Du vil kanskje også like",
        "Du vil måske også kunne lide",
    ],
)
def test_may_interest_you_heading_is_related_chrome(line: str) -> None:
    assert classify_line(line) == "related"


def test_photo_agencies_are_rule_data_that_credit_a_picture() -> None:
    assert "reuters" in PHOTO_AGENCIES
    art = clean_text(f"{STORY}\nNoel Celis/Getty Images\n\n{STORY}")
    assert "Getty" not in art.body
