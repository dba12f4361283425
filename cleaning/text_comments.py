"""Reader comments from the comment area of a flattened page.

A flattened thread is a run of records of the same line shape, whatever the language:

    name line        short, name-like ("Margaret Hill", "leseratte77", "Jane says:")
    [reply marker]   "→ Ana", "in reply to Ana", "En réponse à Ana"
    [stamp]          a date / time / relative time, alone or on the name line
    text lines       the comment
    [actions]        Reply / Antworten / Ответить / 返信, a bare vote count, `•`, `Share ›`

Every line gets a shape (`_shape`); a record starts at a *signed* header (a name line
whose stamp follows within a few chrome lines, a "name • stamp" line, or "name says:").
When a thread shows at least two signed headers only those start records, so a short
comment ("Danke!") is never taken for a name; a thread with no stamps at all falls back
to name lines that follow some text (as in seed 002). Nesting comes from reply markers,
quote headers ("Ana wrote:" in a quote), "@name", and quote/list depth or indentation.
The helpful words are data (`cleaning.comment_signals`); the shapes need none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from cleaning.comment_signals import (
    dated,
    find_relative_time,
    is_action,
    is_by_word,
    is_compact_time,
    is_count,
    is_date_like,
    is_reply_link,
    is_reply_opener,
    is_says_only,
    key,
    name_replying,
    reply_by,
    reply_target,
    strip_by,
    strip_says,
)
from cleaning.text_lines import Line
from cleaning.text_meta import TIME_AGO, find_date
from cleaning.types import Comment

__all__ = ["carries_text", "looks_like_author", "parse_comments", "post_start", "signed_header"]

_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")
_SEPARATORS = re.compile(r"\s*(?:[•·|»«—–]|\s-\s|\s@\s)\s*")
# Field labels of a byline/date block are not names.
_LABEL = re.compile(
    r"^(?:published|updated|posted|last updated|modified|date|by|author|source|photo|"
    r"image|credit|share|tags?|category|filed under|re|aw|posts?|beiträge|messages?)\b",
    re.IGNORECASE,
)
_LEADING_CHROME = re.compile(r"^(?:avatar|image|photo|profile picture)\s+", re.IGNORECASE)
# A month's name: letters, never Chinese/Japanese/Korean ones, whose dates write the month
# as a number ("3月"): "1. ひろし 2024" is a numbered name and a year, not "2. März 2024".
_MONTH_WORD = r"(?:(?![\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])[^\W\d_]){3,12}"
# A date/time stamp somewhere in a header line ("Claire Dubois 9 points 2 mars 2024 à
# 10:15", "Ольга » 2 марта 2024 в 10:15"): the date and what hangs on it. Any short word
# may join the date to its time ("at", "um", "klo", "pukul", "la"): a connector is never
# a name, in any language.
_STAMP_IN_LINE = re.compile(
    # "Bergziege12. Februar 2012": two links flattened with nothing between them glue a
    # name to a stamp that starts with a digit
    r"(?:(?<!\w)(?:(?:on|le|am|el|il|em|op|в|dne)\s+)?|(?<=[^\W\d_])(?=\d))"
    r"(?:\d{1,4}[./-]\s?\d{1,2}[./-]\s?\d{2,4}|\d{1,2}\.?\s+(?:de\s+)?"
    + _MONTH_WORD
    + r"\.?,?\s+(?:de\s+)?\d{4}"
    r"|" + _MONTH_WORD + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}"
    # "2024年3月2日(土)", "2024년 3월 2일": year, month and day each followed by its sign
    r"|\d{2,4}\s?[年년]\s?\d{1,2}\s?[月월]\s?\d{1,2}\s?[日일](?:\s?[（(][^\W\d_]{1,3}[)）])?)"
    r"(?:,?\s*(?:a las|[^\W\d_]{1,6}\.?)?\s*\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?)?"
    r"(?:\s*uhr)?"
    # "09:14 pm (UTC)", "10:15 CET", "GMT+3": a time zone is part of the stamp
    r"(?:\s*\(?(?:UTC|GMT|CES?T|EES?T|MSK|[ECMP][SD]T|BST|JST|KST)(?:\s?[+-]\d{1,2}(?::?\d{2})?)?\)?)?",
    re.IGNORECASE | re.UNICODE,
)
_EMPTY_EMPHASIS = re.compile(r"(?:^|(?<=\s))(?:__|\*\*)(?=\S|$)")
_ARROW_STAMP = re.compile(
    r"^[→↪⤷↳▶►]\s*(?P<name>\S.{0,39}?)\s*(?P<stamp>"
    + _STAMP_IN_LINE.pattern.replace("(?<!\\w)(?:(?:on|le|am|el|il|em|op|в|dne)\\s+)?", "")
    + r")$",
    re.IGNORECASE | re.UNICODE,
)
# "3 timmar sedan", "45 minuter sedan", "2 órája", "il y a 3 jours" aside: a number and a
# unit word or two on a line of its own, as relative times are printed in any language.
_NUMBER_AND_UNIT = re.compile(
    r"^(?:\d{1,3}\s+[^\W\d_]{1,12}(?:\s+[^\W\d_]{1,10})?"
    r"|[^\W\d_]{1,10}\s+\d{1,3}\s+[^\W\d_]{1,12})$",
    re.UNICODE,
)
_ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")  # html2text's <abbr title> footnotes
_INITIAL = re.compile(r"(?:^|\s)[^\W\d_]\.$")  # "Alasdair M.", "R. Polglase" ends fine
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"”’»)]?$")
# "vecina_del_ensancheOP•hace 4 h": a capitalised badge (OP, MOD) glued by a flattening to
# a name that ends in lowercase, a digit or "_"; on a line of its own see _BADGE
_GLUED_BADGE = re.compile(r"(?<=[a-z0-9_])[A-Z]{2,5}$")


def looks_like_author(line: Line, stops: frozenset[str], loose: bool = False) -> bool:
    """A short name-like line: at most five words, no sentence end, no date, not a field
    label, no lowercase function words ("Improve the Discussion" is a heading)."""
    return _looks_like_author(line.text, line.bullet, bool(line.depth), line.heading, stops, loose)


@lru_cache(maxsize=1 << 16)  # asked of each line near a header candidate, strict and loose
def _looks_like_author(
    raw: str, bullet: bool, nested: bool, heading: bool, stops: frozenset[str], loose: bool
) -> bool:
    if (heading and not loose) or _too_long_for_a_name(raw):
        return False  # (a heading is asked first: it needs no name part worked out)
    text, says = _author_text(raw)
    # Numbered threads put "1. Jane says:" on a list item, and some widgets print names as
    # headings: either needs "says" or (loose) a stamp right below to count as a name.
    if not loose and bullet and not says and not nested:
        return False
    if not text or (heading and not loose) or len(text) > _NAME_CHARS:
        return False
    words = _WORD.findall(text)
    if not 1 <= len(words) <= 5 or (_SENTENCE_END.search(text) and not _INITIAL.search(text)):
        return False
    if (
        text[:1].isdigit()
        or (_DIGIT.search(text) and find_date(text))  # every date it finds has a year
        or TIME_AGO.match(text)
        or is_date_like(text)
    ):
        return False
    if is_action(text) or _LABEL.match(text) or (raw.rstrip().endswith(":") and not says):
        return False
    if text[:1] in "|/•·-–—(>→":
        return False
    if loose:  # a stamp right below vouches for it ("Команда библиотеки", "Team der Redaktion")
        return True
    # "anna" alone may be a user name, but not "bis" or "the": a lone function word
    lower_stops = [w for w in words if w.islower() and w in stops]
    return not lower_stops if len(words) > 1 else not (lower_stops and len(words[0]) <= 3)


_NAME_CHARS = 40
# What `_bare_name` may take off a line besides "by": "profile picture" and three action
# words in front, a two-word "wrote on" at the end.
_NAME_CUT_FRONT = 5
_NAME_CUT_BACK = 2


def _too_long_for_a_name(raw: str) -> bool:
    """Whether the name part of `raw` (`_author_text`) is longer than a name whatever
    chrome words `_bare_name` finds around it: the words it keeps, between the first
    five and the last two, already are. Asked first, as most lines asked about are
    prose, and looking for chrome words in them costs most of their shape."""
    if len(raw) <= _NAME_CHARS:
        # "says" and "by" are only cut off, so the kept words, one space apart, are no
        # longer than the line: a short line is never too long (most lines asked about)
        return False
    words = strip_by(_says_split(raw)[0]).split()
    return len(" ".join(words[_NAME_CUT_FRONT : len(words) - _NAME_CUT_BACK])) > _NAME_CHARS


@lru_cache(maxsize=1 << 16)  # the strict and the loose question strip the same line
def _author_text(raw: str) -> tuple[str, bool]:
    """The name part of a line (says, by, avatar and action words stripped), and whether
    it said "says"."""
    text, says = _says_split(raw)
    return _bare_name(text), says


# A name line's shape asks `looks_like_author` and then names the line: the same "says",
# "by" and action words are stripped by both, once.
_says_split = lru_cache(maxsize=1 << 16)(strip_says)


@lru_cache(maxsize=1 << 16)
def _bare_name(text: str) -> str:
    """`text` (its "says" already taken off) without "by", avatar and action words."""
    return _strip_trailing_says(_strip_leading_chrome(strip_by(text)))


# --- line shapes ----------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Shape:
    kind: str  # "name", "header" (name + stamp), "stamp", "reply", "action", "quote", "text"
    name: str | None = None
    stamp: str | None = None
    strong: bool = False  # "name says:" is a signed header on its own
    loose: bool = False  # name-shaped but for lowercase function words: needs a stamp below
    reply: str | None = None  # a parent named on the header line itself
    weak: bool = False  # a stamp by shape alone ("3 timmar sedan"), no date or word list
    prose: bool = False  # text that reads as a post: a sentence end, or eight words
    tail: str | None = None  # the post's text in the header's next table cell


def _shape(line: Line, family: str | None, stops: frozenset[str]) -> _Shape:
    """What a line is in a thread. Callers ask about each line once per window around
    every candidate header (up to thirteen times a page), so shapes are cached by what
    they depend on; callers replace shapes in their lists, never change one."""
    return _shape_of(line.text, line.depth, line.bullet, line.heading, family, stops)


@lru_cache(maxsize=1 << 16)
def _shape_of(
    text: str, depth: int, bullet: bool, heading: bool, family: str | None, stops: frozenset[str]
) -> _Shape:
    raw = text  # `looks_like_author` of the line as it is: its fields, without a Line
    text = _EMPTY_EMPHASIS.sub("", raw).strip()
    if "→" in text and (split := _arrow_header(text, stops)) is not None:
        return split
    if (parent := reply_by(text)) is not None:
        return _Shape("reply", name=parent)  # "In reply to <subject> by <name>"
    if is_reply_opener(text) or _ABBREVIATION.match(text):
        return _Shape("reply-open" if is_reply_opener(text) else "action")
    if is_says_only(text) or is_by_word(text):
        return _Shape("action")  # "wrote on" / "Posted by:" around a name and its stamp
    if (arrowed := _ARROW_STAMP.match(text)) is not None:
        # "▶ tom_readsMarch 2, 2024 at 1:05 pm": a reply marker glued to the stamp
        return _Shape("reply", name=arrowed.group("name"), stamp=arrowed.group("stamp"))
    target = reply_target(text)
    if target is not None and len(target.split()) <= 5:
        return _Shape("reply", name=target)
    if depth and not bullet and (quoted := _quote_header(text)):
        return _Shape("quote", name=quoted)
    if "|" in text and (row := _table_row_header(text, stops)) is not None:
        return row
    bare = _SEPARATORS.sub(" ", text).strip()
    if bare and is_date_like(bare):
        found = _STAMP_IN_LINE.search(bare) or _time_ago(bare)
        rest = (bare[: found.start()] + " " + bare[found.end() :]).split() if found else None
        if (rest is not None and all(is_count(w) or is_action(w) for w in rest)) or (
            len(bare.split()) <= 8 and not _name_left(bare)
        ):  # "Responder · 7 · 2 de marzo de 2024 a las 10:15": a footer stamp
            return _Shape("stamp", stamp=found.group().strip() if found else bare)
    if (
        family == "comment-chrome"
        and not is_action(text)
        and _looks_like_author(raw, bullet, bool(depth), heading, stops, False)
    ):
        return _Shape("name", name=_clean_name(text), loose=True)  # "Guest": a stamp decides
    if family is not None or is_action(text):
        return _Shape("action")
    if _NUMBER_AND_UNIT.match(bare) or is_compact_time(bare):
        return _Shape("stamp", stamp=bare, weak=True)  # "3 timmar sedan"; or "3 comentarii"
    header = _header(text, stops)
    if header is not None and header.name != text:
        return header  # "Night Nurse • 2 years ago": a name that carries its stamp
    if (replying := name_replying(text)) is not None:
        name, target, rest = _clean_name(replying[0]), replying[1], replying[2]
        stamp = _STAMP_IN_LINE.search(rest) or _time_ago(rest) if rest else None
        if (not rest or stamp) and looks_like_author(
            Line(text=name, raw=name, index=0), stops, loose=True
        ):  # "Hélène a répondu à un commentaire de Paul M. | 14 mai 2012 12h20"
            if stamp is not None:
                return _Shape("header", name=name, stamp=stamp.group().strip(), reply=target)
            return _Shape("name", name=name, reply=target)
    if _looks_like_author(raw, bullet, bool(depth), heading, stops, False):
        name, says = _says_split(text)
        return _Shape("name", name=_clean_name(name), strong=says)
    if header is not None:
        return header
    if (said := _name_before_unknown_says(text, stops)) is not None:
        return _Shape("name", name=said, loose=True)
    if _looks_like_author(raw, bullet, bool(depth), heading, stops, True):
        name, says = _says_split(text)
        return _Shape("name", name=_clean_name(name), loose=True, strong=says)
    prose = bool(_SENTENCE_END.search(text)) or len(text.split()) >= 8
    return _Shape("text", prose=prose)


# "---|---" under a markdown table's first row, glued by the flattening to the next row
_TABLE_RULE = re.compile(r"^(?:-{3,}\s*\|\s*)+-{3,}\s*")


def _table_row_header(text: str, stops: frozenset[str]) -> _Shape | None:
    """ "Bill Carter March 2, 2004| Great site! …": a guestbook table flattened to markdown
    puts the signature in one cell and the post's text in the next, on one line."""
    left, _, right = _TABLE_RULE.sub("", text).partition("|")
    right = right.strip().strip("|").strip()
    if not right or not (_SENTENCE_END.search(right) or len(right.split()) >= 8):
        return None
    header = _header(left.strip(), stops)
    return replace(header, tail=right) if header is not None else None


