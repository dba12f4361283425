"""Byline, date and site-name lines of a flattened page (the lines above the body)."""

from __future__ import annotations

import re

__all__ = ["find_byline", "find_date", "find_site", "is_dateline", "TIME_AGO"]

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATES = [
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
]
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\b", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"^(?:published|posted|updated|last updated|first published|date|on)\b\s*(?:on|at)?\s*:?",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|written by|words by|author|authors|posted by|von|par|por|di|door|autor|przez)"
    r"\s*:?\s+"
    r"(?P<names>[^\d:|]{2,80}?)\s*$",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\|)\s*", re.IGNORECASE)
TIME_AGO = re.compile(
    r"^(?:about |over |posted )?(?:\d+|an?|one)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|"
    r"hours?|days?|weeks?|months?|years?|yrs?)\s+ago\b",
    re.IGNORECASE,
)


def find_byline(line: str) -> list[str]:
    """Author names from a "By Jane Doe and John Roe" line, else []."""
    m = _BYLINE.match(line.strip())
    if not m or len(line.split()) > 10:
        return []
    names = [n.strip(" .") for n in _NAME_SPLIT.split(m.group("names")) if n.strip(" .")]
    return [n for n in names if 1 <= len(n.split()) <= 5]


def find_date(line: str) -> str | None:
    """ISO date of the first calendar date written in the line, if any."""
    if "19" not in line and "20" not in line:
        return None  # every date it reads has a year of 19xx or 20xx (most lines: none)
    for pattern in _DATES:
        m = pattern.search(line)
        if not m:
            continue
        month = m.group("month")
        month_no = int(month) if month.isdigit() else _MONTHS.get(month.casefold().rstrip("."))
        day, year = int(m.group("day")), int(m.group("year"))
        if month_no and 1 <= month_no <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month_no:02d}-{day:02d}"
    return None


def find_site(line: str) -> str | None:
    """ "Global Research, February 04, 2019" -> "Global Research": a name beside the date."""
    rest = line
    for pattern in _DATES:
        rest = pattern.sub(" ", rest)
    rest = _TIME.sub(" ", rest)
    rest = _DATE_LABEL.sub(" ", rest.strip())
    rest = re.sub(r"[\s,|–—-]+$|^[\s,|–—-]+", "", rest).strip()
    if rest and 1 <= len(rest.split()) <= 5 and re.search(r"[A-Z]", rest[:1]):
        return rest
    return None


_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\b\.?,?",
    re.IGNORECASE,
)
_DATE_NOISE = re.compile(
    r"\b(?:published|posted|updated|last updated|first published|modified|date|on|at|"
    r"am|pm|a\.m|p\.m|gmt|utc|est|edt|cet|cest|bst|pst|pdt|ist|msk|et|pt|"
    r"uhr|h|heures?|hrs?|horas?|ore|uur|godz|saat|aktualisiert|veröffentlicht|publié|"
    r"publicado|pubblicato|gepubliceerd|opublikowano)\b\.?",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")


def is_dateline(line: str) -> bool:
    """A line that is only a date/time stamp, perhaps with a label ("Updated: ...")."""
    if not (find_date(line) or _NUMERIC_DATE.search(line) or TIME_AGO.match(line)):
        return False
    rest = line
    for pattern in _DATES:
        rest = pattern.sub(" ", rest)
    rest = _NUMERIC_DATE.sub(" ", rest)
    rest = _TIME.sub(" ", rest)
    rest = _WEEKDAY.sub(" ", rest)
    rest = _DATE_NOISE.sub(" ", rest)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) == 0
