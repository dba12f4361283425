"""The shortcuts taken for speed in the comment signals and the thread shapes give the
answers of their plain definitions (written out here as they stood before the shortcut),
on every line of the hand-written text and comment fixtures and on the button, count and
name shapes the shortcuts reason about."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaning import text_comments, text_meta
from cleaning.comment_signals import (
    _ACTION_PARTS,
    _CASE_STEP,
    _COUNT_IN_WORDS,
    _ICONS_TO_SPACE,
    _actions,
    is_action,
    is_count,
    key,
)

FIXTURES = Path(__file__).parent / "fixtures"

SHAPES = [
    "Reply",
    "Reply • Share ›",
    "▲12▼ReplyReport",
    "Reply|Share",
    "⇧41⇩ResponderCompartir",
    "Like (21) Reply",
    "Like (21) Reply Report",
    "3 Replies",
    "Antworten (2)",
    "12 likes",
    "ReplyReport and more",
    "The Reply",
    "Reply the",
    "Share ›",
    "›",
    "• 3",
    "Avatar thermalrunaway",
    "Teilen › leseratte77",
    "Reply Share leseratte77 wrote",
    "12 Reply Share Jane Doe",
    "Reply 12 Jane",
    "Responder · 7 · 2 de marzo de 2024 a las 10:15",
    "The council voted on Tuesday to repair the old bridge before winter.",
    "Ответить Поделиться",
    "返信",
    "²³ Replies",
]


def _fixture_lines() -> list[str]:
    files = sorted((FIXTURES / "text").rglob("*.txt")) + sorted(
        (FIXTURES / "comments").rglob("*.txt")
    )
    lines = {line.strip() for path in files for line in path.read_text("utf-8").splitlines()}
    return sorted(line for line in lines if line)


LINES = SHAPES + _fixture_lines()


def _plain_is_action(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return True
    if is_count(stripped):
        return True
    parts = [p for p in _ACTION_PARTS.split(stripped) if p.strip()]
    if len(parts) > 1:
        return all(_plain_is_action(p) for p in parts)
    if key(stripped) in _actions():
        return True
    glued = _CASE_STEP.sub(" ", stripped).translate(_ICONS_TO_SPACE)
    tokens = glued.split()
    if len(tokens) > 1 and all(
        is_count(t.strip("()[]")) or key(t) in _actions() for t in tokens if key(t)
    ):
        return True
    no_digits = key(_COUNT_IN_WORDS.sub(" ", stripped))
    return bool(no_digits) and no_digits in _actions() and any(c.isdigit() for c in stripped)


def _plain_strip_leading_chrome(text: str) -> str:
    text = text_comments._LEADING_CHROME.sub("", text).strip()
    words = text.split()
    cut = 0
    for k in range(1, min(4, len(words))):
        if not any(is_count(w) for w in words[:k]) and _plain_is_action(" ".join(words[:k])):
            cut = k
    return " ".join(words[cut:]) if cut else text


def test_fixture_lines_are_many() -> None:
    assert len(LINES) > 500


def test_is_action_asks_word_by_word_with_the_same_answer() -> None:
    """Buttons are looked for word by word before the line is cut into buttons."""
    assert sum(map(_plain_is_action, LINES)) >= 10  # the shapes hold buttons
    for line in LINES:
        prefixes = [" ".join(line.split()[:k]) for k in (1, 2, 3)]
        for text in [line, *prefixes]:
            assert is_action(text) == _plain_is_action(text), text


@pytest.mark.parametrize("line", SHAPES)
def test_leading_chrome_stops_at_the_first_count(line: str) -> None:
    assert text_comments._strip_leading_chrome(line) == _plain_strip_leading_chrome(line)


def test_leading_chrome_on_fixture_lines() -> None:
    for line in LINES:
        assert text_comments._strip_leading_chrome(line) == _plain_strip_leading_chrome(line)


EVERY_CHARACTER = "".join(map(chr, range(0x110000)))
WHITE = [c for c in EVERY_CHARACTER if c.isspace()]
EDGES = ["", " ", "— • ", "__init__", "**Bold**", "«Reply»", "²³", "x", "_a_", "ǅ!", "١٢"]


def test_str_split_white_space_is_the_regex_white_space() -> None:
    """Lines are single-spaced with str.split where `\\s+` was replaced: the same set."""
    assert re.findall(r"\s", EVERY_CHARACTER) == WHITE


def test_key_is_the_casefolded_line_without_its_edges() -> None:
    spaced = [f"{w}a{w}b {w}" for w in WHITE]
    for text in [*LINES, *EDGES, *spaced, *(e + line + e for line in SHAPES for e in EDGES)]:
        plain = re.sub(r"^[\W_]+|[\W_]+$", "", re.sub(r"\s+", " ", text).strip().casefold())
        assert key(text) == plain, text


def _plain_find_date(line: str) -> str | None:
    for pattern in text_meta._DATES:
        m = pattern.search(line)
        if not m:
            continue
        month = m.group("month")
        month_no = (
            int(month) if month.isdigit() else text_meta._MONTHS.get(month.casefold().rstrip("."))
        )
        day, year = int(m.group("day")), int(m.group("year"))
        if month_no and 1 <= month_no <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month_no:02d}-{day:02d}"
    return None


DATES = ["March 2, 2024", "2 March 1999", "2019-11-18", "Nov. 3rd, 2001 at 10:15", "3 mars 2024"]


def test_find_date_skips_lines_without_a_year_of_its_centuries() -> None:
    assert sum(1 for line in LINES + DATES if _plain_find_date(line)) >= 10
    for line in LINES + DATES + [d.replace("20", "٢٠") for d in DATES]:
        assert text_meta.find_date(line) == _plain_find_date(line), line


def test_name_stripping_is_shared_by_the_author_check_and_the_name() -> None:
    """`_author_text` and `_clean_name` strip through one cached step: each gives the
    plain chain of strips."""
    from cleaning.comment_signals import strip_by, strip_says

    def plain_bare(text: str) -> str:
        return text_comments._strip_trailing_says(_plain_strip_leading_chrome(strip_by(text)))

    for line in [*LINES, "Jane says:", "Comment by Jan Dark", "Avatar Jane wrote on", "Jo:"]:
        text, says = strip_says(line)
        assert text_comments._author_text(line) == (plain_bare(text), says), line
        assert text_comments._clean_name(line) == plain_bare(line).strip(" »«•·|-–—:›"), line


def _rule_lines() -> list[str]:
    """Chrome and prose of the rule tests in every language, non-Latin scripts and
    case-folding traps, and lines glued from both (long lines take other tables)."""
    from tests import test_rules, test_rules_languages

    chrome = [line for lines in test_rules.CHROME.values() for line in lines]
    chrome += [
        line
        for families in test_rules_languages.CHROME.values()
        for lines in families.values()
        for line in lines
    ]
    prose = test_rules.PROSE + [
        line for lines in test_rules_languages.PROSE.values() for line in lines
    ]
    traps = [
        "İSTANBUL'DA PAYLAŞ", "Paylaş", "YORUMLAR (3)", "ſhare", "SHARE ON FACEBOOK",
        "ПОДЕЛИТЬСЯ", "Комментарии (12)", "公式アプリをダウンロード", "コメント", "ΣΧΌΛΙΑ",
        "\u212aommentare", "Ιͅ", "Teilen  \t auf   Facebook",
    ]  # fmt: skip
    glued = [f"{a} {b}" for a in chrome[::5] for b in prose[::4]]
    return LINES + chrome + prose + traps + glued + [line * 9 for line in chrome[::7]]


def _plain_match_line(line: str) -> tuple[str, re.Pattern[str]] | None:
    """The first rule, families in table order, that admits the line's length and
    whose pattern is found in it (the definition before any screening)."""
    from cleaning.rules import FAMILIES

    text = re.sub(r"\s+", " ", line).strip()
    if not text:
        return None
    words = len(re.findall(r"\w+", text))
    for family, rules in FAMILIES.items():
        for rule in rules:
            if (
                (rule.max_words is None or words <= rule.max_words)
                and (rule.min_words is None or words >= rule.min_words)
                and rule.pattern.search(text)
            ):
                return family, rule.pattern
    return None


def test_rule_tables_answer_as_the_rules_tried_in_order() -> None:
    """Keys, their runs and first letters only skip rules that cannot match: the first
    rule found is the first rule, in table order, that matches."""
    from cleaning.rules import match_line

    lines = _rule_lines()
    assert sum(1 for line in lines if _plain_match_line(line)) >= 150
    for line in lines:
        found = match_line(line)
        assert (None if found is None else (found.family, found.rule.pattern)) == (
            _plain_match_line(line)
        ), line


def test_a_key_is_asked_for_with_the_run_it_was_cut_from() -> None:
    """Each rule's keys come with the literal run each was cut from, and every line a rule
    matches holds one of its keys and that key's run (what lets a line that holds the
    three letters but not the word skip the rule)."""
    from cleaning.rules import FAMILIES, THREAD_OPENERS
    from cleaning.rules.prefilter import pattern_key_runs, pattern_keys, screen

    patterns = {r.pattern for rules in FAMILIES.values() for r in rules}
    patterns |= {r.pattern for r in THREAD_OPENERS}
    lines = [re.sub(r"\s+", " ", line).strip() for line in _rule_lines()]
    matched = 0
    for pattern in patterns:
        pairs = pattern_key_runs(pattern)
        keys = pattern_keys(pattern)
        if pairs is None:
            assert keys is None
            continue
        assert keys == {key for key, _run in pairs}
        assert all(key in run for key, run in pairs)
        for line in lines:
            folded = screen(line)
            if folded is not None and pattern.search(line):
                matched += 1
                assert any(key in folded and run in folded for key, run in pairs), line
    assert matched >= 150


NAME_LINES = [
    "Avatar Reply Share Like Jane Doe wrote on",
    "profile picture Reply Share Like Margaret Hill-Whitmore Davidson says:",
    "Comment by Jan Dark",
    "Avatar thermalrunaway",
    "Аватар Ответить Поделиться Ольга Петрова написала:",
    "İbrahim Yılmaz dedi ki:",
    "返信 山田太郎さんのコメント",
    "Reply Share Like Report Anna-Lena Müller-Lüdenscheidt von Hohenberg zu Falkenstein",
    "Reply Share Like " + "x" * 40 + " wrote on",
    "Reply Share Like " + "x" * 41 + " wrote on",
    "Reply Share Like Jo " + "y" * 37 + " says",
    "The council voted on Tuesday to repair the old bridge before the first snow fell.",
]


def test_a_line_too_long_for_a_name_is_no_author(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_looks_like_author` first asks whether the line's words between its first five and
    last two are already longer than a name; it answers as without the shortcut, and
    the shortcut only skips lines whose name part is longer than a name."""
    lines = LINES + NAME_LINES + [" ".join([line] * 3) for line in NAME_LINES]
    skipped = 0
    for line in lines:
        if text_comments._too_long_for_a_name(line):
            skipped += 1
            assert len(text_comments._author_text(line)[0]) > text_comments._NAME_CHARS, line
    assert skipped >= 50
    plain = text_comments._looks_like_author.__wrapped__
    stops = frozenset(["the", "on", "to", "of", "von", "zu"])
    monkeypatch.setattr(text_comments, "_too_long_for_a_name", lambda raw: False)
    expected = {
        (line, loose): plain(line, False, False, False, stops, loose)
        for line in lines
        for loose in (False, True)
    }
    monkeypatch.undo()
    assert sum(expected.values()) >= 20
    for (line, loose), answer in expected.items():
        assert plain(line, False, False, False, stops, loose) == answer, line