def _name_before_unknown_says(text: str, stops: frozenset[str]) -> str | None:
    """ "Budi Santoso berkata:", "Ion Popescu spune:": a name, then one lowercase word and
    a colon, in a language whose "says" no word list has. Loose: only a stamp right below
    makes it a signed header ("Bagikan ini:" over a share bar stays what it is)."""
    if not text.endswith(":"):
        return None
    words = text[:-1].split()
    if not 2 <= len(words) <= 5 or not words[-1].isalpha() or not words[-1].islower():
        return None
    name = " ".join(words[:-1])
    if len(words) > 2 and not all(w[:1].isupper() for w in words[:-1]):
        return None  # "I commenti saranno accettati:" is a sentence, not a name
    probe = Line(text=name, raw=name, index=0)
    return name if looks_like_author(probe, stops, loose=True) else None


def _arrow_header(text: str, stops: frozenset[str]) -> _Shape | None:
    """ "Library Team→ tom_reads• March 2, 2024": a header line that also names the parent."""
    m = re.match(r"^(?P<name>[^→]+?)\s*→\s*(?P<parent>[^•·|]+?)\s*(?:[•·|]\s*(?P<rest>.*))?$", text)
    if m is None or not m.group("rest"):
        return None
    header = _header(f"{m.group('name')} • {m.group('rest')}", stops)
    if header is None:
        return None
    return replace(header, reply=m.group("parent").strip())


