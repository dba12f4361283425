"""The shortcuts of the rule tables give the answers of the plain definitions: `claimed_by`
is `classify_line` restricted to some families, and the key screen (`prefilter`) finds
exactly the three-letter pieces of the folded line. Lines are the rule tests' examples,
article prose, and case-folding traps (dotted capital I, long s, Kelvin sign, final sigma)."""

from __future__ import annotations

import re

import pytest

from cleaning.rules import FAMILIES, build_tables, claimed_by, classify_line
from cleaning.rules.prefilter import fold, line_keys, present_keys, screen
from tests.test_rules import CHROME

PROSE = [
    "The council voted on Tuesday to repair the old bridge before winter, after a survey "
    "found cracks in two of its arches; engineers said the work could not wait.",
    "Share prices fell sharply after the company warned that cookies, newsletters and "
    "comments would no longer be part of its subscription offer to readers in 2027.",
    "Die Stadt hat am Dienstag beschlossen, die alte Brücke vor dem Winter zu reparieren.",
    "İstanbul'da belediye meclisi köprünün onarımına karar verdi; ſehr alte Schreibweiſe.",
    "ΟΔΟΣ ΣΟΦΟΚΛΕΟΥΣ: η δημοτική αρχή αποφάσισε την επισκευή της γέφυρας.",
    "Temperatures near 300 \u212a were measured; \u0399\u0345 and ß stay what they are.",
    "Reply",
    "",
    "   ",
]
LINES = [line for examples in CHROME.values() for line in examples] + PROSE
BODY = frozenset({"share", "newsletter", "cookie", "comment-chrome", "nav", "related", "ads"})
SETS = [BODY, frozenset({"comment-chrome"}), frozenset(FAMILIES), frozenset({"disclaimer"})]


@pytest.mark.parametrize("families", SETS, ids=lambda s: ",".join(sorted(s))[:40])
def test_claimed_by_is_classify_line_restricted_to_the_families(families) -> None:
    build_tables()  # built ahead or on first use: the same tables
    for line in LINES + [line * 12 for line in LINES if line.strip()]:
        family = classify_line(line)
        assert claimed_by(line, families) == (family if family in families else None), line


@pytest.mark.parametrize("line", LINES)
def test_key_screen_finds_the_pieces_of_the_folded_line(line) -> None:
    folded = screen(line)
    keys = line_keys(line)
    assert (folded is None) == (keys is None)
    if folded is None:
        return
    assert re.fullmatch(re.escape(line), folded, re.IGNORECASE)
    pieces = sorted({key for other in LINES for key in line_keys(other) or ()})
    few = frozenset(pieces[::40]) | frozenset(["zzz", "e c"])
    many = frozenset(pieces[::3]) | few
    assert len(few) < 64 < len(many)
    for table_keys in (few, many):  # looked up one by one, or cut from the line
        assert present_keys(folded, table_keys) == keys & table_keys


def test_folding_ascii_text_is_lowercasing_it() -> None:
    """fold() skips its character table on ASCII text: the table maps no ASCII character
    (seen here through text that takes the table, for its non-ASCII first letter)."""
    for code in range(128):
        assert fold("\u00e9" + chr(code))[1:] == chr(code).lower()