def _plain_too_long_for_a_name(raw: str) -> bool:
    from cleaning.comment_signals import strip_by, strip_says

    words = strip_by(strip_says(raw)[0]).split()
    cut = words[text_comments._NAME_CUT_FRONT : len(words) - text_comments._NAME_CUT_BACK]
    return len(" ".join(cut)) > text_comments._NAME_CHARS


def test_a_line_no_longer_than_a_name_is_never_too_long_for_one() -> None:
    """`_too_long_for_a_name` answers a line of at most `_NAME_CHARS` characters without
    stripping it (stripping only cuts), as the plain definition does."""
    edges = [
        line[:n]
        for line in NAME_LINES
        for n in (text_comments._NAME_CHARS - 1, text_comments._NAME_CHARS, 41, 48, 49, 60)
    ]
    spaced = ["a  " * 14, "Reply Share Like Jo " + "y " * 12, "by " + "ab " * 20 + "says:"]
    lines = LINES + NAME_LINES + edges + spaced + [" ".join([line] * 3) for line in NAME_LINES]
    assert sum(map(_plain_too_long_for_a_name, lines)) >= 50
    for line in lines:
        assert text_comments._too_long_for_a_name(line) == _plain_too_long_for_a_name(line), line


REPLYING = [
    "Hélène a répondu à un commentaire de Paul M. | 14 mai 2012 12h20",
    "Ana replied to comment from Ben",
    "Ana replied to comment from Ben • March 2, 2024 at 10:15 in the evening, after the "
    "long council meeting about the bridge had finally ended for the night",
    "Margaret Hill-Whitmore Davidson of the Northern Reading Circle replied to Jonathan "
    "Appleseed-Smith of the Southern Gardening Club and the Harbour Walkers",
    "→ Ana " + "and the rest of the reading circle " * 3,
    "Bill Carter March 2, 2004| Great site! " + "I read it every morning before work. " * 3,
    "**Jane Doe** • March 2, 2024 " + "** " * 14,
]