def _quote_header(text: str) -> str | None:
    """ "Ana wrote:…" opening a quoted block: the quoted author."""
    head = re.split(r":", text, maxsplit=1)[0]
    name, says = strip_says(head + ":")
    if says and 1 <= len(name.split()) <= 4:
        return name
    return None


def _name_left(text: str) -> str | None:
    """What is left of a stamp line once the stamp, counts and action words are gone."""
    stamp = _STAMP_IN_LINE.search(text)
    if stamp is not None and text[: stamp.start()].rstrip().endswith(","):
        return None  # "Thu, 02/08/2024 - 13:26": a weekday, not a name
    left = _STAMP_IN_LINE.sub(" ", text)
    if left == text and (ago := _time_ago(text)) is not None:
        left = text[: ago.start()] + " " + text[ago.end() :]
    chunks = [c.strip() for c in _SEPARATORS.split(left) if c.strip()]
    names = []
    for chunk in chunks:
        words = chunk.split()
        # "Posted by: Jo at number 9 | date": a labelled field is the name to its end
        labelled = strip_by(chunk) != chunk
        while words and not labelled and (is_count(words[-1]) or is_action(words[-1])):
            words.pop()
        while words and (is_count(words[0]) or is_action(words[0])):
            words.pop(0)
        # "9 points", "3 likes": a count and its unit
        while len(words) >= 2 and is_count(words[-2]) and is_action(" ".join(words[-2:])):
            words = words[:-2]
        if words and not is_date_like(" ".join(words)):
            names.append(_GLUED_BADGE.sub("", _clean_name(" ".join(words))))
    return names[0] if len(names) == 1 else None


