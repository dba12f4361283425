"""Majority vote of three body extractors over one page, paragraph by paragraph.

Why: every single extractor has its own failure classes on pages nobody tuned it for —
trafilatura's precision mode keeps only the first section of a long page or settles on a
sidebar; readability picks one container and misses text outside it; jusText keeps any
long-enough paragraph, wherever it is. Their mistakes rarely coincide, so a paragraph two
of them agree on is very likely article text, and one only a single extractor keeps is
very likely not (Bevendorff et al. 2023, "An Empirical Comparison of Web Content
Extraction Algorithms": majority-vote ensembles beat each member on eight data sets).

The voters see the same page tree, after reader comments and known widgets were detached
(so comment text cannot come back through a voter):
- `trafilatura`: trafilatura's precision mode (the paragraphs clean_html used to keep);
- `readability`: trafilatura's port of readability.js on a copy of the tree;
- `justext`: jusText's paragraph classifier (stop list from the page's language, the union
  of all its stop lists otherwise).

A paragraph's support from a voter is the share of its 4-token shingles the voter's output
contains (the same unit the body metric counts). A paragraph is kept when at least
`VoteSettings.min_votes` voters support it by at least `support`; output is in page order,
each text once. Fast path: when readability and trafilatura agree (each covers nearly all
of the other), trafilatura's paragraphs are returned as they are.

Status: experimental, off by default (HtmlOptions.vote). On the four development sets the
vote scored below clean_html's default path (trafilatura + readability second opinion):
page-weighted F1 0.926-0.929 against 0.936. When it is switched on, bench/html_bench.py
reports a leave-one-set-out choice of these settings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "VoteSettings",
    "ngrams",
    "paragraph_coverage",
    "paragraph_shingles",
    "shingle_coverage",
    "vote",
]

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class VoteSettings:
    min_votes: int = 2
    support: float = 0.5
    agree: float = 0.9  # fast path: both ways coverage between trafilatura and readability
    keep_base: bool = True  # only additions are voted on (measured better than full vote)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _shingles(tokens: list[str]) -> list[tuple[str, ...]]:
    if len(tokens) < 4:
        return [tuple(tokens)] if tokens else []
    return [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]


def ngrams(paragraphs: Sequence[str]) -> set[tuple[str, ...]]:
    """4-token shingles, plus the shorter runs a paragraph of under 4 tokens is made of (a
    heading of two words must be able to find support too)."""
    grams: set[tuple[str, ...]] = set()
    for paragraph in paragraphs:
        tokens = _tokens(paragraph)
        for n in (1, 2, 3, 4):
            grams.update(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def paragraph_coverage(paragraph: str, grams: set[tuple[str, ...]]) -> float:
    """The share of one paragraph's 4-token shingles found in `grams` (from `ngrams`)."""
    return shingle_coverage(paragraph_shingles(paragraph), grams)


def paragraph_shingles(paragraph: str) -> list[tuple[str, ...]]:
    """What `paragraph_coverage` counts, for a caller that asks of one paragraph often."""
    return _shingles(_tokens(paragraph))


def shingle_coverage(shingles: list[tuple[str, ...]], grams: set[tuple[str, ...]]) -> float:
    """`paragraph_coverage` of the paragraph whose `paragraph_shingles` are `shingles`."""
    return sum(s in grams for s in shingles) / len(shingles) if shingles else 1.0


def _coverage(paragraphs: Sequence[str], other: set[tuple[str, ...]]) -> float:
    shingles = [s for p in paragraphs for s in _shingles(_tokens(p))]
    return sum(s in other for s in shingles) / len(shingles) if shingles else 1.0


def vote(
    voters: dict[str, list[str]],
    page_tokens: list[str],
    settings: VoteSettings | None = None,
    base: str = "trafilatura",
) -> list[str]:
    """The paragraphs `settings.min_votes` of `voters` agree on, in page order."""
    settings = settings or VoteSettings()
    sets = {name: ngrams(paragraphs) for name, paragraphs in voters.items()}
    first = voters.get(base, [])
    if "readability" in voters and first:
        if (
            _coverage(first, sets["readability"]) >= settings.agree
            and _coverage(voters["readability"], sets[base]) >= settings.agree
        ):
            return list(first)
    # Page position of each shingle: output goes in reading order whatever voter found it.
    position: dict[tuple[str, ...], int] = {}
    for i, shingle in enumerate(_shingles(page_tokens)):
        position.setdefault(shingle, i)
    candidates: list[tuple[int, int, str, list[tuple[str, ...]]]] = []
    for rank, paragraphs in enumerate(voters.values()):
        for number, paragraph in enumerate(paragraphs):
            shingles = _shingles(_tokens(paragraph))
            if not shingles:
                continue
            votes = sum(
                sum(s in other for s in shingles) / len(shingles) >= settings.support
                for other in sets.values()
            )
            if rank == 0 and settings.keep_base:
                pass  # the base voter's own paragraphs are not put to the vote
            elif votes < settings.min_votes:
                continue
            where = min((position[s] for s in shingles if s in position), default=None)
            if where is None:  # text the page does not have as such: keep voter order
                where = candidates[-1][0] if candidates else 0
            candidates.append((where, rank * 100000 + number, paragraph, shingles))
    candidates.sort(key=lambda c: (c[0], c[1]))
    kept: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for _, _, paragraph, shingles in candidates:
        new = sum(s not in seen for s in shingles)
        if new / len(shingles) < 0.5:  # another voter's copy of text already kept
            continue
        seen.update(shingles)
        kept.append(paragraph)
    return kept