def test_a_line_that_cannot_open_a_post_is_neither_a_name_nor_a_header() -> None:
    """`_may_open` turns long prose away before its shape is worked out: every line
    `_cannot_open` names is shaped as neither a name nor a header, whatever its nesting
    and the stop words, so `_may_open` answers as the shape alone does."""
    from cleaning.text_lines import Line

    long_lines = [" ".join([line] * k) for line in NAME_LINES + SHAPES for k in (2, 4)]
    lines = LINES + NAME_LINES + REPLYING + long_lines
    stops_sets = [frozenset(), frozenset(["the", "on", "to", "of", "and", "a", "de", "la"])]
    turned_away = 0
    for text in lines:
        if len(text) <= text_comments._NAME_CHARS or not text_comments._cannot_open(text):
            continue
        turned_away += 1
        for depth, bullet, heading in [(0, False, False), (1, False, False), (1, True, True)]:
            for stops in stops_sets:
                shape = text_comments._shape_of.__wrapped__(
                    text, depth, bullet, heading, None, stops
                )
                assert shape.kind not in ("name", "header"), text
                line = Line(text=text, raw=text, index=0, depth=depth, bullet=bullet)
                assert not text_comments._may_open(line, stops)
    assert turned_away >= 100
    # long headers: "name replied to target • stamp", a signature | text table row
    assert not text_comments._cannot_open(REPLYING[2])
    assert not text_comments._cannot_open(REPLYING[5])


