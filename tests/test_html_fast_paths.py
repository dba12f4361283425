"""The shortcuts taken for speed in `clean_html`'s own steps give the answers of their
plain definitions, on the markup of every HTML fixture and on the case-folding traps the
shortcuts reason about."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from cleaning import comments_structure

FIXTURES = Path(__file__).parent / "fixtures"


def _class_and_id_strings() -> list[str]:
    """Every "class id" string `_hinted` builds from the fixtures' elements."""
    found = set()
    for path in sorted(FIXTURES.rglob("*.html")):
        tree = lxml.html.fromstring(path.read_bytes())
        for el in tree.iter():
            if isinstance(el.tag, str) and (el.get("class") or el.get("id")):
                found.add(f"{el.get('class') or ''} {el.get('id') or ''}")
    return sorted(found)


TRAPS = [
    "COMMENT-LIST", "Kommentare", "\u212aommentar", "ſhare-thread", "reſponse", "İnceleme",
    "RÉACTION", "réactions", "post-body", "postbody", "post--body", "userpost", "talk-page",
    "gaestebuch", "GuestBook", "x-comment-y", "c0mment", "antw0rt", "", " ", "ιͅ comment",
]  # fmt: skip


def test_a_hint_is_only_searched_for_in_names_holding_one_of_its_runs() -> None:
    """`_says` skips the search where the class/id string holds none of the literal runs
    one of which every match of the hint holds: it answers as the search does."""
    names = _class_and_id_strings() + TRAPS
    assert len(names) > 300
    for hint in (comments_structure._HINT, comments_structure._STRONG_HINT):
        assert comments_structure._literal_runs(hint.pattern, hint.flags)  # it is screened
        said = 0
        for text in names:
            expected = hint.search(text) is not None
            said += expected
            assert comments_structure._says(hint.pattern, hint.flags, text) == expected, text
        assert said >= 20
