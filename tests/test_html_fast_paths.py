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


def _plain_fill_gaps(chosen: list[str], recall: list[str], links, options) -> list[str]:  # noqa: ANN001
    """`fill_gaps` as it stood before each paragraph's shingles were read once."""
    from cleaning.html_vote import ngrams, paragraph_coverage

    if not chosen or not recall:
        return chosen
    grams = ngrams(chosen)
    shared = [i for i, p in enumerate(recall) if paragraph_coverage(p, grams) >= 0.5]
    if not shared:
        return chosen
    first, last = shared[0], shared[-1]
    added: list[int] = []
    for i, paragraph in enumerate(recall):
        if i in shared:
            continue
        inside = first < i < last and options.fill_inside_links is not None
        lead = (
            i == first - 1
            and options.fill_lead_words is not None
            and len(paragraph.split()) >= options.fill_lead_words
        )
        if inside:
            limit = options.fill_inside_links
        elif lead:
            limit = options.alternative_max_links
        else:
            continue
        if links.share([paragraph]) < limit:
            added.append(i)
    if not added:
        return chosen
    recall_grams = {i: ngrams([recall[i]]) for i in shared}
    places: list[int | None] = []
    for paragraph in chosen:
        own = ngrams([paragraph])
        places.append(
            next(
                (
                    i
                    for i in shared
                    if paragraph_coverage(recall[i], own) >= 0.5
                    or paragraph_coverage(paragraph, recall_grams[i]) >= 0.5
                ),
                None,
            )
        )
    merged: list[str] = []
    for paragraph, place in zip(chosen, places, strict=True):
        while added and place is not None and added[0] < place:
            merged.append(recall[added.pop(0)])
        merged.append(paragraph)
    merged.extend(recall[i] for i in added)
    return merged


def test_gap_filling_reads_each_paragraph_once_with_the_same_merge() -> None:
    """`fill_gaps` compares paragraphs by shingles read once each: on the paragraphs of
    every fixture page, with bodies missing some, cut short, edited or reordered, it
    merges as the plain definition does."""
    import random

    from cleaning.html import HtmlOptions, LinkIndex, fill_gaps
    from cleaning.html_select import block_text

    options = [HtmlOptions(), HtmlOptions(fill_lead_words=3, fill_inside_links=0.9)]
    rng = random.Random(12)
    filled = compared = 0
    for path in sorted(FIXTURES.rglob("*.html")):
        tree = lxml.html.fromstring(path.read_bytes())
        recall = [t for t in (block_text(el) for el in tree.iter("p", "li", "h2")) if t]
        if len(recall) < 3:
            continue
        links = LinkIndex(tree)
        bodies = [
            recall[1::2],
            recall[2:-1],
            [p + " and more" if k % 3 == 0 else p for k, p in enumerate(recall[1:])],
            rng.sample(recall, len(recall) // 2),
            [*recall[:2], "A paragraph of its own that the page does not print anywhere."],
        ]
        for chosen in bodies:
            for option in options:
                expected = _plain_fill_gaps(chosen, recall, links, option)
                assert fill_gaps(chosen, recall, links, option) == expected, path
                compared += 1
                filled += expected != chosen
    assert compared >= 200
    assert filled >= 20


def test_collapsing_white_space_joins_the_split_words() -> None:
    """`collapse` joins str.split's words where it substituted `\\s+` and stripped: the
    same text for every white space character, at the edges and inside, and for the
    text of every element of the fixture pages."""
    import re

    from cleaning.html_select import collapse

    white = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    texts = [None, "", " ", "a", *(f"{w}a{w}{w}b {w}" for w in white), "".join(white) + "x"]
    for path in sorted(FIXTURES.rglob("*.html"))[:40]:
        texts += [el.text_content() for el in lxml.html.fromstring(path.read_bytes()).iter()]
    assert len(texts) > 1000
    for text in texts:
        assert collapse(text) == re.sub(r"\s+", " ", text or "").strip(), repr(text)