def _plain_unwrap_markdown(text: str) -> tuple[str, int, int]:
    """`_unwrap_markdown` as it stood before each pattern was guarded by its brackets."""
    from cleaning import text_lines as tl

    links = 0
    link_chars = 0
    if "](" in text or "][" in text:
        text = tl._IMAGE.sub("", text)

        def keep(m: re.Match[str]) -> str:
            nonlocal links, link_chars
            label = tl._IMAGE.sub("", m.group(1))
            inner = label.strip()
            links += 1
            link_chars += len(inner)
            if not inner or inner == label:
                return inner
            lead = " " if label[:1].isspace() else ""
            return lead + inner + (" " if label[-1:].isspace() else "")

        for _ in range(2):
            text = tl._LINK.sub(keep, text)
        text = tl._REF_LINK.sub(keep, text)
    if "*" in text or "_" in text:
        text = tl._EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or m.group(4) or "", text)
    if "`" in text:
        text = tl._CODE_SPAN.sub(r"\1", text)
    if "\\" in text:
        text = tl._ESCAPE.sub(r"\1", text)
    return text, links, link_chars


MARKDOWN = [
    "[![img](https://x.org/a.png) A caption](https://x.org/story)",
    "![](data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1200 675'%3E)",
    "Read [the report][1] and [this](https://x.org/a_(b)) too",
    "the[ Go Fund Me ](https://gofundme.com/x)page",
    "[ ](whatsapp://send?text=Title of the story+https://x.org/s)",
    "[![](https://x.org/i.png)](https://x.org) [Home](/) | [News][n] ][ ](",
    "**[Bold link](https://x.org)** and _[em][2]_ with `code` \\*stars\\*",
    "[[nested] label](https://x.org) [a][b][c](d)",
]