def _time_ago(text: str) -> re.Match[str] | None:
    """ "2 years ago" / "vor 3 Tagen" anywhere in a line (English shapes, then the word lists)."""
    return TIME_AGO.search(text) or find_relative_time(text)


@lru_cache(maxsize=1 << 16)  # a name line's shape and its post's author ask it alike
def _clean_name(text: str) -> str:
    return _bare_name(text).strip(" »«•·|-–—:›")


def _strip_trailing_says(text: str) -> str:
    """ "Lucía Ferrer wrote on" (the flattening glued "wrote on" to the name)."""
    words = text.split()
    for k in (2, 1):
        if len(words) > k and is_says_only(" ".join(words[-k:])):
            return " ".join(words[:-k])
    return text


def _strip_leading_chrome(text: str) -> str:
    """ "Avatar thermalrunaway", "Teilen › leseratte77" (a flattening glued the widget's
    last action to the next name): the name without the chrome words in front."""
    text = _LEADING_CHROME.sub("", text).strip()
    words = text.split()
    cut = 0
    for k in range(1, min(4, len(words))):
        if is_count(words[k - 1]):
            break  # no longer run of words in front is free of counts either
        if is_action(" ".join(words[:k])):
            cut = k
    return " ".join(words[cut:]) if cut else text


_HEADER_WORDS = 14  # a name and a stamp on one line are never longer


def _header(text: str, stops: frozenset[str]) -> _Shape | None:
    """ "Margaret Hill • March 2, 2024", "Claire 9 points 2 mars 2024 à 10:15",
    "Comment by Jan — 18.07.2011 @ 16:41": a name and a stamp on one short line."""
    if len(text.split()) > _HEADER_WORDS:
        return None
    # every way of writing a date or time in _STAMP_IN_LINE has a digit: don't search
    # the many lines without one
    match = (_STAMP_IN_LINE.search(text) if _DIGIT.search(text) else None) or _time_ago(text)
    if match is None:
        return None
    name = _name_left(text)
    if not name:
        return None
    probe = Line(text=name, raw=name, index=0)
    # the stamp on the line vouches for a short name with lowercase words in it
    # ("Команда библиотеки 2 марта 2024", "Team der Redaktion • vor 2 Tagen")
    # ("Posted by: Jo at number 9 | date": a labelled name field, whatever its words)
    loose = (len(name.split()) <= 3 or strip_by(text) != text) and name[:1].isupper()
    if not looks_like_author(probe, stops, loose=loose):
        return None
    return _Shape("header", name=name, stamp=match.group().strip())


def post_start(lines: list[Line], i: int, stops: frozenset[str]) -> int | None:
    """Where the post that line `i` reveals starts: `i` for a signed header; for a name
    right under another post's footer stamp (name, text, actions, stamp: Facebook's
    plugin), the name line that opened that footer-stamped post."""
    if not _may_open(lines[i], stops):
        return None
    if signed_header(lines, i, stops):
        return i
    window = _Window(lines, max(0, i - 12), i + 1, stops)
    if not _after_stamp(window, len(window) - 1):
        return None
    j = len(window) - 2
    while j >= 0 and window[j].kind in ("action", "stamp"):
        j -= 1
    while j >= 0 and window[j].kind == "text":
        j -= 1
    if j >= 0 and window[j].kind == "name":
        return i - (len(window) - 1 - j)
    return None


def signed_header(lines: list[Line], i: int, stops: frozenset[str]) -> bool:
    """Whether line `i` opens a signed post: a name + stamp line, "name says:", or a name
    line whose stamp follows within three lines of widget chrome."""
    if not _may_open(lines[i], stops):
        return False
    window = _Window(lines, max(0, i - 1), i + 5, stops)
    return _signed(window, 1 if i else 0)


