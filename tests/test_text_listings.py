"""A program listing inside a technical article is the article's text, however scrappy
its lines look once get_text printed it token by token ("{", "res.", "});"), however often
its keywords and commands come back ("SELECT", "$ cd ../repo"), and whatever a console
table's rows resemble (a date stamp); a formula printed sign by sign is no listing
(issue 15). Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.test_text_structure_shapes import PROSE_A, PROSE_B, PROSE_C, PROSE_D

CHROME = ["Menu", "Home", "Articles", "About"]


def page(*middle: str) -> str:
    return "\n".join([*CHROME, PROSE_A, PROSE_B, *middle, PROSE_C, PROSE_D, "Contact", "Imprint"])


def test_a_listing_printed_token_by_token_keeps_its_tokens() -> None:
    listing = ["fetch", "(", '"/data.json").', "then", "( function", "( res)", "{", "if",
               "( res.", "ok", ")", "{", "console.", "log", "(", "res.", "status);", "}",
               "});"]  # fmt: skip
    result = clean_text(page(*listing, PROSE_B.replace("Once", "After"), *listing))
    for token in ("ok", "status);", "}", "});"):
        assert result.paragraphs.count(token) == 2, token
    for paragraph in (PROSE_A, PROSE_B, PROSE_C, PROSE_D):
        assert paragraph in result.paragraphs
    assert "Menu" not in result.paragraphs


def test_a_query_keeps_its_repeated_keywords_and_its_console_table() -> None:
    query = ["SELECT", "avg ( depth)", "AS", "mean_depth", "FROM", "soundings", "WHERE",
             "berth", "=", "'north';", "SELECT", "max ( depth)", "AS", "deepest", "FROM",
             "soundings;", "mean_depth │ deepest", "───────────┼─────────",
             "4.2 │ 2024-03-01 06:00:00+00"]  # fmt: skip
    result = clean_text(page(*query))
    for token in ("AS", "mean_depth", "FROM soundings;", "mean_depth │ deepest",
                  "4.2 │ 2024-03-01 06:00:00+00"):  # fmt: skip
        assert token in result.paragraphs, token


def test_a_shell_session_keeps_its_repeated_commands_and_their_output() -> None:
    session = ["$ cd ../harbour-repo", "$ hg pull", "1 files updated, 0 files merged",
               "$ cd ../berth-repo", "$ hg pull", "1 files updated, 0 files merged"]  # fmt: skip
    result = clean_text(page(*session[:3], PROSE_B.replace("Once", "After"), *session[3:]))
    assert result.paragraphs.count("$ hg pull") == 2
    assert result.paragraphs.count("1 files updated, 0 files merged") == 2


def test_a_formula_printed_sign_by_sign_is_no_listing() -> None:
    signs = ["S", "(", "K", ",", "t", ")", "≥", "μ and", "S", "(", "K", ",", "u", "min", ")", "=",
             "μ."]  # fmt: skip
    formula = [piece for sign in signs for piece in (sign, "")]  # each sign its own block
    result = clean_text(page(*formula))
    for sign in ("K", "t", "u", "("):
        assert sign not in result.paragraphs, sign
    for paragraph in (PROSE_A, PROSE_B, PROSE_C, PROSE_D):
        assert paragraph in result.paragraphs