def test_markdown_is_unwrapped_as_before_where_its_brackets_are() -> None:
    """Each markdown pattern runs only on text holding its brackets: every markdown
    fixture line, and nested, reference and image links, unwrap as before."""
    paths = sorted(FIXTURES.rglob("*.md")) + sorted(FIXTURES.rglob("*.txt"))
    lines = {line for path in paths for line in path.read_text("utf-8").splitlines()}
    lines = sorted(lines | set(MARKDOWN))
    from cleaning.text_lines import _unwrap_markdown

    assert sum(1 for line in lines if _plain_unwrap_markdown(line)[1]) >= 30
    for line in lines:
        assert _unwrap_markdown(line) == _plain_unwrap_markdown(line), line


COPYRIGHT = [
    "© 2024 Northwind Media", "(C) 2019 The Daily", "(c)2019", "COPYRIGHT NOTICE",
    "Copyright Northwind", "copyrighted material", "(c) photo", "ⓒ 2024", "Ⓒ 2024",
    "\u212aopyright", "cop yright 2024", "İSTANBUL © 2024", "Ιͅ (c) 2020",
]  # fmt: skip


def test_keyless_floating_rules_are_only_searched_on_lines_holding_their_runs() -> None:
    """The floating rules without keys (the copyright line: "©", "(c) 2024", "copyright")
    are searched only on lines holding one of the literal runs every match holds: each
    screened probe of every table answers as its search does, and every line a floating
    rule matches holds one of the runs."""
    from cleaning.rules import (
        _LONGEST_GUARD,
        FAMILIES,
        _families_table,
        _rule_keys,
        _table_for_length,
    )
    from cleaning.rules.prefilter import needed_runs, screen

    lines = [re.sub(r"\s+", " ", line).strip() for line in _rule_lines() + COPYRIGHT]
    lines = [line for line in lines if line]
    floating = [
        r.pattern
        for rules in FAMILIES.values()
        for r in rules
        if not _rule_keys(r.pattern) and not r.pattern.pattern.startswith("^")
    ]
    assert floating  # the copyright rule
    for pattern in floating:
        runs = needed_runs(pattern)
        assert runs
        for line in lines:
            folded = screen(line)
            if folded is not None and pattern.search(line):
                assert any(run in folded for run in runs), line
    tables = [_table_for_length(words) for words in range(_LONGEST_GUARD + 2)]
    tables.append(_families_table(5, frozenset(FAMILIES)))
    screened = 0
    for table in tables:
        for family in table.families:
            probes = [*table.free_screen, *family[1]]
            for probe in probes:
                search = getattr(probe, "__closure__", None) and probe.__closure__
                if not search or probe.__qualname__ != "_screened.<locals>.probe":
                    continue
                plain = next(c.cell_contents for c in search if callable(c.cell_contents))
                screened += 1
                for line in lines:
                    assert bool(probe(line)) == bool(plain(line)), line
    assert screened >= 10
    assert sum(1 for line in lines if re.search(r"©|\(c\)\s*\d{4}|\bcopyright\b", line, re.I)) >= 8


