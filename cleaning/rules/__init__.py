"""Noise rule families, as data: the shared rule set of `clean_text` and `clean_html`.

Each family is a named tuple of `Rule`s (a regular expression plus an optional length
guard). A rule says what a *whole line or paragraph* of page chrome looks like; it never
names one site. The guards keep a keyword family from eating article sentences that
merely mention the word ("share", "cookie", "subscribe"): chrome is short, prose is long.

Public API:
    classify_line(line) -> family name or None
    claimed_by(line, families) -> classify_line(line) if one of `families`, else None
    FAMILIES            -> {family: (Rule, ...)}, ordered specific -> general: the English
                           tables (tables.py) plus every language file (languages.py)
    LANGUAGES           -> codes of the language files loaded
    PHOTO_AGENCIES      -> the credit family: agency names that credit a picture
    COMMENT_ZONE        -> families that, met after the article, open the comment area
    opens_thread(line)  -> whether a line on its own announces a comment thread
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from cleaning.rules.languages import LANGUAGES, language_rules
from cleaning.rules.prefilter import (
    alternatives,
    anchored_at_start,
    first_letters,
    holds_none,
    needed_characters,
    needed_runs,
    pattern_key_runs,
    present_keys,
    screen,
    whole_line_text,
    word_stem,
)
from cleaning.rules.tables import FAMILIES as ENGLISH_FAMILIES
from cleaning.rules.tables import PHOTO_AGENCIES, THREAD_OPENERS, Rule

__all__ = [
    "COMMENT_ZONE",
    "FAMILIES",
    "LANGUAGES",
    "PHOTO_AGENCIES",
    "Rule",
    "THREAD_OPENERS",
    "RuleMatch",
    "build_tables",
    "claimed_by",
    "classify_line",
    "opens_thread",
    "match_line",
    "word_count",
]

# Families whose lines mark the start of the reader-comment area when they follow the
# article body (the thread's own widget chrome and the house rules printed above it).
COMMENT_ZONE = frozenset({"comment-chrome", "comment-policy"})


def _with_languages() -> dict[str, tuple[Rule, ...]]:
    """The English tables with every language file's rules after them, family by family;
    a family only the language files have (the subscription wall) goes before "cookie"."""
    extra = language_rules()
    merged: dict[str, tuple[Rule, ...]] = {}
    for family, rules in ENGLISH_FAMILIES.items():
        if family == "cookie":
            for new in extra.keys() - ENGLISH_FAMILIES.keys():
                merged[new] = extra[new]
        merged[family] = rules + extra.get(family, ())
    return merged


FAMILIES = _with_languages()

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class RuleMatch:
    family: str
    rule: Rule


def _single_spaced(line: str) -> str:
    """`line` with each run of white space one space, none at the ends (`\\s+` -> " ",
    stripped: str.split's white space is `\\s`'s), for less than the regex costs."""
    return " ".join(line.split())


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@lru_cache(maxsize=8192)  # asked of each line twice: when rejoining, and when labelling
def match_line(line: str) -> RuleMatch | None:
    """The first rule (families in table order) that claims this line, if any."""
    text = _single_spaced(line)
    if not text:
        return None
    words = word_count(text)
    return _match(text, words)


@lru_cache(maxsize=8192)  # menus and widgets repeat within a page and across a site
def _match(text: str, words: int) -> RuleMatch | None:
    return _first_match(text, screen(text), _table_for_length(min(words, _LONGEST_GUARD + 1)))


def claimed_by(line: str, families: frozenset[str]) -> str | None:
    """`classify_line(line)` if it is one of `families`, else None; the same answer, for
    less work on lines no rule of `families` can match (most long paragraphs)."""
    text = _single_spaced(line)
    if not text:
        return None
    return _claimed(text, word_count(text), families)


@lru_cache(maxsize=8192)
def _claimed(text: str, words: int, families: frozenset[str]) -> str | None:
    # classify_line names a family only when one of its rules matches the line, so when
    # none of `families`' rules does, the answer is not one of them. That check is a few
    # probes (their rules are mostly whole-line patterns, tried at the start only); the
    # whole table is dozens of searches through the line, the other families' included.
    table = _families_table(min(words, _LONGEST_GUARD + 1), families)
    if _first_match(text, screen(text), table) is None:
        return None
    found = _match(text, words)
    return found.family if found is not None and found.family in families else None


def _first_match(text: str, folded: str | None, table: _Table) -> RuleMatch | None:
    """The first rule of `table` (families in order) that claims `text`; `folded` is
    `screen(text)`."""
    # Positions in `table.keyed` (family order) of the keyed rules whose keys are on the
    # line, each with the literal run it was cut from, all of them if it cannot be
    # screened. Positions, not patterns: hashing a compiled pattern hashes its whole
    # program, and a long line holds dozens of keys.
    if folded is None:
        wanted: Sequence[int] = range(len(table.keyed))
    else:
        present = present_keys(folded, table.keys)
        wanted = (
            sorted(
                {
                    position
                    for key in present
                    for position, run in table.rules_of[key]
                    if run in folded
                }
            )
            if present
            else ()
        )
    # Only the families that can claim the line are probed: those with a wanted keyed
    # rule, with rules tried directly, and, when the union of every family's keyless
    # rules matches the line at all (rarely), those with keyless rules. Most lines are
    # prose no rule claims, and this asks them two questions instead of every family's.
    free_hit = any(probe(text) for probe in table.free_screen)
    if not free_hit and not table.direct_families:
        # Only keyed rules can claim the line (most lines): the first of them to match,
        # in table order, is the first rule that claims it (the rules before it in its
        # family are keyless, or keyed and skipped or tried in vain).
        for position in wanted:
            pattern = table.keyed[position]
            if pattern.search(text) is not None:
                family, _free, _direct, _start, _end, rules = table.families[
                    table.family_of[position]
                ]
                return next(RuleMatch(family, r) for r in rules if r.pattern is pattern)
        return None
    candidates = set(table.direct_families)
    if free_hit:
        candidates.update(table.free_families)
    candidates.update(map(table.family_of.__getitem__, wanted))
    position = 0
    for index in sorted(candidates):
        family, free, direct, start, end, rules = table.families[index]
        hit = (free_hit and any(probe(text) for probe in free)) or any(
            probe(text) for probe in direct
        )
        while position < len(wanted) and wanted[position] < start:
            position += 1
        while position < len(wanted) and wanted[position] < end:
            hit = hit or table.keyed[wanted[position]].search(text) is not None
            position += 1
        if hit:
            # Which rule of the family: only asked on a hit, so the exact answer is cheap.
            for rule in rules:
                if rule.pattern.search(text):
                    return RuleMatch(family, rule)
    return None


_LONGEST_GUARD = max(
    (g for rules in FAMILIES.values() for r in rules for g in (r.max_words, r.min_words) if g),
    default=0,
)
_Probe = Callable[[str], object]


@dataclass(frozen=True, slots=True)
class _Table:
    """The rules that admit lines of one length, ready to probe.

    Per family (table order): the rules without keys merged into at most two probes (one
    alternation of the whole-line `^...` rules, tried at the start only, one of the
    others), the keyed rules tried directly (`_SCREEN_ANCHORED_UP_TO`), where its
    screened keyed rules start and end in `keyed`, and all its rules in order.
    `keyed` holds every family's rules with keys (`prefilter`), family after family;
    `rules_of` maps each key to the positions in `keyed` of the rules needing it, each
    with the run of the rule the key was cut from (`pattern_key_runs`), so a line is
    only probed with the keyed rules whose letters it holds: a page has
    thousands of lines and the tables some 200 rules. `family_of` gives the family
    (index in `families`) of each position in `keyed`; `free_screen` is every family's
    keyless rules merged into at most two probes (a line none of them matches needs
    none of `free_families` probed), and `direct_families` the families with rules
    tried directly."""

    families: tuple[
        tuple[str, tuple[_Probe, ...], tuple[_Probe, ...], int, int, tuple[Rule, ...]], ...
    ]
    keyed: tuple[re.Pattern[str], ...]
    keys: frozenset[str]
    rules_of: dict[str, tuple[tuple[int, str], ...]]
    family_of: tuple[int, ...]
    free_screen: tuple[_Probe, ...]
    free_families: tuple[int, ...]
    direct_families: tuple[int, ...]


@cache
def _table_for_length(words: int) -> _Table:
    return _table(words, tuple(FAMILIES))


@cache
def _families_table(words: int, families: frozenset[str]) -> _Table:
    return _table(words, tuple(family for family in FAMILIES if family in families))


def _table(words: int, names: tuple[str, ...]) -> _Table:
    """The table of the rules of the families `names` (in table order) that admit lines
    of `words` words."""
    families = []
    keyed: list[re.Pattern[str]] = []
    family_of: list[int] = []
    rules_of: dict[str, list[tuple[int, str]]] = {}
    all_free: list[str] = []
    free_families: list[int] = []
    direct_families: list[int] = []
    for family in names:
        admitted = tuple(
            rule
            for rule in FAMILIES[family]
            if (rule.max_words is None or words <= rule.max_words)
            and (rule.min_words is None or words >= rule.min_words)
        )
        if not admitted:
            continue
        index = len(families)
        start = len(keyed)
        direct: list[_Probe] = []
        for rule in admitted:
            if not _rule_keys(rule.pattern):
                continue
            if words > _SCREEN_ANCHORED_UP_TO and _anchored(rule.pattern):
                direct.append(rule.pattern.search)
                continue
            for key, run in _rule_key_runs(rule.pattern) or ():
                rules_of.setdefault(key, []).append((len(keyed), run))
            keyed.append(rule.pattern)
            family_of.append(index)
        free = tuple(r.pattern.pattern for r in admitted if not _rule_keys(r.pattern))
        if free:
            all_free.extend(free)
            free_families.append(index)
        if direct:
            direct_families.append(index)
        families.append((family, _merged_probes(free), tuple(direct), start, len(keyed), admitted))
    return _Table(
        tuple(families),
        tuple(keyed),
        frozenset(rules_of),
        {key: tuple(found) for key, found in rules_of.items()},
        tuple(family_of),
        _merged_probes(tuple(all_free), by_letter=True),
        tuple(free_families),
        tuple(direct_families),
    )


def build_tables() -> None:
    """Build the rule tables of every line length now, not on first use. A process that
    forks worker processes (spiders.cleanpool's forkserver) does it once for all of them."""
    for words in range(_LONGEST_GUARD + 2):
        _table_for_length(words)


@cache
def _rule_key_runs(pattern: re.Pattern[str]) -> frozenset[tuple[str, str]] | None:
    return pattern_key_runs(pattern)


@cache
def _rule_keys(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """`pattern_keys`, read off the cached runs: each pattern is parsed once."""
    runs = _rule_key_runs(pattern)
    return None if runs is None else frozenset(key for key, _run in runs)


# Keyed rules anchored at the start of the line are screened by their keys on lines up to
# this many words; on longer ones they are tried directly (one attempt each, at the start),
# which costs less than cutting a long line into pieces to look its keys up.
_SCREEN_ANCHORED_UP_TO = 40


@cache
def _anchored(pattern: re.Pattern[str]) -> bool:
    return anchored_at_start(pattern)


@cache
def _merged_probes(patterns: tuple[str, ...], by_letter: bool = False) -> tuple[_Probe, ...]:
    anchored = [p[1:] for p in patterns if p.startswith("^")]
    floating = [p for p in patterns if not p.startswith("^")]
    probes: list[_Probe] = []
    if anchored:
        whole = _compile_any(anchored, "^").match
        probes.append(_by_first_letter(anchored) if by_letter else whole)
    if floating:
        pattern = _compile_any(floating, "")
        runs = needed_runs(pattern)
        probes.append(pattern.search if runs is None else _screened(pattern.search, runs))
    return tuple(probes)


def _screened(search: _Probe, runs: frozenset[str]) -> _Probe:
    """`search`, as a yes/no, not run on a line that holds none of `runs` (`needed_runs`:
    the "©", "(c)" or "copyright" every copyright line holds, searched for at every
    position of every line otherwise)."""

    def probe(text: str) -> object:
        return None if holds_none(text, runs) else search(text)

    return probe


def _by_first_letter(patterns: list[str]) -> _Probe:
    """`_compile_any(patterns, "^").match`, as a yes/no, for less work. The alternatives
    of the patterns (`alternatives`) that are a plain text and then the end of the line
    ("menu\\W*$", hundreds of them) are looked up in a set; the others are sorted by the
    letters they can start with (`first_letters`), and a line is only tried against
    those that can start with its own first letter, those that can start with anything
    (a `\\w` class, a digit), and those needing a character that few lines hold
    (`needed_characters`: the "/" of a photo credit, the "フ" of a Japanese "follow us",
    `_uncommon`) that it holds. The whole-line rules
    of every language in one alternation are hundreds of words tried one after the other
    (the `re` module cannot skip a case-insensitive alternative by its first letter)."""
    everything = _compile_any(patterns, "^").match
    pieces = [piece for pattern in patterns for piece in alternatives(pattern)]
    shapes = [_piece_shape(piece) for piece in pieces]
    lines = frozenset(text for text, _letters, _needs in shapes if text is not None)
    by_letter: dict[str, list[str]] = {}
    always: list[str] = []
    rare: dict[frozenset[str], list[str]] = {}
    for piece, (text, letters, needs) in zip(pieces, shapes, strict=True):
        if text is not None:
            continue
        if letters is not None:
            for letter in letters:
                by_letter.setdefault(letter, []).append(piece)
        elif needs is None or not all(map(_uncommon, needs)):
            always.append(piece)
        else:
            rare.setdefault(needs, []).append(piece)
    starting = {letter: _anchored_alternation(tuple(found)) for letter, found in by_letter.items()}
    anything = _anchored_alternation(tuple(always)) if always else None
    groups = tuple((needs, _anchored_alternation(tuple(found))) for needs, found in rare.items())
    rare_characters = re.compile("|".join(map(re.escape, sorted(set().union(*rare)))) or "(?!)")

    def probe(text: str) -> bool:
        folded = screen(text)
        if not folded:
            return everything(text) is not None
        if word_stem(text, folded) in lines:
            return True
        match = starting.get(folded[0])
        if match is not None and match(text) is not None:
            return True
        if anything is not None and anything(text) is not None:
            return True
        if rare_characters.search(folded):
            for needs, match in groups:
                if any(character in folded for character in needs) and match(text) is not None:
                    return True
        return False

    probe.whole = everything  # type: ignore[attr-defined]  # the answer it gives, for tests
    return probe


def _uncommon(character: str) -> bool:
    """Whether few lines hold `character`, as far as the screen of whole-line rules is
    concerned: any character but a letter with case (Latin, Cyrillic, Greek: the letters
    of most lines). A rule that needs one of those letters is tried on every line; one
    that needs a separator, a digit, a kana or an ideograph only on lines holding it (the
    "(?=.{0,60}$).*?フォロー" rules scan every short line from each position)."""
    return not (character.isalpha() and character.lower() != character.upper())


@cache  # every table holds most of the same alternatives
def _piece_shape(piece: str) -> tuple[str | None, frozenset[str] | None, frozenset[str] | None]:
    """(`whole_line_text`, `first_letters`, `needed_characters`) of `^piece`."""
    pattern = _compile_any([piece], "^")
    return whole_line_text(pattern), first_letters(pattern), needed_characters(pattern)


@cache  # tables of neighbouring line lengths share most alternations
def _anchored_alternation(pieces: tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    return _compile_any(list(pieces), "^").match


def _compile_any(patterns: list[str], prefix: str) -> re.Pattern[str]:
    return re.compile(
        prefix + "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.IGNORECASE | re.UNICODE
    )


def classify_line(line: str) -> str | None:
    """Name of the noise family this line belongs to, or None when no rule claims it.

    `line` is one line or paragraph of plain text (markdown links already unwrapped).
    """
    found = match_line(line)
    return found.family if found else None


@lru_cache(maxsize=8192)  # asked of each line after the article, and again near posts
def opens_thread(line: str) -> bool:
    """Whether this line, on its own, announces a reader-comment thread."""
    text = _single_spaced(line)
    return _opens_thread(text, word_count(text))


@lru_cache(maxsize=8192)
def _opens_thread(text: str, words: int) -> bool:
    folded = screen(text)
    openers = min(words, _LONGEST_OPENER_GUARD + 1)
    if folded is not None and _any_opener_key(openers).search(folded) is None:
        # none of any opener's keys on the line (most lines): only the keyless are run
        return any(pattern.search(text) for pattern, keys in _thread_openers(openers) if not keys)
    for pattern, keys in _thread_openers(openers):
        if (folded is None or not keys or any(key in folded for key in keys)) and pattern.search(
            text
        ):
            return True
    return False


_LONGEST_OPENER_GUARD = max((r.max_words for r in THREAD_OPENERS if r.max_words), default=0)


@cache
def _any_opener_key(words: int) -> re.Pattern[str]:
    """Any key of the thread openers that admit lines of `words` words, in one pass."""
    keys = sorted({key for _pattern, keys in _thread_openers(words) for key in keys or ()})
    return re.compile("|".join(map(re.escape, keys)) or "(?!)")


@cache
def _thread_openers(words: int) -> tuple[tuple[re.Pattern[str], frozenset[str] | None], ...]:
    """The thread openers that admit lines of `words` words, each with its keys
    (`prefilter`): a line that holds none of them cannot match it, and is not searched."""
    return tuple(
        (rule.pattern, _rule_keys(rule.pattern))
        for rule in THREAD_OPENERS
        if rule.max_words is None or words <= rule.max_words
    )
