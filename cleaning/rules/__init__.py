"""Noise rule families, as data: the shared rule set of `clean_text` and `clean_html`.

Each family is a named tuple of `Rule`s (a regular expression plus an optional length
guard). A rule says what a *whole line or paragraph* of page chrome looks like; it never
names one site. The guards keep a keyword family from eating article sentences that
merely mention the word ("share", "cookie", "subscribe"): chrome is short, prose is long.

Public API:
    classify_line(line) -> family name or None
    FAMILIES            -> {family: (Rule, ...)}, ordered specific -> general: the English
                           tables (tables.py) plus every language file (languages.py)
    LANGUAGES           -> codes of the language files loaded
    COMMENT_ZONE        -> families that, met after the article, open the comment area
    opens_thread(line)  -> whether a line on its own announces a comment thread
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from cleaning.rules.languages import LANGUAGES, language_rules
from cleaning.rules.tables import FAMILIES as ENGLISH_FAMILIES
from cleaning.rules.tables import THREAD_OPENERS, Rule

__all__ = [
    "COMMENT_ZONE",
    "FAMILIES",
    "LANGUAGES",
    "Rule",
    "THREAD_OPENERS",
    "RuleMatch",
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
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class RuleMatch:
    family: str
    rule: Rule


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def match_line(line: str) -> RuleMatch | None:
    """The first rule (families in table order) that claims this line, if any."""
    text = _SPACE.sub(" ", line).strip()
    if not text:
        return None
    words = word_count(text)
    return _match(text, words)


@lru_cache(maxsize=8192)  # menus and widgets repeat within a page and across a site
def _match(text: str, words: int) -> RuleMatch | None:
    for family, probes, rules in _families_for_length(min(words, _LONGEST_GUARD + 1)):
        if any(probe(text) for probe in probes):
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


@cache
def _families_for_length(
    words: int,
) -> tuple[tuple[str, tuple[_Probe, ...], tuple[Rule, ...]], ...]:
    """Per family (table order), the rules whose length guards admit a line of `words`
    words, merged into at most two probes: one alternation of the whole-line rules
    (`^...`, tried at the start only) and one of the others. One regex call per family
    instead of one per rule: a page has thousands of lines and the tables ~200 rules."""
    out = []
    for family, rules in FAMILIES.items():
        admitted = tuple(
            rule
            for rule in rules
            if (rule.max_words is None or words <= rule.max_words)
            and (rule.min_words is None or words >= rule.min_words)
        )
        if admitted:
            out.append((family, _merged_probes(admitted), admitted))
    return tuple(out)


@cache
def _merged_probes(rules: tuple[Rule, ...]) -> tuple[_Probe, ...]:
    anchored = [r.pattern.pattern[1:] for r in rules if r.pattern.pattern.startswith("^")]
    floating = [r.pattern.pattern for r in rules if not r.pattern.pattern.startswith("^")]
    probes: list[_Probe] = []
    if anchored:
        probes.append(_compile_any(anchored, "^").match)
    if floating:
        probes.append(_compile_any(floating, "").search)
    return tuple(probes)


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


def opens_thread(line: str) -> bool:
    """Whether this line, on its own, announces a reader-comment thread."""
    text = _SPACE.sub(" ", line).strip()
    words = word_count(text)
    return any(
        (rule.max_words is None or words <= rule.max_words) and rule.pattern.search(text)
        for rule in THREAD_OPENERS
    )
