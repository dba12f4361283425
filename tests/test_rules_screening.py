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


def test_first_letter_probe_answers_as_the_whole_alternation() -> None:
    """The keyless whole-line rules are probed by a line's first letter, a set of plain
    whole-line words and needed separators: the same yes/no as the one alternation of
    them all, on chrome, prose, case-folding traps and lines glued from both."""
    from cleaning.rules import _table_for_length

    build_tables()
    lines = [*LINES, *(f"{a} {b}" for a in LINES[:60:7] for b in LINES[1:60:11])]
    lines += ["MENU", "Menu »", "søg", "SØG:", "K", "ſhare", "İstanbul", "a/b", "x@y.com"]
    # rules needing a kana or an ideograph are only tried on lines holding it
    lines += ["公式アプリをダウンロード", "公式Xアカウントをフォロー", "Instagramをフォロー"]
    lines += ["この記事は約3分で読めます", "3 мин чтения", "記事", "フォロー中の話題です。"]
    checked = 0
    for words in range(0, 70):
        for probe in _table_for_length(words).free_screen:
            everything = getattr(probe, "whole", None)  # the plain alternation
            if everything is None:
                continue
            for line in lines:
                text = re.sub(r"\s+", " ", line).strip()
                if text:
                    assert probe(text) == (everything(text) is not None), (words, text)
                    checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    ("source", "pieces"),
    [
        (r"(?:a|b)\W*$", [r"a\W*$", r"b\W*$"]),
        (r"(?:(?:x|y)z)|w", ["xz", "yz", "w"]),
        (r"(?:a|b)?c", [r"(?:a|b)?c"]),  # a quantified group stays whole
        (r"[|(]x|\(y", [r"[|(]x", r"\(y"]),
    ],
)
def test_alternatives_split_a_pattern_into_pieces_with_the_same_matches(source, pieces) -> None:
    from cleaning.rules.prefilter import alternatives

    assert alternatives(source) == pieces


def test_first_letters_and_whole_line_text_read_the_pattern() -> None:
    from cleaning.rules.prefilter import first_letters, needed_characters, whole_line_text

    def compiled(source: str) -> re.Pattern[str]:
        return re.compile(source, re.IGNORECASE)

    assert first_letters(compiled(r"^(?:Menu|share\b|[0-2]x)")) == frozenset("ms012")
    assert first_letters(compiled(r"^\w+")) is None  # a category: any letter
    assert first_letters(compiled(r"^x?")) is None  # may match nothing
    assert whole_line_text(compiled(r"^(?:Søg\W*$)")) == "søg"
    assert whole_line_text(compiled(r"^(?:share:\W*$)")) is None  # ends in a non-word
    assert needed_characters(compiled(r"^[\w ]{2,40}\s*/\s*(?:ap|afp)")) == frozenset("/")