def test_a_signature_needs_a_letter_asked_character_by_character() -> None:
    """`_may_sign` looks for a letter with str.isalpha over the line's characters, as the
    plain definition does, whatever the script ("[12]", "½ ²", "返信", "١٢")."""
    from cleaning.text import _MAX_HEADER_TOKENS, _may_sign
    from cleaning.text_lines import Line

    def plain(text: str) -> bool:
        return len(text.split()) <= _MAX_HEADER_TOKENS and any(c.isalpha() for c in text)

    texts = LINES + EDGES + ["[12]", "½ ²", "— • —", "12:30", "返信", "١٢", "ǅ", "_"]
    assert sum(map(plain, texts)) >= 100
    assert sum(not plain(text) for text in texts) >= 5
    for text in texts:
        assert _may_sign(Line(text=text, raw=text, index=0)) == plain(text), text


def test_the_language_sample_is_the_casefolded_words_of_the_longer_lines() -> None:
    """`pick_language` samples words with map(str.casefold): the same pick as the plain
    definition on every text fixture."""
    from collections import Counter

    from cleaning import text_lines

    def plain(lines: list) -> tuple[str | None, frozenset[str]]:  # type: ignore[type-arg]
        sample: list[str] = []
        for line in lines:
            if line.words >= 8:
                sample.extend(w.casefold() for w in re.findall(r"\w+", line.text))
                if len(sample) > 1000:
                    break
        lists = text_lines._stoplists()
        if not sample or not lists:
            return None, frozenset()
        counts = Counter(sample)
        best, best_lang, best_share = frozenset(), None, 0.0
        for lang, stops in lists.items():
            share = sum(n for word, n in counts.items() if word in stops) / len(sample)
            if share > best_share:
                best, best_lang, best_share = stops, lang, share
        if best_share < 0.12:
            return None, frozenset()
        return text_lines.ISO_639_1.get(best_lang or ""), best

    paths = sorted((FIXTURES / "text").rglob("*.txt"))
    picked = set()
    for path in paths:
        lines = text_lines.split_lines(path.read_text("utf-8"))
        assert text_lines.pick_language(lines) == plain(lines), path
        picked.add(plain(lines)[0])
    assert len(picked) >= 6


def test_thread_openers_answer_as_every_opener_tried() -> None:
    """The one pass for any opener's key only skips openers that cannot match: the answer
    is whether any opener that admits the line's length matches it."""
    from cleaning.rules import THREAD_OPENERS, opens_thread, word_count

    def plain(line: str) -> bool:
        text = " ".join(line.split())
        words = word_count(text)
        return any(
            rule.pattern.search(text)
            for rule in THREAD_OPENERS
            if rule.max_words is None or words <= rule.max_words
        )

    lines = [*_rule_lines(), *LINES, "12 Comments", "Leave a Reply", "Kommentare (3)"]
    assert sum(map(plain, lines)) >= 10
    for line in lines:
        assert opens_thread(line) == plain(line), line


def test_an_ascii_line_without_a_tab_or_two_spaces_has_no_run_of_space_to_fold() -> None:
    """`_physical_lines` skips `_SPACE` on such lines: the substitution changes none."""
    from cleaning.text_lines import _SPACE

    shapes = ["a b c", " lead and trail ", "a  b", "a\tb", "a\u00a0b", "a\u3000b", "a\u200bb"]
    plain = [line for line in [*LINES, *shapes] if line.isascii() and "  " not in line]
    plain = [line for line in plain if "\t" not in line]
    assert len(plain) > 100 and "a\u200bb" not in plain  # (a zero-width space is folded)
    for line in plain:
        assert _SPACE.sub(" ", line) == line, line
