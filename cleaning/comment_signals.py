"""Language-light signals shared by both comment parsers (HTML and flattened text).

The shapes carry across languages without any word list: a numeric date or clock time, a
bare count, a bullet, a short name-like line. The words that help on top of that
(relative times, action words such as Reply / Antworten / Ответить / 返信, "says" /
"schrieb" / "escribió", "in reply to") are data: one JSON file per language in
`cleaning/comment_words/` (en, de, fr, es, it, pt, nl, pl, ru, tr, ja). Adding a language
is adding a file.

`resolve_published` turns a comment's stamp into ISO 8601 with dateparser (a well-kept
multilingual date library) when the stamp is absolute, or relative and the fetch time is
known; otherwise the page's own wording is kept.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path

from cleaning.rules.prefilter import fold, screen
from cleaning.types import Comment

__all__ = [
    "WORDS_DIR",
    "dated",
    "with_fetch_time",
    "is_action",
    "is_count",
    "is_date_like",
    "is_relative_time",
    "find_relative_time",
    "is_by_word",
    "is_reply_link",
    "is_reply_opener",
    "reply_by",
    "reply_target",
    "resolve_published",
    "is_says_only",
    "name_replying",
    "strip_by",
    "strip_says",
]

WORDS_DIR = Path(__file__).with_name("comment_words")

_SPACE = re.compile(r"\s+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
# Shapes that need no words: 2024-03-01, 01.03.2024, 1/3/24, 14:05, 2024年3月1日,
# "3 mars 2024" / "March 3, 2024" in any language with Latin, Cyrillic or Greek months.
_NUMERIC_DATE = re.compile(
    r"\b(?:(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:[0-2]?\d|3[01])"
    r"|(?:[0-2]?\d|3[01])[./-]\s?(?:0?[1-9]|1[0-2])[./-]\s?(?:(?:19|20)?\d\d))\b"
    r"|\b[0-2]?\d:[0-5]\d\b"
    r"|(?:19|20)\d\d\s*年\s*\d{1,2}\s*月"
)
_WORD_DATE = re.compile(
    r"\b(?:[0-3]?\d\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?(?:19|20)\d\d"
    r"|[^\W\d_]{3,12}\.?\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)\b",
    re.UNICODE,
)

# "November 18", "18. März", "3 juin": a day and a month word, the whole stamp.
_DAY_MONTH = re.compile(
    r"^(?:[^\W\d_]{3,12}\.?\s+[0-3]?\d(?:st|nd|rd|th)?|[0-3]?\d\.?\s+[^\W\d_]{3,12}\.?)"
    r"(?:,?\s+[0-2]?\d[:.h][0-5]\d)?$",
    re.UNICODE,
)


@cache
def _words() -> dict[str, dict[str, list[str]]]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(WORDS_DIR.glob("*.json"))
    }


def _all(kind: str) -> list[str]:
    return sorted({w.casefold() for lang in _words().values() for w in lang.get(kind, [])})


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _relative(anchored: bool = True) -> re.Pattern[str]:
    units = _alternation(_all("units"))
    ago = _alternation(_all("ago"))
    now = _alternation(_all("now"))
    number = r"(?:\d+|an?|one|un|une|una|uno|um|uma|ein|eine|einem|einer|einen|een|jeden|bir)"
    return re.compile(
        ("^" if anchored else r"(?<!\w)") + r"(?:(?:about|over|posted|etwa|environ|cerca de)\s+)?"
        rf"(?:(?:{ago})\s*{number}?\s*(?:{units})"  # vor 3 Tagen, il y a 2 heures, hace 5 días
        rf"|{number}?\s*(?:{units})\s*(?:{ago})"  # 3 days ago, 2 дня назад, 3 時間前
        rf"|(?:{now}))\b",
        re.IGNORECASE | re.UNICODE,
    )


@cache  # asked of every line near a comment-header candidate
def _word_set(kind: str) -> frozenset[str]:
    return frozenset(_all(kind))


@cache
def _actions() -> frozenset[str]:
    return frozenset(_all("actions"))


@cache
def _says() -> re.Pattern[str]:
    # "Jane says:", "Jane said..." (Blogger), "Jane schrieb…"
    return re.compile(
        rf"\s*(?:{_alternation(_all('says'))})\s*:?\s*(?:\.{{2,3}}|…)?\s*$", re.IGNORECASE
    )


@cache
def _reply_to() -> re.Pattern[str]:
    return re.compile(
        rf"^(?:→|↪|⤷|>|@)?\s*(?:{_alternation(_all('reply_to'))})\s*@?(?P<name>\w.{{0,39}}?)\W*$",
        re.IGNORECASE,
    )


_ARROW_REPLY = re.compile(r"^\s*(?:→|↪|⤷|↳|▶|►|in reply to:?)\s*@?(?P<name>[^\s].{0,39}?)\s*$")
_COUNT = re.compile(r"^[+\-−]?\d[\d.,]*\s*[kKmM]?$|^[•·|/▲▼↑↓♥❤+\-−\s]+$")


@lru_cache(maxsize=1 << 16)  # the same words and stamps recur on every page
def key(text: str) -> str:
    # `_EDGE.sub("", " ".join(text.split()).casefold())` (str.split's whitespace is `\s`'s),
    # without trying the trailing edge at every position of the line
    spaced = " ".join(text.split()).casefold()
    first = _WORD_CHARACTER.search(spaced)
    if first is None:
        return ""
    return spaced[first.start() : len(spaced) - _WORD_CHARACTER.search(spaced[::-1]).start()]


_WORD_CHARACTER = re.compile(r"[^\W_]")  # what `_EDGE` stops at, from either end


def is_count(text: str) -> bool:
    """A bare number or separator: vote counts, `•`, `|`."""
    return bool(_COUNT.match(text.strip()))


@lru_cache(maxsize=1 << 16)  # the same words and stamps recur on every page
def is_reply_link(text: str) -> bool:
    """A link a thread prints on replies only, naming no one ("parent" on old Reddit's and
    Hacker News' replies), alone or among the action words of its line."""
    links = _word_set("reply_link")
    return any(key(p) in links for p in re.split(r"\s*[•·|]\s*", text.strip()) if p.strip())


_ACTION_PARTS = re.compile(r"\s*[•·|]\s*")
_CASE_STEP = re.compile(r"(?<=[^\W\d_])(?=[A-ZÀ-ÞА-Я])")
_COUNT_IN_WORDS = re.compile(r"\(?\d[\d.,]*\)?")


class _IconsToSpace(dict[int, int]):
    """`str.translate` table: "›", "‹", "|" and every symbol character (Unicode category
    S*: arrows, icons) to a space, any other character to itself; filled per character
    as met, so each one's category is looked up once per process, not on every use."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        self[code] = 32 if char in "›‹|" or unicodedata.category(char)[0] == "S" else code
        return self[code]


_ICONS_TO_SPACE = _IconsToSpace()


@lru_cache(maxsize=1 << 16)  # asked of every short line and its first words, page after page
def is_action(text: str) -> bool:
    """Widget action/chrome words (Reply, Antworten, Share ›, 3 Replies, 12 likes), a bare
    count or separator, or a run of those separated by bullets ("Reply • Share ›")."""
    stripped = text.strip()
    if not stripped:
        return True
    if is_count(stripped):
        return True
    parts = [p for p in _ACTION_PARTS.split(stripped) if p.strip()]
    if len(parts) > 1:
        return all(is_action(p) for p in parts)
    k = key(stripped)
    if k in _actions():
        return True
    # Buttons glued by a flattening: "▲12▼ReplyReport", "Reply|Share"
    # (any symbol between them is a button's icon: "⇧41⇩ResponderCompartir").
    # Asked word by word first: a line's buttons are its words' buttons (no case step
    # crosses a space), and the first word of a sentence is none, so a line of prose
    # is not cut into buttons at all.
    if all(map(_only_buttons, stripped.split())):
        tokens = _buttons(stripped)
        if len(tokens) > 1 and all(map(_button_or_count, tokens)):  # "Like (21) Reply"
            return True
    # "3 Replies", "12 Likes", "Antworten (2)" (a line without a digit is none: asked first)
    if not any(map(str.isdigit, stripped)):
        return False
    no_digits = key(_COUNT_IN_WORDS.sub(" ", stripped))
    return bool(no_digits) and no_digits in _actions()


def _buttons(text: str) -> list[str]:
    """The button words of `text`: cut where a capital follows a letter and at icons."""
    return _CASE_STEP.sub(" ", text).translate(_ICONS_TO_SPACE).split()


def _button_or_count(token: str) -> bool:
    """A button word, a count, or a token with no word in it (an icon's leftovers)."""
    return not key(token) or is_count(token.strip("()[]")) or key(token) in _actions()


@lru_cache(maxsize=1 << 16)  # a page's lines start with the same few words
def _only_buttons(word: str) -> bool:
    """Whether every button word of `word` (no spaces in it) is a button or a count."""
    return all(map(_button_or_count, _buttons(word)))


@cache
def _compact(anchored: bool = True) -> re.Pattern[str]:
    """ "4 h", "3 d", "2 min", "5m", "hace 4 h", "1 g fa": a number and a unit of one to
    three letters, as compact widgets print relative times in any language, whether or not
    a word list knows the unit. Inside a line only at its end, after a separator
    ("name•hace 4 h", "name · 5m"): "Route 66 km" is no stamp."""
    ago = _alternation(_all("ago"))
    stamp = rf"\d{{1,3}}\s?[^\W\d_]{{1,3}}(?:\s+(?:{ago}))?"
    if anchored:
        return re.compile(rf"^(?:(?:{ago})\s+)?{stamp}$", re.IGNORECASE | re.UNICODE)
    return re.compile(rf"(?<=[•·|])\s*(?:(?:{ago})\s+)?{stamp}\s*$", re.IGNORECASE | re.UNICODE)


def find_relative_time(text: str) -> re.Match[str] | None:
    """The relative time inside a header line ("Night Nurse • 2 years ago")."""
    relative = _relative(anchored=False).search(text) if _may_be_relative(text) else None
    if relative is not None or not _COMPACT_AFTER.search(text):
        return relative
    return _compact(anchored=False).search(text)


def is_relative_time(text: str) -> bool:
    if not _may_be_relative(text):
        return False
    return bool(_relative().match(text.strip())) and len(text.split()) <= 6


# Inside a line, a compact stamp only follows one of these (see `_compact`).
_COMPACT_AFTER = re.compile(r"[•·|]")


def _may_be_relative(text: str) -> bool:
    """False when `text` holds none of the "ago" and "now" words, one of which every
    relative time (`_relative`) has: the search, which tries every unit and "ago" word
    at every position, is then skipped (most lines). Compared folded, as
    `re.IGNORECASE` compares (`cleaning.rules.prefilter`)."""
    folded = screen(text)
    return folded is None or _relative_words().search(folded) is not None


@cache
def _relative_words() -> re.Pattern[str]:
    """Any of the folded "ago" and "now" words, anywhere (a plain alternation: one pass
    in C instead of a substring search per word)."""
    return re.compile(_alternation([fold(w) for w in (*_all("ago"), *_all("now"))]))


def is_compact_time(text: str) -> bool:
    """ "4 h", "hace 4 h" on a line of its own: a stamp by shape only ("16g" in a
    nutrition table has it too), so it signs only where a weak stamp does."""
    return bool(_compact().match(text.strip()))


@lru_cache(maxsize=1 << 16)  # the same words and stamps recur on every page
def is_date_like(text: str) -> bool:
    """A short stamp: a numeric date or time, a worded date with a year, or a relative time."""
    stripped = text.strip()
    if not stripped or len(stripped) > 60:
        return False
    return bool(
        _NUMERIC_DATE.search(stripped)
        or _WORD_DATE.search(stripped)
        or (_DAY_MONTH.match(stripped) and not is_action(stripped))
        or is_relative_time(stripped)
    )


@cache
def _by() -> re.Pattern[str]:
    return re.compile(rf"^(?:{_alternation(_all('by'))})\s*:?\s+", re.IGNORECASE)


def strip_by(text: str) -> str:
    """ "Jan Dark" for "Comment by Jan Dark" / "Kommentar von Jan Dark"."""
    return _by().sub("", text.strip()).strip()


def is_says_only(text: str) -> bool:
    """ "wrote on" / "schrieb am" / "a écrit :" standing between a name and its stamp."""
    words = text.strip().rstrip(":").split()
    says = _says_set()
    if key(" ".join(words)) in says:
        return True
    return len(words) >= 2 and len(words[-1]) <= 3 and key(" ".join(words[:-1])) in says


@cache
def _says_set() -> frozenset[str]:
    return frozenset(_all("says"))


_TRAILING_SAYS_PUNCTUATION = re.compile(r"[\s:.…]*$")


@cache
def _longest_says() -> int:
    return max((len(w) for w in _all("says")), default=0)


@cache
def _says_endings() -> tuple[str, ...]:
    """The says words folded as `re.IGNORECASE` compares them (see `strip_says`)."""
    words = [fold(w) for w in _all("says")]
    if any(not w or w[-1].isspace() or w[-1] in ":.…" for w in words):
        return ("",)  # a says word ending where the trailing run does: no shortcut
    return tuple(words)


def strip_says(text: str) -> tuple[str, bool]:
    """("Jane", True) for "Jane says:" / "Jane schrieb:"; (text, False) otherwise."""
    # The says word ends where only spaces, colons and dots follow, so it starts at most
    # its length before that: searching from there gives the same leftmost match as a
    # search of the whole line, which tries every alternative at every position (this
    # runs on every line of a page).
    core_end = _TRAILING_SAYS_PUNCTUATION.search(text).start()  # type: ignore[union-attr]
    # No says word ends in a space, colon or dot, so a match's says word ends right at
    # `core_end`: where the line's folded core does not end with one, no search can match
    # (most lines; each search tries every says word at ~16 positions).
    core = screen(text[max(0, core_end - _longest_says()) : core_end])
    if core is not None and not core.endswith(_says_endings()):
        return text, False
    match = _says().search(text, max(0, core_end - _longest_says() - 1))
    if match is None:
        return text, False
    stripped = text[: match.start()].strip()
    return (stripped, True) if stripped else (text, False)


def is_reply_opener(text: str) -> bool:
    """A reply marker whose name went to the next line ("Reply to" / "Antwort an")."""
    return key(text) in _word_set("reply_to")


def is_by_word(text: str) -> bool:
    """ "by" / "von" / "par" / "от" on a line of its own."""
    return key(text) in _word_set("by")


@cache
def _reply_by() -> re.Pattern[str]:
    return re.compile(
        rf"^(?:{_alternation(_all('reply_to'))})\s+\S.*?\s(?:{_alternation(_all('by'))})"
        r"\s+(?P<name>\w.{0,39}?)\W*$",
        re.IGNORECASE,
    )


def reply_by(text: str) -> str | None:
    """The parent's author in Drupal's "In reply to <subject> by <name>" ("Als Antwort
    auf … von …", "En réponse à … par …")."""
    m = _reply_by().match(text.strip())
    return m.group("name").strip() if m else None


@cache
def _name_replying() -> re.Pattern[str]:
    return re.compile(
        rf"^(?P<name>\w[^|•·]{{0,39}}?)\s+(?:{_alternation(_all('reply_to'))})\s+"
        r"@?(?P<target>\w[^|•·]{0,59}?)[^\w|•·]*(?:[|•·]\s*(?P<rest>.*))?$",
        re.IGNORECASE,
    )


def name_replying(text: str) -> tuple[str, str, str] | None:
    """(name, replied-to words, what follows a separator) of a header that says both:
    "Hélène a répondu à un commentaire de Paul M. | 14 mai 2012", "Ana replied to comment
    from Ben" (Movable Type)."""
    m = _name_replying().match(text.strip())
    if m is None:
        return None
    return m.group("name").strip(), m.group("target").strip(), (m.group("rest") or "").strip()


def reply_target(text: str) -> str | None:
    """The replied-to name of a reply marker line: "→ Ana", "in reply to Ana", "En réponse
    à Ana", "Antwort an Ana"."""
    for pattern in (_reply_to(), _ARROW_REPLY):
        if m := pattern.match(text.strip()):
            return m.group("name").strip()
    return None


def dated(comment: Comment, stamp: str | None) -> Comment:
    """`comment` with its time from the page's `stamp`: ISO 8601 when absolute, the
    wording kept in `published_text` either way."""
    stamp = _SPACE.sub(" ", stamp).strip() if stamp else None
    return replace(comment, published=resolve_published(stamp), published_text=stamp or None)


def with_fetch_time(comments: list[Comment], fetched: datetime | None) -> list[Comment]:
    """Relative times ("3 days ago", "vor 3 Tagen") resolved against the fetch time."""
    if fetched is None:
        return comments
    return [
        replace(c, published=resolve_published(c.published_text, fetched))
        if c.published_text and c.published == c.published_text
        else c
        for c in comments
    ]


def resolve_published(stamp: str | None, fetched: datetime | None = None) -> str | None:
    """ISO 8601 for an absolute stamp ("20. März 2024 um 14:05", "2024-03-20T14:05:00Z"),
    and for a relative one ("vor 3 Tagen") when the fetch time is known; otherwise the
    stamp as the page wrote it.

    Absolute stamps are read here (numeric dates, and day / month name / year with the
    month names of `comment_words`), so cleaning never waits for dateparser's ~200
    language tables; only relative times, resolved where the fetch time is known (the
    store), go through dateparser."""
    if not stamp:
        return stamp
    stamp = _SPACE.sub(" ", stamp).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", stamp):
        return stamp  # already ISO 8601
    if is_relative_time(stamp):
        if fetched is None:
            return stamp
        parsed = _parse_date(stamp, fetched)
        return parsed.replace(microsecond=0).isoformat() if parsed else stamp
    return _absolute(stamp) or stamp


_CLOCK = re.compile(
    r"\b(?P<h>[0-2]?\d)[:.h](?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?\s*(?P<ampm>[ap])?\.?\s*m?\b\.?",
    re.IGNORECASE,
)
_YMD = re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)\b")
_DMY = re.compile(
    r"\b(?P<a>[0-3]?\d)(?P<sep>[./-])\s?(?P<b>[01]?\d)(?P=sep)\s?(?P<y>(?:19|20)?\d\d)\b"
)
_YEAR = re.compile(r"\b(?P<y>(?:19|20)\d\d)\b")
_CJK_DATE = re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")


@cache
def _month_numbers() -> dict[str, int]:
    months: dict[str, int] = {}
    for lang in _words().values():
        for number, names in enumerate(lang.get("months", []), start=1):
            for name in names:
                months.setdefault(name.casefold(), number)
    return months


def _absolute(stamp: str) -> str | None:
    """Year, month, day (and clock time) of an absolute stamp, as ISO 8601."""
    date = _date_part(stamp)
    if date is None:
        return None
    year, month, day = date
    clock = _CLOCK.search(_YMD.sub(" ", _DMY.sub(" ", stamp)))
    try:
        if clock is None:
            return datetime(year, month, day).date().isoformat()
        hour = int(clock.group("h")) % 24
        if clock.group("ampm"):
            hour = hour % 12 + (12 if clock.group("ampm").lower() == "p" else 0)
        second = int(clock.group("s") or 0)
        return datetime(year, month, day, hour, int(clock.group("m")), second).isoformat()
    except ValueError:
        return None


def _date_part(stamp: str) -> tuple[int, int, int] | None:
    if m := _CJK_DATE.search(stamp):
        return int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if m := _YMD.search(stamp):
        return int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if m := _DMY.search(stamp):
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        year += 2000 if year < 100 else 0
        # slashes: month first, as the US/Drupal default prints them, unless it cannot be
        if m.group("sep") == "/" and a <= 12 and b > 12:
            return None if b > 31 else (year, a, b)
        if m.group("sep") == "/" and a <= 12:
            return year, a, b
        return year, b, a
    year = _YEAR.search(stamp)
    if year is None:
        return None
    words = re.findall(r"[^\W\d_]+", stamp.casefold())
    month = next((_month_numbers()[w] for w in words if w in _month_numbers()), None)
    day = re.search(r"(?<![\d:.])([0-3]?\d)(?:st|nd|rd|th|\.)?(?![\d:])", _YEAR.sub(" ", stamp))
    if month is None or day is None:
        return None
    return int(year.group("y")), month, int(day.group(1))


def _parse_date(stamp: str, fetched: datetime | None) -> datetime | None:
    import dateparser  # imported on first use: it loads ~200 language tables

    settings: dict[str, object] = {
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if fetched is not None:
        settings["RELATIVE_BASE"] = fetched.replace(tzinfo=None)
    cleaned = re.sub(r"\b(?:um|at|à|a las|alle|às|om|в|saat)\b", " ", stamp, flags=re.IGNORECASE)
    try:
        return dateparser.parse(cleaned, languages=list(_words()), settings=settings)
    except (ValueError, OverflowError):
        return None
