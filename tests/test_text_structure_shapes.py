"""Shapes that look like chrome line by line but belong to the article (issue 15): a
program listing flattened token by token, a teaser box inside the article, a link whose
brackets hold the spaces around its words. Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from cleaning.text_lines import split_lines

PROSE_A = (
    "The new interface replaces the callback style that older versions of the library "
    "asked for, and most of the code that used it can be ported in an afternoon by "
    "anyone who has written a promise chain before."
)
PROSE_B = (
    "Once the request has been sent, the response object carries the status, the headers "
    "and a body that can be read once, as text or as parsed data, whichever the caller "
    "needs at that point of the program."
)
PROSE_C = (
    "Error handling deserves a paragraph of its own, because a network failure and an "
    "error status from the server reach the caller along two different paths that are "
    "easy to confuse when reading the code for the first time."
)
PROSE_D = (
    "In short, the interface is smaller than the one it replaces, and the programs that "
    "use it read from top to bottom in the order in which things actually happen."
)
PROSE_E = (
    "Browsers that still lack the interface can load a small polyfill, which behaves the "
    "same way for every case described here and can be dropped later without touching "
    "any of the code that calls it, once support is universal."
)


def test_a_program_listing_printed_token_by_token_does_not_cut_the_article() -> None:
    listing = ["fetch", "(", '"/data.json").', "then", "( function", "( res)", "{",
               "if", "( res.", "ok", ")", "{", "console.", "log", "(", "res.", "status);",
               "}", "});"]  # fmt: skip
    page = "\n".join(
        ["Menu", "Home", "Articles", "About", PROSE_A, PROSE_B, *listing * 3, PROSE_C, PROSE_D]
    )
    body = clean_text(page).body
    for paragraph in (PROSE_A, PROSE_B, PROSE_C, PROSE_D):
        assert paragraph in body


def test_a_teaser_box_inside_the_article_is_no_comment_thread() -> None:
    box = [
        "Recommended",
        "Remembering the Most Mesmerizing Sign in Town",
        "Mark Byrnes",
        "Jul 17, 2014",
        "Ode To The Dead Mall",
        "Tanvi Misra",
        "Mar 9, 2018",
        "The Twists and Turns of Making a Neon Sign",
        "Linda Poon",
        "Aug 23, 2017",
    ]
    page = "\n".join(
        ["Why Neon Lasted a Century", PROSE_A, PROSE_B, *box, PROSE_C, PROSE_D, PROSE_E]
    )
    result = clean_text(page)
    assert PROSE_C in result.body and PROSE_D in result.body
    assert not result.comments


def test_markdown_link_brackets_holding_spaces_keep_the_words_apart() -> None:
    lines = split_lines("He started the[ Go Fund Me ](https://example.org/f/x)page last month.")
    assert lines[0].text == "He started the Go Fund Me page last month."


def test_markdown_inline_code_loses_its_backticks() -> None:
    lines = split_lines("Install dependencies earlier in your `Dockerfile` to build faster.")
    assert lines[0].text == "Install dependencies earlier in your Dockerfile to build faster."