def carries_text(line: Line, stops: frozenset[str]) -> bool:
    """Whether a header line holds its post's text too (a table row: signature | text)."""
    return "|" in line.text and _table_row_header(line.text, stops) is not None


class _Window(Sequence[_Shape]):
    """The shapes of lines[start:end], each worked out when first asked for: the tests
    on a window mostly stop at its first line or two."""

    __slots__ = ("_lines", "_start", "_end", "_stops")

    def __init__(self, lines: list[Line], start: int, end: int, stops: frozenset[str]) -> None:
        self._lines, self._start, self._end, self._stops = lines, start, min(end, len(lines)), stops

    def __len__(self) -> int:
        return self._end - self._start

    def __getitem__(self, k: int) -> _Shape:  # type: ignore[override]
        if not 0 <= k < self._end - self._start:  # (len(self), without the call)
            raise IndexError(k)
        line = self._lines[self._start + k]  # `_shape(line, None, stops)`, one call less
        return _shape_of(line.text, line.depth, line.bullet, line.heading, None, self._stops)


def _may_open(line: Line, stops: frozenset[str]) -> bool:
    """Only a name or a name + stamp line opens a post: asked first, so the shapes of the
    window around a line (mostly long prose) are only worked out around names."""
    if len(line.text) > _NAME_CHARS and _cannot_open(line.text):
        return False
    return _shape(line, None, stops).kind in ("name", "header")


@lru_cache(maxsize=1 << 12)  # asked of a line by every post start looked for near it
def _cannot_open(text: str) -> bool:
    """Whether `_shape_of(text, ..., None, ...)` is surely neither a name nor a header,
    whatever the stops: without an arrow or a bar (the header inside a reply marker or a
    table row), more than `_HEADER_WORDS` words (`_header`'s limit; so not "Name unknown-says:"
    either), a name part too long for an author (`_too_long_for_a_name`, both strict and
    loose), and no "name replied to target" shape. Long prose ends here, for a few cheap
    tests instead of every test of its shape (which those steps ask first)."""
    if "→" in text or "|" in text:
        return False
    bare = _EMPTY_EMPHASIS.sub("", text).strip()
    return (
        len(bare.split()) > _HEADER_WORDS
        and _too_long_for_a_name(text)
        and name_replying(bare) is None
    )


# --- records --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    author: str
    depth: int
    indent: int
    reply_to: str | None = None
    published: str | None = None
    votes: int | None = None
    paras: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    closed: bool = False  # its action row (Reply, votes) came after its text
    flagged: bool = False  # a reply link naming no one ("parent") says it answers someone


def parse_comments(
    lines: list[Line], families: list[str | None], stops: frozenset[str]
) -> tuple[list[Comment], list[tuple[Line, str]]]:
    """Comments in page order, plus the lines dropped as chrome (with their family)."""
    shapes = [_shape(line, family, stops) for line, family in zip(lines, families, strict=True)]
    _fold_reply_by(lines, shapes)
    _mark_repeated_chrome(lines, shapes)
    signed = _record_starts(shapes)
    strict = signed is not None
    outside = len(lines)  # where the posts' lines end (a footer-signed thread's tail)
    if signed is not None and (footer := _footer_signed_order(shapes, families, signed)):
        order, outside = footer
        lines, families, shapes = (
            [lines[k] for k in order],
            [families[k] for k in order],
            [shapes[k] for k in order],
        )
        signed = {order.index(k) for k in signed}
    dropped: list[tuple[Line, str]] = []
    drafts: list[_Draft] = []
    current: _Draft | None = None
    pending_reply: str | None = None

    for i, (line, shape) in enumerate(zip(lines, shapes, strict=True)):
        family = families[i] or "comment-chrome"
        if i >= outside:
            dropped.append((line, family))  # under the last signature: no post's text
            continue
        starts = i in signed if strict else _unsigned_start(shape, current)
        if starts:
            if current is not None and shape.name in current.paras[1:]:
                # a profile box (name, post count, subject) above the next post's header
                cut = current.paras.index(shape.name, 1)
                current.paras[cut:] = []
            if current is not None and not _substantive(current) and current.author == shape.name:
                drafts.pop()  # a profile box above the post header repeats the name
                dropped.extend((ln, "comment-chrome") for ln in current.lines)
            author, named = _split_parent_name(shape.name or "", drafts)
            current = _Draft(
                author=author, depth=line.depth, indent=line.indent,
                reply_to=shape.reply or named or pending_reply, published=shape.stamp,
                flagged=is_reply_link(line.text),
            )  # fmt: skip
            pending_reply = None
            drafts.append(current)
            dropped.append((line, "comment-chrome"))
            if shape.tail:
                current.paras.append(shape.tail)
            continue
        if current is None:
            if shape.kind == "reply":
                pending_reply = shape.name
            dropped.append((line, family))  # above the first post: widget chrome
            continue
        current.lines.append(line)
        if i and shapes[i - 1].kind == "reply-open" and shape.kind in ("name", "text"):
            if current.reply_to is None and not current.paras:
                current.reply_to = shape.name or line.text
            else:
                pending_reply = shape.name or line.text
            dropped.append((line, "comment-chrome"))
        elif shape.kind == "reply-open":
            dropped.append((line, "comment-chrome"))
        elif shape.kind == "stamp" and current.published is None:
            current.published = shape.stamp
            # a stamp under the post's text is its footer (Blogger's "Name disse… / text /
            # 6 de março de 2012"): what follows before the next post is no part of it
            current.closed = current.closed or bool(current.paras)
            dropped.append((line, "comment-chrome"))
        elif shape.kind in ("reply", "quote"):
            if shape.stamp and current.published is None and not current.paras:
                current.published = shape.stamp
            if current.paras and shape.kind == "reply":
                pending_reply = shape.name  # a marker under a post belongs to the next one
            elif current.reply_to is None:
                current.reply_to = shape.name
            dropped.append((line, "comment-chrome"))
        elif shape.kind == "action" or (shape.kind == "stamp" and not current.paras):
            current.closed = current.closed or bool(current.paras)
            current.flagged = current.flagged or is_reply_link(line.text)
            if current.votes is None and current.paras and is_count(line.text):
                digits = re.sub(r"\D", "", line.text)
                current.votes = int(digits) if digits else None
            dropped.append((line, family))
        elif line.depth > current.depth and not current.paras and _quote_header(line.text):
            dropped.append((line, "comment-chrome"))
        elif line.depth > current.depth and current.reply_to and shape.kind == "text":
            dropped.append((line, "comment-chrome"))  # the quoted post's text
        elif families[i] is not None or current.closed:
            # widget chrome that only looked like a name, or text after a post's action
            # row and before the next post ("Anmelden, um zu kommentieren")
            dropped.append((line, family))
        elif _quotes_parent(line.text, current, drafts):
            dropped.append((line, "comment-chrome"))  # a flattened quote of the parent
        else:
            current.paras.append(line.text)

    _drop_unstamped_scraps(drafts, dropped)
    _drop_trailing_prompt(drafts, dropped)
    return _threaded(drafts), dropped


