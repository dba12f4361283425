"""A command, a line of code or a request that a technical article sets apart between
its paragraphs is headline-shaped (no full stop, no sentence) but no teaser for another
story: it stays, while a headline set apart the same way is still dropped (issue 15).
Lines written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

TEASER = "Ferry operators fear a summer of delays as the northern berth closes for repairs"
PROGRAM_LINES = [
    "$ tide-feed --port harbour --since 2024-03-01 --format csv > depths.csv",
    'GET /berths/north?status=open&from=monday HTTP/1.1 Accept: "application/json"',
    'station = client.fetch_station(name="north_pier", unit="metres", tide="low", '
    'window="spring", retries=3)',
    '{"berth": "north pier", "depth": "four metres", "dredged": "not yet", "checked": '
    '"last monday", "tide": "low"}',
]


def page(middle: str) -> str:
    body = [HARBOUR_STORY[0], "", HARBOUR_STORY[1], "", middle, "", HARBOUR_STORY[2]]
    return "\n".join(["Harbour news", "", "Channel to be dredged next spring", "", *body,
                      "", "Contact", "Imprint"])  # fmt: skip


def test_a_command_or_code_line_set_apart_in_the_article_stays() -> None:
    for line in PROGRAM_LINES:
        result = clean_text(page(line))
        assert line in result.paragraphs, line
        for paragraph in HARBOUR_STORY:
            assert paragraph in result.paragraphs


def test_a_headline_set_apart_in_the_article_is_still_a_teaser() -> None:
    result = clean_text(page(TEASER))
    assert TEASER not in result.paragraphs
    assert any(r.text == TEASER and r.reason == "related" for r in result.removed)
    for paragraph in HARBOUR_STORY:
        assert paragraph in result.paragraphs


def test_the_output_printed_under_a_command_stays_with_it() -> None:
    command = PROGRAM_LINES[0]
    output = [
        "3 soundings read from 2 buoys and 14 rows written to the north berth depth log",
        "2 buoys skipped for a flat battery and 1 buoy skipped for a broken depth sensor",
    ]
    result = clean_text(page("\n".join([command, *output])))
    assert command in result.paragraphs
    for line in output:
        assert line in result.paragraphs


def test_a_title_in_angle_brackets_is_no_markup_tag() -> None:
    teaser = "Critics name <The Harbour Master> the best stage show of this spring festival season"
    result = clean_text(page(teaser))
    assert teaser not in result.paragraphs
