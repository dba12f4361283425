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
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

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


def holds_none(text: str, runs: Iterable[str]) -> bool:
    """Whether the line surely holds none of `runs` (folded literal runs, one of which
    every match of a pattern holds: `needed_runs`, `pattern_key_runs`), so the pattern
    need not be searched; False when the line cannot be screened."""
    folded = screen(text)
    return folded is not None and not any(run in folded for run in runs)


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
    # KEY letters a piece, spelled out (a generator of KEY slices costs more per line)
    pieces = zip(folded, folded[1:], folded[2:], strict=False)
    return keys.intersection(map("".join, pieces))


_Read = TypeVar("_Read")


def _read(pattern: re.Pattern[str], reader: Callable[[list, Any], _Read]) -> _Read | None:
    """`reader(items, constants)` on `pattern` as the standard library's private
    `re._parser` parses it; None when that parser is missing or changed, or the reader
    cannot follow the pattern (then the caller knows nothing about the pattern)."""
    try:
        from re import _constants as c
        from re import _parser

        return reader(list(_parser.parse(pattern.pattern, pattern.flags).data), c)
    except (ImportError, AttributeError, TypeError, ValueError, RecursionError):
        return None


def pattern_keys(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Keys at least one of which every match of `pattern` contains, or None when that
    cannot be read off the pattern (then the pattern is always run)."""
    found = pattern_key_runs(pattern)
    return None if found is None else frozenset(key for key, _run in found)


def pattern_key_runs(pattern: re.Pattern[str]) -> frozenset[tuple[str, str]] | None:
    """`pattern_keys`, each key with the literal run it was cut from ("wsl" with
    "newsletter"): every match contains, for one of the pairs, both. A line holding a
    key is then asked for its run (a substring test) before the pattern is run: three
    letters are on many lines that hold none of the whole words."""
    if not pattern.flags & re.IGNORECASE:
        return None  # keys are folded: only right for case-insensitive patterns
    found = _read(pattern, _needs)
    if found is None or len({key for key, _run in found}) > _MAX_KEYS:
        return None
    return found


def anchored_at_start(pattern: re.Pattern[str]) -> bool:
    """Whether every match of `pattern` starts at the start of the text (`^` without
    MULTILINE, or `\\A`, opening every alternative): a search then costs one attempt,
    whatever the length of the line, and screening it by keys gains nothing. False when
    unsure (only a question of speed: the pattern is then screened)."""
    return bool(_read(pattern, _starts_anchored))


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


def _needs(items: list, c) -> frozenset[tuple[str, str]] | None:  # noqa: ANN001
    """A key set one of which every match of the sequence `items` contains: the rarest
    three letters of one of its literal runs, or a key of every alternative of a group
    in it, whichever is rarer; each key with the run it was cut from."""
    found = _needs_with_cost(items, c)
    return found[0] if found else None


def _needs_with_cost(  # noqa: ANN001
    items: list, c, size: int = KEY, cost: Callable[[str], int] = _cost
) -> tuple[frozenset[tuple[str, str]], int] | None:
    """(pairs of a key and its run, cost) for `_needs`; `size` letters a key."""
    best: tuple[frozenset[tuple[str, str]], int] | None = None
    run = ""

    def offer(found: tuple[frozenset[tuple[str, str]], int] | None) -> None:
        nonlocal best
        if found is not None and (best is None or found[1] < best[1]):
            best = found

    for op, av in [*items, (None, None)]:
        if op is c.LITERAL and len(letter := fold(chr(av))) == 1:
            run += letter
            continue
        if len(run) >= size:
            key = min((run[i : i + size] for i in range(len(run) - size + 1)), key=cost)
            offer((frozenset([(key, run)]), cost(key)))
        run = ""
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if not (add_flags or del_flags):
                offer(_needs_with_cost(list(sub.data), c, size, cost))
        elif op is c.BRANCH:
            alternatives = [_needs_with_cost(list(alt.data), c, size, cost) for alt in av[1]]
            if all(a is not None for a in alternatives):
                offer(
                    (
                        frozenset().union(*(a[0] for a in alternatives if a)),
                        sum(a[1] for a in alternatives if a),
                    )
                )
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            offer(_needs_with_cost(list(av[2].data), c, size, cost))
        elif op is c.IN and size == 1 and (members := _class_letters(av, c)) is not None:
            offer((frozenset((m, m) for m in members[0]), sum(map(cost, members[0]))))
    return best


# --- first letters: which rules of a whole-line alternation can match a given line -------


def alternatives(source: str) -> list[str]:
    """Pieces of the regular expression `source` that, each tried at the same place,
    match there exactly when `source` does: its top-level alternatives, with groups
    that open an alternative unwrapped and spread over what follows them
    ("(?:a|b)\\W*$" gives "a\\W*$" and "b\\W*$"). A piece it cannot take apart is kept
    whole, so this only ever splits."""
    pieces = []
    for alternative in _split_top_level(source):
        end = _group_end(alternative)
        if end is None or (end + 1 < len(alternative) and alternative[end + 1] in "*+?{"):
            pieces.append(alternative)
            continue
        rest = alternative[end + 1 :]
        for inner in alternatives(alternative[3:end]):
            pieces.extend(alternatives(inner + rest) if rest else [inner])
    return pieces


def _split_top_level(source: str) -> list[str]:
    """`source` cut at its top-level `|` (not inside a group or a character class)."""
    pieces, depth, start = [], 0, 0
    for i, ch in _syntax(source):
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            pieces.append(source[start:i])
            start = i + 1
    pieces.append(source[start:])
    return pieces


def _group_end(source: str) -> int | None:
    """Index of the ")" closing the non-capturing group `source` opens with, if it does."""
    if not source.startswith("(?:"):
        return None
    depth = 0
    for i, ch in _syntax(source):
        depth += (ch == "(") - (ch == ")")
        if ch == ")" and depth == 0:
            return i
    return None


def _syntax(source: str) -> Iterator[tuple[int, str]]:
    """(index, character) of the characters of the pattern `source` that are syntax:
    neither escaped nor inside a character class."""
    i, in_class = 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if source[i + 1 : i + 2] == "^":
                i += 1
            if source[i + 1 : i + 2] == "]":  # a "]" first in a class is a literal
                i += 1
        else:
            yield i, ch
        i += 1


# Character classes with more members than this count as "any letter".
_MAX_CLASS = 256


def first_letters(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The folded characters (`fold`) a match of `pattern` can start with, or None when
    that cannot be read off it (a class such as `\\w`, or a match that can be empty):
    a line whose first folded character is not among them does not match at its start."""
    if not pattern.flags & re.IGNORECASE:
        return None  # the letters are folded: only right for case-insensitive patterns
    found = _read(pattern, _first)
    if found is None or found[1]:
        return None
    return found[0]


def _first(items: list, c) -> tuple[frozenset[str], bool] | None:  # noqa: ANN001
    """(first characters, whether the sequence can match empty), None when unknown."""
    letters: set[str] = set()
    for op, av in items:
        found = _first_of_item(op, av, c)
        if found is None:
            return None
        letters |= found[0]
        if not found[1]:
            return frozenset(letters), False
    return frozenset(letters), True


def _first_of_item(op, av, c) -> tuple[frozenset[str], bool] | None:  # noqa: ANN001
    if op is c.LITERAL:
        letter = fold(chr(av))
        return (frozenset([letter]), False) if len(letter) == 1 else None
    if op is c.IN:
        return _class_letters(av, c)
    if op is c.AT or op in (c.ASSERT, c.ASSERT_NOT):
        return frozenset(), True  # takes no character
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _first(list(sub.data), c)
    if op is c.BRANCH:
        letters: set[str] = set()
        empty = False
        for alternative in av[1]:
            found = _first(list(alternative.data), c)
            if found is None:
                return None
            letters |= found[0]
            empty = empty or found[1]
        return frozenset(letters), empty
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        found = _first(list(sub.data), c)
        if found is None:
            return None
        return found[0], found[1] or low == 0
    return None


def _class_letters(items: list, c) -> tuple[frozenset[str], bool] | None:  # noqa: ANN001
    letters: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            codes: range | tuple[int, ...] = (av,)
        elif op is c.RANGE and av[1] - av[0] < _MAX_CLASS:
            codes = range(av[0], av[1] + 1)
        else:
            return None  # negated, a category (\w, \d, \s), or a wide range
        for code in codes:
            letter = fold(chr(code))
            if len(letter) != 1:
                return None
            letters.add(letter)
    return frozenset(letters), False


def _character_cost(character: str) -> int:
    return 8 if character.isspace() else _cost(character) if character.isalnum() else 1


def needed_characters(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Folded characters at least one of which every match of `pattern` contains (the
    "/" of "photographer / agency"), or None when that cannot be read off the pattern:
    a line holding none of them does not match it. One letter, not three: for rules
    whose only literal text is a separator or a symbol."""
    if not pattern.flags & re.IGNORECASE:
        return None
    found = _read(pattern, lambda items, c: _needs_with_cost(items, c, 1, _character_cost))
    characters = frozenset(key for key, _run in found[0]) if found else frozenset()
    return characters if found and len(characters) <= _MAX_KEYS else None


def needed_runs(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """`needed_characters`, each as the whole literal run it was read from ("©", "(c)",
    "copyright"): every match of `pattern` contains one of the runs (folded), so a line
    holding none of them is not searched. None when that cannot be read off it."""
    if not pattern.flags & re.IGNORECASE:
        return None
    found = _read(pattern, lambda items, c: _needs_with_cost(items, c, 1, _character_cost))
    runs = frozenset(run for _key, run in found[0]) if found else frozenset()
    return runs if runs and len(runs) <= _MAX_KEYS else None


def whole_line_text(pattern: re.Pattern[str]) -> str | None:
    """The folded text `t` when `pattern` is "^t\\W*$" (plain letters, then nothing but
    non-word characters to the end: "menu", "share:"), else None: a line then matches it at
    its start exactly when, cut of its trailing non-word characters and folded, it is `t`
    (`word_stem`)."""
    if not pattern.flags & re.IGNORECASE:
        return None
    parsed = _read(pattern, lambda items, c: (items, c))
    if parsed is None:
        return None
    items, c = parsed
    if items and items[0] == (c.AT, c.AT_BEGINNING):
        items = items[1:]
    if len(items) == 1 and items[0][0] is c.SUBPATTERN and not any(items[0][1][1:3]):
        items = list(items[0][1][3].data)
    if len(items) < 3 or items[-1] != (c.AT, c.AT_END):
        return None
    op, av = items[-2]
    if op is not c.MAX_REPEAT or av[:2] != (0, c.MAXREPEAT):
        return None
    if list(av[2].data) != [(c.IN, [(c.CATEGORY, c.CATEGORY_NOT_WORD)])]:
        return None
    if any(op is not c.LITERAL for op, _av in items[:-2]):
        return None
    text = fold("".join(chr(av) for _op, av in items[:-2]))
    if len(text) != len(items) - 2 or not _is_word(text[-1]):
        return None
    return text


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"  # what `\w` means in a str pattern


def word_stem(text: str, folded: str) -> str:
    """`folded` (`screen(text)`) without the folded form of `text`'s trailing non-word
    characters."""
    end = len(text)
    while end and not _is_word(text[end - 1]):
        end -= 1
    return folded[:end]