def _footer_signed_order(
    shapes: list[_Shape], families: list[str | None], signed: set[int]
) -> tuple[list[int], int] | None:
    """TypePad's and many 2012 themes' posts sign at their foot ("text / Posted by: Derek |
    February 08, 2012 at 10:15 PM"): the thread opens with a post's text before any
    signature and ends on a signature with no post text after it. Then each signature
    block is moved over the text above it, so the records read name, stamp, text like
    every other layout. Returns that order and where the lines under the last signature
    start in it (no post's text); None for a thread signed at the head."""
    starts = sorted(signed)
    blocks = []
    for s in starts:
        begin = s
        while begin and shapes[begin - 1].kind == "action" and begin - 1 not in signed:
            begin -= 1
        end = s + 1
        if shapes[s].kind != "header":
            while end < len(shapes) and end - s <= 5 and shapes[end].kind == "action":
                end += 1
            if end < len(shapes) and shapes[end].kind == "stamp":
                end += 1
        while end < len(shapes) and shapes[end].kind == "action" and end not in signed:
            end += 1
        blocks.append((begin, end))

    def prose(rows: range) -> list[int]:
        return [k for k in rows if shapes[k].kind == "text" and shapes[k].prose and not families[k]]

    first = prose(range(blocks[0][0]))
    if not first or prose(range(blocks[-1][1], len(shapes))):
        return None
    if any(not prose(range(a[1], b[0])) for a, b in zip(blocks, blocks[1:], strict=False)):
        return None  # every signature signs a text of its own
    order = list(range(first[0]))
    text_start = first[0]
    for begin, end in blocks:
        order += list(range(begin, end)) + list(range(text_start, begin))
        text_start = end
    return order + list(range(text_start, len(shapes))), len(order)


def _drop_unstamped_scraps(drafts: list[_Draft], dropped: list[tuple[Line, str]]) -> None:
    """Where the posts carry stamps, a "post" with neither a stamp nor a sentence is the
    widget's leftovers ("더보기 / 등록": load more, submit) read as a name and a text."""
    if sum(1 for d in drafts if d.published) < 2:
        return
    for draft in [d for d in drafts if not d.published and not _substantive(d)]:
        drafts.remove(draft)
        dropped.extend((line, "comment-chrome") for line in draft.lines)


def _prose(text: str) -> bool:
    return bool(_SENTENCE_END.search(text)) or len(text.split()) >= 8


def _drop_trailing_prompt(drafts: list[_Draft], dropped: list[tuple[Line, str]]) -> None:
    """Where every other post ends on a sentence, short unfinished lines under the last
    post's last sentence are what follows the thread ("Sign the guestbook", "Deixe sua
    resposta", a "related posts" heading and its links), not its text."""
    if len(drafts) < 2 or not all(d.paras and _prose(d.paras[-1]) for d in drafts[:-1]):
        return
    last = drafts[-1]
    keep = len(last.paras)
    while keep > 1 and not _prose(last.paras[keep - 1]) and len(last.paras[keep - 1].split()) <= 6:
        keep -= 1
    if keep == len(last.paras) or not _prose(last.paras[keep - 1]):
        return
    tail = set(last.paras[keep:])
    last.paras[keep:] = []
    dropped.extend((line, "comment-chrome") for line in last.lines if line.text in tail)


def _fold_reply_by(lines: list[Line], shapes: list[_Shape]) -> None:
    """Drupal's "In reply to / <subject> / by / <name>" flattened one text node a line:
    the whole run is one reply marker naming <name>."""
    for i, shape in enumerate(shapes):
        if shape.kind != "reply-open":
            continue
        for j in range(i + 2, min(i + 5, len(lines) - 1)):
            if is_by_word(lines[j].text):
                shapes[i] = _Shape("reply", name=_clean_name(lines[j + 1].text))
                for k in range(i + 1, j + 2):
                    shapes[k] = _Shape("action")
                break


