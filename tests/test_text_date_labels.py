"""A date stamp's label that the flattening broke off onto a line of its own
("Published:" / "| UPDATED:" / "Aktualisiert:" over the date) goes with the stamp, in
any language; a label over anything but a stamp stays (issue 15). Pages written for
these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

BODY = HARBOUR_STORY


@pytest.mark.parametrize(
    ("label", "stamp"),
    [
        ("Published:", "12 March 2024"),
        ("| UPDATED:", "November 8, 2023 at 11:30 p.m."),
        ("Aktualisiert:", "12.03.2024, 14:20 Uhr"),
        ("Aktualizacja:", "02.02.2025 12:00"),
    ],
)
def test_a_date_stamps_label_on_its_own_line_is_dropped(label: str, stamp: str) -> None:
    page = "\n".join(["Harbour news", "Channel to be dredged next spring", BODY[0], label,
                      stamp, *BODY[1:], "Contact", "Imprint"])  # fmt: skip
    result = clean_text(page)
    assert label not in result.paragraphs
    for paragraph in BODY:
        assert paragraph in result.paragraphs
