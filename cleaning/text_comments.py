"""Reader comments from the comment area of a flattened page.

A flattened thread is a sequence of: author line, optional date / time-ago line, one or
more paragraphs of text, optional widget chrome (Reply, vote counts), then the next
author. An author line is a short name-like line: at most five words, no sentence end,
no lowercase function words ("Improve the Discussion" is a heading, "bob balkas" a
name). Nesting shows as quote/indent depth or as "in reply to NAME" / "@NAME".
"""

from __future__ import annotations

import re

from cleaning.text_lines import Line
from cleaning.text_meta import TIME_AGO, find_date
from cleaning.types import Comment

__all__ = ["parse_comments", "looks_like_author"]

_WORD = re.compile(r"\w+", re.UNICODE)
_REPLY_TO = re.compile(
    r"^(?:in )?(?:reply|replying|replied) to\s+@?(?P<name>.{1,40}?)\W*$", re.IGNORECASE
)
_SAYS = re.compile(r"\s(?:says|said|wrote|writes|commented)\s*:?\s*$", re.IGNORECASE)
_AUTHOR_SUFFIX = re.compile(
    r"\s*(?:says|said|wrote|writes|commented)\s*:?\s*$|\s*:\s*$", re.IGNORECASE
)
# Field labels of a byline/date block are not names.
_LABEL = re.compile(
    r"^(?:published|updated|posted|last updated|modified|date|by|author|source|photo|"
    r"image|credit|share|tags?|category|filed under)\b",
    re.IGNORECASE,
)
# A date/time stamp standing alone on a line, as comment widgets print them.
_STAMP = re.compile(
    r"^(?:(?:on|posted|at)\s+)?(?:[\w,. ]*\d{4}(?:\s+at)?\s*\d{0,2}:?\d{0,2}\s*(?:[ap]\.?m\.?)?"
    r"|\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)\W*$",
    re.IGNORECASE,
)


def looks_like_author(line: Line, stops: frozenset[str]) -> bool:
    text = _AUTHOR_SUFFIX.sub("", line.text).strip()
    # Numbered threads ("1. Jane says:") put the name on a list item.
    if line.bullet and not _SAYS.search(line.text):
        return False
    if not text or line.heading or len(text) > 40:
        return False
    words = _WORD.findall(text)
    if not 1 <= len(words) <= 5 or re.search(r"[.!?…]['\"”’]?$", text):
        return False
    if text[:1].isdigit() or find_date(text) or TIME_AGO.match(text):
        return False
    says = bool(_SAYS.search(line.text))
    if _LABEL.match(text) or (line.text.rstrip().endswith(":") and not says):
        return False
    if text[:1] in "|/•·-–—(":
        return False
    # Headings and sentence fragments carry lowercase function words; names do not.
    lower_stops = [w for w in words if w.islower() and w in stops and len(words) > 1]
    return not lower_stops


def parse_comments(
    lines: list[Line], families: list[str | None], stops: frozenset[str]
) -> tuple[list[Comment], list[tuple[Line, str]]]:
    """Comments in page order, plus the lines dropped as chrome (with their family)."""
    dropped: list[tuple[Line, str]] = []
    drafts: list[dict] = []
    current: dict | None = None
    pending_parent: str | None = None

    for line, family in zip(lines, families, strict=True):
        text = line.text
        if family is not None:
            if current is not None and current["published"] is None and _is_stamp(text):
                current["published"] = text
            if (m := _REPLY_TO.match(text)) is not None:
                if current is not None and not current["paras"]:
                    current["reply_to"] = m.group("name")  # "Name / in reply to X / text"
                else:
                    pending_parent = m.group("name")
            dropped.append((line, family))
            continue
        if current is not None and current["published"] is None and not current["paras"]:
            if _is_stamp(text):
                current["published"] = find_date(text) or text
                dropped.append((line, "comment-chrome"))
                continue
        if looks_like_author(line, stops) and (current is None or current["paras"]):
            current = {
                "author": _AUTHOR_SUFFIX.sub("", text).strip(),
                "paras": [],
                "published": None,
                "depth": line.depth,
                "indent": line.indent,
                "reply_to": pending_parent,
            }
            pending_parent = None
            drafts.append(current)
            continue
        if current is None:
            dropped.append((line, "comment-chrome"))  # text above the first author: widget
            continue
        current["paras"].append(text)

    # Plain-text threads show replies indented under their parent: the n-th distinct
    # indentation of author lines is nesting level n (when quotes gave none).
    indents = sorted({d["indent"] for d in drafts if d["paras"]})
    comments: list[Comment] = []
    kept: list[dict] = []
    for draft in drafts:
        if not draft["paras"]:
            continue
        if not draft["depth"] and len(indents) > 1:
            draft["depth"] = indents.index(draft["indent"])
        parent = _parent(draft, kept)
        kept.append(draft)
        comments.append(
            Comment(
                author=draft["author"] or None,
                text="\n\n".join(draft["paras"]),
                published=draft["published"],
                parent=parent,
            )
        )
    return comments, dropped


def _is_stamp(text: str) -> bool:
    return bool(
        TIME_AGO.match(text)
        or _STAMP.match(text)
        and find_date(text)
        or re.match(r"^\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?$", text, re.IGNORECASE)
    )


def _parent(draft: dict, kept: list[dict]) -> int | None:
    """Index of the comment this one answers: an explicit "reply to"/@name, else the
    nearest earlier comment that is less deeply nested."""
    name = draft["reply_to"]
    if name:
        wanted = name.casefold()
        for i in range(len(kept) - 1, -1, -1):
            if (kept[i]["author"] or "").casefold() == wanted:
                return i
    first = draft["paras"][0].casefold()
    if first.startswith("@"):  # "@Ben Carter thanks": the latest comment by that name
        for i in range(len(kept) - 1, -1, -1):
            author = (kept[i]["author"] or "").casefold()
            if author and first[1:].startswith(author):
                return i
    if draft["depth"]:
        for i in range(len(kept) - 1, -1, -1):
            if kept[i]["depth"] < draft["depth"]:
                return i
    return None