def _split_parent_name(name: str, drafts: list[_Draft]) -> tuple[str, str | None]:
    """ "Kevin O'Driscoll Night Nurse": Disqus prints the replied-to name after a reply's
    author (its arrow icon lost in flattening); an earlier poster's name at the end of a
    header name is that parent."""
    for draft in reversed(drafts):
        parent = draft.author
        if parent and name != parent and name.endswith(" " + parent):
            return name[: -len(parent)].strip(), parent
    return name, None


def _record_starts(shapes: list[_Shape]) -> set[int] | None:
    """Where records start, when the thread signs its posts; None for an unsigned thread.

    Stamped headers (a name with its stamp) win; then "name says:" lines; then the
    footer-stamp layout (name, text, actions, stamp: Facebook's plugin), where a name
    right after a stamp opens the next post. Once stamps sign the posts, a "name wrote:"
    line without one is a quote header inside a post."""
    stamped = [i for i in range(len(shapes)) if _signed(shapes, i, with_says=False)]
    says = [i for i, s in enumerate(shapes) if s.kind == "name" and s.strong]
    authors: set[str] = set()
    for n, i in enumerate(stamped):
        # "Kevin / Night Nurse / 2 years ago": Disqus prints the replied-to name (its icon
        # lost in flattening) between a reply's author and stamp.
        prev = shapes[i - 1] if i else None
        if prev is not None and prev.kind == "name" and shapes[i].name in authors:
            shapes[i] = _Shape("reply", name=shapes[i].name)
            stamped[n] = i - 1
        elif (
            prev is not None
            and prev.kind == "name"
            and _BADGE.match(shapes[i].name or "")
            and (i < 2 or shapes[i - 2].kind in ("action", "stamp"))
        ):  # "Teilen / vecina / OP / • / hace 4 h": a capitalised tag under a post's name
            shapes[i] = _Shape("action")
            stamped[n] = i - 1
        authors.add(shapes[stamped[n]].name or "")
    if len(stamped) >= 2:
        for i in set(says) - set(stamped):
            shapes[i] = _Shape("quote", name=shapes[i].name)
        return set(stamped)
    if len(says) + len(stamped) >= 2:
        return set(says) | set(stamped)
    footer = [i for i in range(1, len(shapes)) if _after_stamp(shapes, i)]
    if len(footer) >= 2:
        first = next((i for i in range(footer[0]) if shapes[i].kind == "name"), None)
        return set(footer) | ({first} if first is not None else set())
    return None


_DIGITS = re.compile(r"\d+")
_BADGE = re.compile(r"^[A-Z]{2,5}$")


def _mark_repeated_chrome(lines: list[Line], shapes: list[_Shape]) -> None:
    """In a signed thread, a short unsigned line that recurs (numbers aside) is the
    widget's own: "Svara · Gilla (12)", "Vastaa", "Balas", "Odpovědět". Repetition finds
    the action row of a language no word list covers. Unsigned threads (names only, as
    in seed 002) are left alone: there a recurring short line is an author posting again."""
    signed = {i for i in range(len(shapes)) if _signed(shapes, i)}
    keys = [_DIGITS.sub("#", key(line.text)) for line in lines]
    counts = Counter(keys)
    if len(signed) < 2:
        _mark_footer_chrome(shapes, keys, counts)
        return
    authors = {shapes[i].name for i in signed}  # "In reply to / tom_reads": a parent
    # "⇧19⇩ResponderCompartir Ver más comentarios": the recurring action row with the
    # thread's own "load more" glued on
    rows = tuple(
        keys[i] + " " for i, s in enumerate(shapes) if s.kind == "action" and counts[keys[i]] >= 2
    )
    for i, shape in enumerate(shapes):
        if (
            rows
            and shape.kind in ("name", "text")
            and len(lines[i].text.split()) <= 8
            and keys[i].startswith(rows)
        ):
            shapes[i] = _Shape("action")
        elif (
            counts[keys[i]] >= 2
            and i not in signed
            and shape.name not in authors
            and shape.kind in ("name", "text")
            and len(lines[i].text.split()) <= 6
            and not _SENTENCE_END.search(lines[i].text)
        ):
            shapes[i] = _Shape("action")


def _mark_footer_chrome(shapes: list[_Shape], keys: list[str], counts: Counter[str]) -> None:
    """Posts stamped at their foot (name, text, stamp, "답글 / 0 / 25"): a name-shaped
    line found right under every stamp, the last post's too, is the footer's action
    word; a poster writing again sits under some stamps only, never under the last."""
    stamps = sum(1 for shape in shapes if shape.kind == "stamp" and not shape.weak)
    seen: dict[str, list[int]] = {}
    for i, shape in enumerate(shapes):
        if counts[keys[i]] >= 2 and shape.kind == "name":
            seen.setdefault(keys[i], []).append(i)
    for rows in seen.values():
        if len(rows) == stamps and all(_under_stamp(shapes, i) for i in rows):
            for i in rows:
                shapes[i] = _Shape("action")


def _under_stamp(shapes: Sequence[_Shape], i: int) -> bool:
    j = i - 1
    while j >= 0 and shapes[j].kind == "action":
        j -= 1
    return j >= 0 and shapes[j].kind == "stamp" and not shapes[j].weak


