"""A cheap necessary condition for a rule to match a line: letters it cannot match without.

Most rules need some literal text whatever else they allow ("\\bnewsletters?\\b" needs
"newsletter", "(?:use|accept) cookies" needs "cookies", or "use" / "accept" and "cookies").
Reading, off each rule's parsed pattern, one three-letter piece of such a literal per
way of matching gives a set of keys; a line that holds none of a rule group's keys cannot
match it, and its regexes are not run. Python's `re` cannot skip ahead on a
case-insensitive pattern that opens with `\\b`, so without this every family's
alternation is tried at every position of every line: most of `clean_text`'s time.

Only a relaxation is ever made (a key is a piece of what the rule needs), so the
answer of the rules is unchanged; where no literal can be read (classes only, flags
inside) the rule has no keys and is always run. The parse uses the standard library's
`re._parser`; if that ever fails, every rule is simply always run.
"""

from __future__ import annotations

import re
from functools import lru_cache

KEY = 3  # letters per key
_MAX_KEYS = 200  # a pattern needing more alternative keys than this is always run


def _fold_table() -> dict[int, int]:
    """Characters `re.IGNORECASE` treats as equal beyond simple lowercasing ("ı" / "i",
    "ſ" / "s", "ς" / "σ"), each mapped to one word character of its class."""
    try:
        from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - other Pythons: only simple lowercasing
        return {}
    table: dict[int, int] = {}
    for low, extras in _EXTRA_CASES.items():
        members = (low, *extras)
        words = [m for m in members if chr(m).isalnum()]
        rep = min(words or members)
        for m in members:
            if m != rep:
                table[m] = rep
    return table


_FOLD = _fold_table()
# Characters whose case-insensitive match could not be seen through `fold`: the dotted
# capital I lowercases to two characters, and a combining iota folds onto a letter.
_UNSAFE = re.compile("[\u0130\u0345]")


# Whether `_FOLD` maps some ASCII character (it does not: each class is mapped onto its
# lowest word character): if not, lowercased ASCII text is already folded.
_FOLDS_ASCII = any(code < 128 for code in _FOLD)


def fold(text: str) -> str:
    """Lowercase as `re.IGNORECASE` compares, one character for one."""
    lowered = text.lower()
    if lowered.isascii() and not _FOLDS_ASCII:
        return lowered  # str.translate looks every character up: most of this call's cost
    return lowered.translate(_FOLD)


@lru_cache(maxsize=1 << 14)  # the rule tables and the thread openers read the same line
def screen(text: str) -> str | None:
    """The folded line that `present_keys` reads, or None when it cannot be screened."""
    if _UNSAFE.search(text):
        return None
    folded = fold(text)
    return folded if len(folded) == len(text) else None


def line_keys(text: str) -> frozenset[str] | None:
    """Every three-letter piece of the folded line, or None when it cannot be screened
    (the definition `present_keys` is checked against)."""
    folded = screen(text)
    if folded is None:
        return None
    return frozenset([folded[i : i + KEY] for i in range(len(folded) - KEY + 1)])


# Up to this many keys, each is looked for in the line (a substring search, in C); with
# more, the line's pieces are cut and looked up, which costs the same for any key count.
_FEW_KEYS = 64


def present_keys(folded: str, keys: frozenset[str]) -> set[str]:
    """`line_keys(text) & keys` for `folded = screen(text)` (not None): the keys of a rule
    table that the line holds, without first collecting all of its pieces into a set (a
    long paragraph has hundreds of them, a table few keys)."""
    if len(keys) <= _FEW_KEYS:
        return {key for key in keys if key in folded}  # every key is KEY letters long
    pieces = zip(*(folded[start:] for start in range(KEY)), strict=False)
    return keys.intersection(map("".join, pieces))


def pattern_keys(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Keys at least one of which every match of `pattern` contains, or None when that
    cannot be read off the pattern (then the pattern is always run)."""
    if not pattern.flags & re.IGNORECASE:
        return None  # keys are folded: only right for case-insensitive patterns
    try:
        from re import _constants as c
        from re import _parser

        keys = _needs(list(_parser.parse(pattern.pattern, pattern.flags).data), c)
    except (ImportError, AttributeError, TypeError, ValueError, RecursionError):
        return None
    if keys is None or len(keys) > _MAX_KEYS:
        return None
    return keys


def anchored_at_start(pattern: re.Pattern[str]) -> bool:
    """Whether every match of `pattern` starts at the start of the text (`^` without
    MULTILINE, or `\\A`, opening every alternative): a search then costs one attempt,
    whatever the length of the line, and screening it by keys gains nothing. False when
    unsure (only a question of speed: the pattern is then screened)."""
    try:
        from re import _constants as c
        from re import _parser

        return _starts_anchored(list(_parser.parse(pattern.pattern, pattern.flags).data), c)
    except (ImportError, AttributeError, TypeError, ValueError, RecursionError):
        return False


def _starts_anchored(items: list, c) -> bool:  # noqa: ANN001
    if not items:
        return False
    op, av = items[0]
    if op is c.AT:
        return av in (c.AT_BEGINNING, c.AT_BEGINNING_STRING)
    if op is c.SUBPATTERN:
        return _starts_anchored(list(av[3].data), c)
    if op is c.BRANCH:
        return all(_starts_anchored(list(alternative.data), c) for alternative in av[1])
    return False


# How often a letter turns up in running text (Latin-script languages; other scripts and
# digits count as rare): a key of rare letters is on few lines, so its rule rarely runs.
_COMMON = {**dict.fromkeys("etaoinsrhl", 3), **dict.fromkeys("dcumfpgwyb", 2)}


def _cost(key: str) -> int:
    return sum(_COMMON.get(ch, 1) if ch.isalnum() else 4 for ch in key)


def _needs(items: list, c) -> frozenset[str] | None:  # noqa: ANN001
    """A key set one of which every match of the sequence `items` contains: the rarest
    three letters of one of its literal runs, or a key of every alternative of a group
    in it, whichever is rarer."""
    found = _needs_with_cost(items, c)
    return found[0] if found else None


def _needs_with_cost(items: list, c) -> tuple[frozenset[str], int] | None:  # noqa: ANN001
    best: tuple[frozenset[str], int] | None = None
    run = ""

    def offer(found: tuple[frozenset[str], int] | None) -> None:
        nonlocal best
        if found is not None and (best is None or found[1] < best[1]):
            best = found

    for op, av in [*items, (None, None)]:
        if op is c.LITERAL and len(letter := fold(chr(av))) == 1:
            run += letter
            continue
        if len(run) >= KEY:
            key = min((run[i : i + KEY] for i in range(len(run) - KEY + 1)), key=_cost)
            offer((frozenset([key]), _cost(key)))
        run = ""
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if not (add_flags or del_flags):
                offer(_needs_with_cost(list(sub.data), c))
        elif op is c.BRANCH:
            alternatives = [_needs_with_cost(list(alt.data), c) for alt in av[1]]
            if all(a is not None for a in alternatives):
                offer(
                    (
                        frozenset().union(*(a[0] for a in alternatives if a)),
                        sum(a[1] for a in alternatives if a),
                    )
                )
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            offer(_needs_with_cost(list(av[2].data), c))
    return best