def _after_stamp(shapes: Sequence[_Shape], i: int) -> bool:
    return shapes[i].kind == "name" and _under_stamp(shapes, i)


def _quotes_parent(text: str, current: _Draft, drafts: list[_Draft]) -> bool:
    """A paragraph that repeats the start of the replied-to post ("Ana wrote: Will the
    study rooms be open…") is the quote, not the reply."""
    if not current.reply_to or current.paras:
        return False
    quoted = text.rstrip("…. ").strip()
    if len(quoted) < 15:
        return False
    wanted = current.reply_to.casefold()
    for draft in reversed(drafts):
        if draft is not current and draft.author.casefold() == wanted:
            return "\n\n".join(draft.paras).startswith(quoted)
    return False


def _signed(shapes: Sequence[_Shape], i: int, with_says: bool = True) -> bool:
    # The name after "Reply to" is the parent's. The line above is only asked about on a
    # yes: a window works each shape out when asked, and most lines asked are no header.
    return _signed_here(shapes, i, with_says) and not (i and shapes[i - 1].kind == "reply-open")


def _signed_here(shapes: Sequence[_Shape], i: int, with_says: bool) -> bool:
    """`_signed` but for the "Reply to" line above."""
    shape = shapes[i]
    if shape.kind == "header" or (with_says and shape.kind == "name" and shape.strong):
        return True
    if shape.kind != "name":
        return False
    j = i + 1
    while j < min(i + 5, len(shapes)):
        below = shapes[j]  # (a window works each shape out when asked: ask once)
        if below.kind == "stamp" and below.weak:
            # A number and a word signs only right under the name and over the post's
            # text: a "3 comentarii" heading sits over the first post's name instead,
            # and a teaser list ("Just IN / 20 m ago / Headline / 22 m ago") puts the
            # next time right under the text.
            # The text must read as a post, too: a table flattened to lines ("Primer
            # periodo / 9 semanas / 14 de marzo a 13 de mayo") has the same shape.
            return (
                j == i + 1
                and j + 1 < len(shapes)
                and shapes[j + 1].kind == "text"
                and shapes[j + 1].prose
                and (j + 2 >= len(shapes) or shapes[j + 2].kind != "stamp")
            )
        if below.kind == "stamp" or (below.kind == "reply" and below.stamp):
            return True
        if below.kind == "reply-open":
            j += 2
            continue
        if below.kind not in ("action", "reply"):
            return False
        j += 1
    return False


def _unsigned_start(shape: _Shape, current: _Draft | None) -> bool:
    return shape.kind == "name" and not shape.loose and (current is None or bool(current.paras))


def _substantive(draft: _Draft) -> bool:
    return any(_SENTENCE_END.search(p) or len(p.split()) >= 8 for p in draft.paras)


def _threaded(drafts: list[_Draft]) -> list[Comment]:
    """Comments with parents: an explicit reply marker or quote names the parent, then
    "@name", then nesting depth (quote/list depth, else the n-th distinct indentation)."""
    kept = [d for d in drafts if d.paras]
    indents = sorted({d.indent for d in kept})
    if any(d.depth for d in kept):  # list / quote depth says it; indentation is layout
        depths = [d.depth for d in kept]
    else:
        depths = [indents.index(d.indent) if len(indents) > 1 else 0 for d in kept]
    comments: list[Comment] = []
    for n, draft in enumerate(kept):
        paras = draft.paras
        if len(paras) > 1 and paras[1].startswith(paras[0]) and not _SENTENCE_END.search(paras[0]):
            paras = paras[1:]  # Drupal's subject line: the first words of the comment
        draft.paras = paras
        comments.append(
            dated(
                Comment(
                    author=draft.author or None,
                    text="\n\n".join(draft.paras),
                    parent=_parent(n, draft, kept, depths, comments),
                    votes=draft.votes,
                ),
                draft.published,
            )
        )
    return comments


def _parent(
    n: int, draft: _Draft, kept: list[_Draft], depths: list[int], earlier: list[Comment]
) -> int | None:
    if draft.reply_to:
        wanted = draft.reply_to.casefold().lstrip("@")
        for i in range(n - 1, -1, -1):
            if kept[i].author.casefold() == wanted:
                return i
        # "▶ tom_readsMarch 2, 2024": a stamp glued to the name ate its tail
        for i in range(n - 1, -1, -1):
            if len(wanted) >= 3 and kept[i].author.casefold().startswith(wanted):
                return i
        # "un commentaire de Paul M." (Movable Type's "replied to comment from Paul M."):
        # the marker's words end with the parent's name, in whatever language
        for i in range(n - 1, -1, -1):
            author = kept[i].author.casefold().rstrip(". ")
            if author and wanted.rstrip(". ").endswith(" " + author):
                return i
    first = draft.paras[0].casefold()
    if first.startswith("@"):  # "@Ben Carter thanks": the latest comment by that name
        for i in range(n - 1, -1, -1):
            author = kept[i].author.casefold()
            if author and first[1:].startswith(author):
                return i
    if depths[n]:
        for i in range(n - 1, -1, -1):
            if depths[i] < depths[n]:
                return i
    # A reply that names no one, right under a top-level post: in page order (each reply
    # after the post it answers, with that post's other replies) nothing else can be its
    # parent. Under another reply it may answer that reply or one above: left open.
    if draft.flagged and n and earlier[n - 1].parent is None and not kept[n - 1].flagged:
        return n - 1
    return None
