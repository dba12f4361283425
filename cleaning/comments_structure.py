"""Comment threads found by structure when no platform rule recognises the markup.

A comment section is a run of >= 2 records of the same shape: sibling elements with the
same tag/class signature, each holding a short name-like node, a time node and a block
of text. Nothing here depends on the page's language: class names and ids only add
confidence (most widgets name their parts "comment", "reply", "kommentar", ...), the
shape decides. Replies are the records nested inside other records of the same signature.

Why hand-written: trafilatura's comment xpaths are exactly the platform list we already
have; the repeated-record idea is the one of MDR/DEPTA (data-record mining), kept small.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from lxml.html import HtmlElement

from cleaning.comment_signals import (
    dated,
    is_action,
    is_count,
    is_date_like,
    reply_target,
    strip_by,
    strip_says,
)
from cleaning.html_select import block_text, collapse, detach
from cleaning.rules import classify_line
from cleaning.rules.prefilter import holds_none, pattern_key_runs
from cleaning.types import Comment, Removal

__all__ = ["StructuralThread", "find_thread"]

# Class/id words that say "this is about comments" in the markup of many CMSs. They raise
# confidence; a thread without them must be a cleaner repeated shape.
_HINT = re.compile(
    r"comment|koment|kommentar|reply|replies|respon|antwort|discussion|diskussion|reaction|"
    r"reactie|réaction|opinion|feedback|forum|thread|review|guestbook|gaestebuch|message|"
    r"posting|post-?body|userpost|talk",
    re.IGNORECASE,
)
# A thread of a single comment needs a class/id that says "comment" outright (an
# "opinion" column or a "post-body" holding one tweet is no comment).
_STRONG_HINT = re.compile(r"comment|koment|kommentar|reactie|réaction|antwort", re.IGNORECASE)
_NAME_HINT = re.compile(r"author|user|name|nick|poster|member|\bfn\b|autor|byline|commenter")
_DATE_HINT = re.compile(r"date|time|datum|zeit|posted|published|ago|stamp")
_VOTE_HINT = re.compile(r"vote|like|score|point|karma|rating|thumb|upvote|count")
_NOISY_CLASS = re.compile(
    r"^(?:even|odd|alt|first|last|thread-(?:even|odd|alt)|depth-\d+|level-\d+|"
    r"bypostauthor|byuser|parent|has-children|is-reply|reply|child|new|unread|active|"
    r"hidden|collapsed|open|clearfix|row|col-.*|.*[-_]\d+|\d+|.*-(?:even|odd))$"
)
_SENTENCE_END = re.compile(r"[.!?…:;]['\"”’)]?$")
_REPLY_CLASS = re.compile(r"reply|antwort|respon", re.IGNORECASE)
_BUTTON_CLASS = re.compile(
    r"(?:^|[\W_])(?:btn|button|reply|report|share|flag|spam|abuse)(?:$|[\W_])", re.I
)
_INITIAL = re.compile(r"(?:^|\s)[^\W\d_]\.$")
_CHROME_TAGS = ("script", "style", "noscript", "form", "button", "textarea", "select", "svg")
_BLOCK_TAGS = frozenset({"p", "div", "blockquote", "ul", "ol", "pre", "section", "article"})


@dataclass(slots=True)
class StructuralThread:
    comments: list[Comment]
    items: list[HtmlElement]
    removed: list[Removal]
    votes: list[int | None]


@dataclass(slots=True)
class _Record:
    el: HtmlElement
    name: HtmlElement | None  # the author's own node, when the markup gives one
    date: HtmlElement | None
    words: int
    author: str | None


def find_thread(tree: HtmlElement) -> StructuralThread | None:
    """The best-shaped comment thread of the page, or None."""
    # Held for the whole search: lxml makes a Python proxy (through a Python-level class
    # lookup) each time it hands out an element nobody holds; with every proxy alive,
    # the many walks below reuse them instead of rebuilding them over and over.
    elements = _group_sibling_runs(tree)
    # the elements whose own class/id hints at comments, read once each
    says_comment = {
        el
        for el in elements
        if isinstance(el.tag, str) and (el.get("class") or el.get("id")) and _hinted(el, 1)
    }
    candidates: list[tuple[float, int, list[HtmlElement]]] = []
    for parent in elements:
        # a parent of one child counts too: a lone comment's record may be an only child
        if not isinstance(parent.tag, str) or len(parent) == 0:
            continue
        groups: dict[tuple, list[HtmlElement]] = {}
        for child in parent:
            tag = child.tag
            if isinstance(tag, str) and tag not in _CHROME_TAGS:
                signature = (tag, _signature_classes(child.get("class") or ""))  # _signature
                groups.setdefault(signature, []).append(child)
        for members in groups.values():
            # `_hinted(member, 2)`: the member's own class/id, then its parent's
            if len(members) < 2 and members[0] not in says_comment and parent not in says_comment:
                continue
            score = _group_score(parent, members)
            if score:
                candidates.append((score, len(candidates), members))
    for _, _, members in sorted(candidates, key=lambda c: (-c[0], c[1]))[:5]:
        thread = _thread_of(members)
        if thread is not None:
            return thread
    return None


def _group_sibling_runs(tree: HtmlElement) -> list[HtmlElement]:
    """Records made of several siblings (Blogger's classic `dl#comments-block`: a `dt`
    author line, a `dd` text, a `dd` footer with the stamp, again and again) are wrapped
    one record an element, so the rest of the detector sees one subtree per comment.
    Only inside containers whose class/id says "comment", so article markup is never
    regrouped: a run repeats one sequence of sibling shapes, 2-5 siblings long.
    Returns every node of the tree afterwards, in document order."""
    elements = list(tree.iter())
    regrouped = False
    for parent in elements:
        if not isinstance(parent.tag, str) or len(parent) < 4 or not _hinted(parent, 3):
            continue
        children = [c for c in parent if isinstance(c.tag, str)]
        sigs = [c.tag for c in children]  # "comment-author blog-author" is one more dt
        for head in dict.fromkeys(sigs):
            starts = [i for i, sig in enumerate(sigs) if sig == head]
            if len(starts) < 2:
                continue
            bounds = [*starts, len(children)]
            runs = [sigs[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
            if not all(2 <= len(run) <= 5 for run in runs) or any(
                run != runs[0] for run in runs[:-1]
            ):
                continue
            if runs[-1] != runs[0][: len(runs[-1])]:
                continue
            for a, b in zip(bounds, bounds[1:], strict=False):
                record = children[a].makeelement("div", {"class": "sibling-record"})
                children[a].addprevious(record)
                for member in children[a:b]:
                    record.append(member)
            regrouped = True
            break
    return list(tree.iter()) if regrouped else elements


def _thread_of(members: list[HtmlElement]) -> StructuralThread | None:
    sig = _signature(members[0])
    root = _thread_root(members)
    if _specific(sig):
        items = [el for el in root.iter() if isinstance(el.tag, str) and _same_kind(el, sig)]
    else:  # a bare `div` recurs everywhere: only the sibling run itself
        items = members
    items = [el for el in items if _record(el) is not None or _has_item_ancestor(el, items)]
    return _read(items)


def _same_kind(el: HtmlElement, sig: tuple) -> bool:
    """Same tag, and one class set holds the other: "xenforo-comment" and "xenforo-comment
    xenforo-read-more-target" (the ones folded behind "read more") are one run."""
    if el.tag != sig[0]:
        return False
    mine, theirs = set(_signature(el)[1]), set(sig[1])
    if not mine and not theirs:
        return _custom(el.tag)
    return bool(mine) and (mine <= theirs or theirs <= mine)


def _custom(tag: str) -> bool:
    """A custom element (`shreddit-comment`, `faceplate-timeago`): HTML gives every one a
    hyphen in its name, and the name is as particular to its widget as a class."""
    return "-" in tag


def _specific(sig: tuple) -> bool:
    """A signature particular enough to find the thread's other records page-wide: a
    class set, or a custom element's own tag (a bare `div` recurs everywhere)."""
    return bool(sig[1]) or _custom(sig[0])


def _signature(el: HtmlElement) -> tuple:
    return (el.tag, _signature_classes(el.get("class") or ""))


# Both look-ups below run for most elements of a page, several times, and pages repeat a
# few class strings over and over: caching by the string keeps their cost per distinct
# string (a third of comment detection's time before), with the same answers.
@lru_cache(maxsize=65536)
def _signature_classes(class_attr: str) -> tuple[str, ...]:
    return tuple(sorted(c for c in class_attr.split() if not _NOISY_CLASS.match(c)))


# Keyed by the pattern's source and flags, not the compiled pattern: hashing a compiled
# pattern hashes its whole program, and this is asked of every class/id on the way up.
@lru_cache(maxsize=65536)
def _says(source: str, flags: int, names: str) -> bool:
    runs = _literal_runs(source, flags)
    if runs is not None and holds_none(names, runs):
        return False  # every match holds one of the runs (`pattern_key_runs`): no search
    return re.compile(source, flags).search(names) is not None  # (re's own cache)


@cache
def _literal_runs(source: str, flags: int) -> tuple[str, ...] | None:
    """The literal runs (folded) one of which every match of the pattern holds, or None."""
    found = pattern_key_runs(re.compile(source, flags))
    return None if found is None else tuple(sorted({run for _key, run in found}))


def _hinted(el: HtmlElement, levels: int = 4, hint: re.Pattern[str] | None = None) -> bool:
    node: HtmlElement | None = el
    for level in range(levels):
        if node is None:
            return False
        names, ident = node.get("class"), node.get("id")
        # most elements have neither, and no hint matches a blank
        if (names or ident) and _says(
            (hint or _HINT).pattern, (hint or _HINT).flags, f"{names or ''} {ident or ''}"
        ):
            return True
        if level + 1 < levels:
            node = node.getparent()
    return False


def _group_score(parent: HtmlElement, members: list[HtmlElement]) -> float:
    if not _hinted(parent) and not any(_hinted(m, 1) for m in members):
        return _unhinted_score(members)
    records = [r for r in (_record(m) for m in members) if r is not None]
    hinted = _hinted(parent) or any(_hinted(r.el, 1) for r in records)
    if not hinted and records:
        nested = _nested_same_kind(members)
        replies = [r for r in (_record(el) for el in nested) if r is not None]
        members, records = members + nested, records + replies
    if len(records) == 1 and len(members) == 1 and _hinted(records[0].el, 3, _STRONG_HINT):
        # a thread of one comment: the tightest hinted record wins, unless it only wraps
        # one (a "replies" box or the thread section around a record)
        record = records[0]
        if record.date is None or _wraps_a_record(record) or _holds_an_editor(record.el):
            return 0.0
        return 0.5 / (1 + records[0].words / 1000)
    if len(records) < 2 or len(records) < 0.6 * len(members):
        return 0.0
    if not hinted and (len(records) < 3 or len(records) < 0.9 * len(members)):
        return 0.0
    if not hinted and any(r.date is None for r in records):
        return 0.0
    return len(records) * (2.0 if hinted else 1.0) + 0.001 * sum(r.words for r in records)


def _nested_same_kind(members: list[HtmlElement]) -> list[HtmlElement]:
    """Elements of the members' own class signature nested inside them. Replies of the
    same shape are records of the thread too: two posts with two nested answers are four,
    whatever the class names say. A classless run (bare `div`s) has none."""
    sig = _signature(members[0])
    if not _specific(sig):
        return []
    # filtered by tag inside lxml: only elements of the run's tag are handed out
    return [
        el for member in members for el in member.iterdescendants(sig[0]) if _same_kind(el, sig)
    ]


def _unhinted_score(members: list[HtmlElement]) -> float:
    """`_group_score` where no class or id says "comment": the same verdict, reached
    without reading every member. Such a run needs at least three records, nine in ten
    members read as records, and a date on every one; the first member that breaks
    that ends the reading (most runs of a page, menus and paragraphs, fail at once)."""
    everyone = members + _nested_same_kind(members)
    if len(everyone) < 3:
        return 0.0
    records: list[_Record] = []
    misses = 0
    for el in everyone:
        record = _record(el)
        if record is None:
            misses += 1
            if len(everyone) - misses < 0.9 * len(everyone):
                return 0.0
        elif record.date is None:
            return 0.0
        else:
            records.append(record)
    if len(records) < 3 or not any(r.el in members for r in records):
        return 0.0  # replies count only beside a top-level record
    return len(records) + 0.001 * sum(r.words for r in records)


def _record(el: HtmlElement) -> _Record | None:
    """The record reading of one candidate: name node, date node, enough own text."""
    if el.tag in ("a", "span", "li") and len(el) == 0:
        return None
    if any(a.getparent().tag != "body" for a in el.iterancestors("form")):
        return None  # a comment form's account switcher (ASP.NET wraps all of body in one)
    text = collapse(el.text_content())
    words = word_count(text)
    if not 4 <= words <= 3000:
        return None
    link_texts = [collapse(a.text_content()) for a in el.iter("a")]
    if sum(len(link) for link in link_texts) > 0.5 * len(text):
        return None
    if any(True for _ in el.iter("h1")) or any(
        len(collapse(h.text_content()).split()) > 6 for h in el.iter("h2", "h3")
    ):
        return None  # articles carry headlines; comments do not
    if any(_is_headline_text(link) for link in link_texts):
        return None  # a teaser's headline is a link; a comment's text is not
    # the short nodes are read once for both look-ups (every node's text is collected)
    small = _small_nodes(el, 12)
    date = _date_node(el, small)
    if date is None and not _hinted(el, 1):
        return None  # asked before the name is looked for: most candidates end here
    name = _name_node(el, date, [(n, t) for n, t in small if len(t.split()) <= 5])
    author = collapse(name.text_content()) if name is not None else _name_from_stamp(date)
    if not author:
        return None
    rest = words - len(author.split())
    if date is not None:
        rest -= len(collapse(date.text_content()).split())
    if rest < 2:
        return None
    return _Record(el, name, date, words, _says_stripped(author)[0])


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words, counting two Chinese/Japanese/Korean characters as one: those scripts put
    no spaces between words, and a whole comment is one space-separated token."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


def _stamp_text(date: HtmlElement, record: _Record) -> str:
    """The stamp's words without the author's name printed inside the same line."""
    text = collapse(date.text_content())
    if record.name is not None and _contains(date, record.name):
        text = text.replace(collapse(record.name.text_content()), " ", 1)
    return text


def _action_list(node: HtmlElement) -> bool:
    """A list of short links in a record ("Ответить · Ветвь дискуссии · Родительский",
    "permalink · parent · reply"): its action row, in whatever language. A link that
    reads as an address ("example.org/x") is content a reader posted, not an action."""
    if node.tag not in ("ul", "ol", "menu"):
        return False
    entries = [li for li in node if isinstance(li.tag, str)]
    if len(entries) < 2:
        return False
    for li in entries:
        text = collapse(li.text_content())
        linked = "".join(collapse(a.text_content()) for a in li.iter("a"))
        if not text or linked.replace(" ", "") != text.replace(" ", ""):
            return False
        if word_count(text) > 3 or "/" in text or "." in text:
            return False
    return True


def _button_link(node: HtmlElement) -> bool:
    """A link styled as a button ("답글 0", "Reply", "Report"): its class says so, and it
    holds a word or two, never the comment's text."""
    if node.tag != "a":
        return False
    return (
        bool(_BUTTON_CLASS.search(node.get("class") or ""))
        and word_count(collapse(node.text_content())) <= 3
    )


def _header_line(
    shell: HtmlElement, name: HtmlElement | None, stamp: HtmlElement | None
) -> HtmlElement | None:
    """The smallest element below the record holding both its name and its stamp."""
    if name is None or stamp is None:
        return None
    for node in name.iterancestors():
        if node is shell:
            return None
        if _contains(node, stamp):
            return node
    return None


def _holds_an_editor(el: HtmlElement) -> bool:
    """A comment box to write in: the section around the thread, not one comment."""
    return any(True for _ in el.iter("textarea"))


def _wraps_a_record(record: _Record) -> bool:
    """Whether the record's stamp belongs to a smaller record inside it: then the
    element is a container of comments (`div.antworten` holding a reply), not one."""
    marker = record.date if record.date is not None else record.name
    node = marker.getparent() if marker is not None else None
    while node is not None and node is not record.el:
        if _record(node) is not None:
            return True
        node = node.getparent()
    return False


def _is_headline_text(text: str) -> bool:
    """Whether a link's text reads as a headline (a teaser's link, not a comment's)."""
    return len(text.split()) >= 6 and not is_date_like(text)


_NAME_TAGS = frozenset({"b", "strong", "cite"})
_TIME_ONLY = re.compile(r"^[0-2]?\d[:.h][0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?m\.?)?$", re.IGNORECASE)
_STAMP_SEPARATOR = re.compile(r"\s+[—–\-|•·@]\s+|,\s+")


def _name_from_stamp(date: HtmlElement | None) -> str | None:
    """ "Comment by Jan Dark — 18.07, 2011 @ 16:41", "Muriel - Le 22/01/2020 à 12:01": the
    name shares the stamp's line, before the date, set off by a dash, bar or bullet."""
    if date is None:
        return None
    stamp = collapse(date.text_content())
    line = date
    for _ in range(3):
        text = collapse(line.text_content())
        if len(text.split()) > 14 or line.getparent() is None:
            break
        for chunk in re.split(_STAMP_SEPARATOR, text):
            candidate = strip_by(chunk)
            if candidate != chunk.strip() or not is_date_like(chunk):
                if _name_like(candidate) and not is_date_like(candidate):
                    return candidate
        # "<dt>さくら <span>2024年3月2日 10:15</span></dt>": the name is the line's text
        # around the stamp's own node, with no separator between them.
        left = strip_by(text.replace(stamp, " ").strip()) if line is not date else ""
        if left and len(re.split(_STAMP_SEPARATOR, left)) == 1 and _name_like(left):
            return left
        line = line.getparent()
    return None


def _small_nodes(el: HtmlElement, max_words: int) -> list[tuple[HtmlElement, str]]:
    """The nodes of up to `max_words` words, with their collapsed text."""
    out = []
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in _CHROME_TAGS:
            continue
        text = collapse(node.text_content())
        if text and len(text.split()) <= max_words:
            out.append((node, text))
    return out


def _date_node(el: HtmlElement, small: list[tuple[HtmlElement, str]]) -> HtmlElement | None:
    """The record's stamp; `small`: its nodes of up to 12 words, with their text."""
    for node in el.iter("time"):
        return node
    for node in el.iter():
        if isinstance(node.tag, str) and node.get("datetime"):
            return node
    # up to 12 words: "Par Jean Martin le 2 mars 2024 à 10h15" is one stamp line
    dates = [(n, text) for n, text in small if is_date_like(text)]
    # The tightest node holding a date: a cell "<b>Linda</b><br><font>March 5, 2004</font>"
    # reads "LindaMarch 5, 2004" as a whole, and would swallow the name. A bare time
    # ("17.07, 2011 @ <a>13:37</a>") is only part of its container's stamp.
    dated_days = [m for m, text in dates if not _TIME_ONLY.match(text)]
    candidates = [n for n, _ in dates if not any(_contains(n, m) for m in dated_days)]
    if not candidates:
        return None
    hinted = [n for n in candidates if _DATE_HINT.search(n.get("class") or "")]
    return (hinted or candidates)[0]


def _name_like(text: str) -> bool:
    if not text or len(text) > 40 or len(text.split()) > 5:
        return False
    if (_SENTENCE_END.search(text) and not _INITIAL.search(text)) or is_date_like(text):
        return False  # "Beatriz M." ends in an initial, not a sentence
    if is_action(text) or is_count(text):
        return False
    if not (text[:1].isalpha() or text[:1] in "@_") or "/" in text or "://" in text:
        return False  # "( Logout / Change )", links, "12 replies"
    return classify_line(text) is None


def _name_node(
    el: HtmlElement, date: HtmlElement | None, small: list[tuple[HtmlElement, str]]
) -> HtmlElement | None:
    """A short name-like node: hinted by its class (author/user/name) or the first short
    leaf-ish node before the comment's text block. `small`: the record's nodes of up to
    five words, with their text."""
    fallback = None
    for node, node_text in small:
        if node is el or node is date or (date is not None and _contains(node, date)):
            continue
        if date is not None and _contains(date, node) and node.tag not in _NAME_TAGS:
            continue  # "Par <strong>Jean</strong> le 2 mars 2024": a name in the stamp line
        text, says = _says_stripped(node_text)
        if not _name_like(text):
            continue
        if says:  # "Anonymous said...": a name line on its own
            return node
        cls = f"{node.get('class') or ''} {node.get('itemprop') or ''}"
        if _NAME_HINT.search(cls.casefold()):
            return node
        if fallback is None and node.tag in (
            "b",
            "strong",
            "cite",
            "a",
            "span",
            "h4",
            "h5",
            "h6",
            "div",
        ):
            if len(node) == 0 or all(child.tag in ("a", "b", "strong", "span") for child in node):
                fallback = node
    return fallback


def _says_stripped(text: str) -> tuple[str, bool]:
    """ "Anonymous said..." -> ("Anonymous", True)."""
    name, says = strip_says(text.rstrip(".…: "))
    return (name, True) if says else (text, False)


def _contains(outer: HtmlElement, inner: HtmlElement) -> bool:
    # only the ancestors of `outer`'s tag are handed out of lxml to compare
    return any(a is outer for a in inner.iterancestors(outer.tag))


def _thread_root(members: list[HtmlElement]) -> HtmlElement:
    """The parent of the outermost record of the members' kind: a reply found alone
    (the tightest single record) belongs to the thread its ancestors hold."""
    top = members[0]
    sig = _signature(top)
    if sig[1]:
        for ancestor in top.iterancestors():
            if _same_kind(ancestor, sig) and _record(ancestor) is not None:
                top = ancestor  # a page-wide "div.wrapper" is no record: left alone
    return top.getparent()


def _has_item_ancestor(el: HtmlElement, items: list[HtmlElement]) -> bool:
    ids = {id(i) for i in items}
    return any(id(a) in ids for a in el.iterancestors())


def _read(items: list[HtmlElement]) -> StructuralThread | None:
    item_ids = {id(i): n for n, i in enumerate(items)}
    comments: list[Comment] = []
    votes: list[int | None] = []
    removed: list[Removal] = []
    index_of: dict[int, int] = {}
    for n, item in enumerate(items):
        record = _record_loose(item, items)
        if record is None:
            continue
        parent = None
        for anc in item.iterancestors():
            if id(anc) in item_ids:
                parent = index_of.get(item_ids[id(anc)])
                break
        quoted = _cut_quotes(record.el, removed)
        earlier = [c.author or "" for c in comments]
        text, vote, named = _own_text(item, record, items, removed, earlier)
        if parent is None and named is not None:
            parent = named
        if parent is None:
            parent = _indented_parent(item, items, index_of)
        if not text:
            continue
        if parent is None and quoted:  # a flat thread answers by quoting: "Ana said: …"
            parent = next(
                (
                    k
                    for k in range(len(comments) - 1, -1, -1)
                    if (comments[k].author or "").casefold() == quoted.casefold()
                ),
                None,
            )
        author = record.author
        date = record.date
        published = None
        if date is not None:
            title = date.get("title") or ""  # a stamp's title may say "comment permalink"
            title = title if is_date_like(title) else ""
            published = collapse(date.get("datetime") or title or _stamp_text(date, record))
        index_of[n] = len(comments)
        comments.append(dated(Comment(author, text, parent=parent, votes=vote), published))
        votes.append(vote)
    if not comments or (len(comments) < 2 and len(items) > 1):
        return None
    return StructuralThread(comments, items, removed, votes)


def _record_loose(item: HtmlElement, items: list[HtmlElement]) -> _Record | None:
    """The record reading of the item with its nested replies cut away."""
    shell = copy.deepcopy(item)
    nested = {id(i) for i in items if i is not item}
    pairs = list(zip(item.iter(), shell.iter(), strict=True))
    for orig, node in pairs:
        if id(orig) in nested and node.getparent() is not None:
            node.getparent().remove(node)
    record = _record(shell)
    if record is None:
        return None
    return record


def _cut_quotes(shell: HtmlElement, removed: list[Removal]) -> str | None:
    """Cut the quoted posts ("<blockquote>Ana said: …</blockquote>") out of a record's
    text; the name of the first one quoted, when the quote names its author."""
    name = None
    for quote in list(shell.iter("blockquote")):
        if quote.getparent() is None:
            continue
        text = collapse(quote.text_content())
        head = re.split(r"[:：]", text, maxsplit=1)[0]
        who, says = strip_says(head + ":")
        if not says or not 1 <= len(who.split()) <= 4:
            continue  # a quotation without "X said:" is part of the comment
        name = name or strip_by(who)
        removed.append(Removal(text, "comment-chrome"))
        detach(quote)
    return name


def _own_text(
    item: HtmlElement,
    record: _Record,
    items: list[HtmlElement],
    removed: list[Removal],
    earlier: list[str],
) -> tuple[str, int | None, int | None]:
    """The record's text, its vote count, and the earlier comment its header line says
    it answers ("Hélène a répondu à un commentaire de Paul M. | 14 mai 2012")."""
    shell = record.el
    vote = None
    cut: set[HtmlElement] = set()
    for node in list(shell.iter()):
        if not isinstance(node.tag, str) or node.getparent() is None:
            continue
        if any(a in cut for a in node.iterancestors()):
            continue  # inside chrome already cut: a reply button's "0" is no vote count
        chrome = node.tag in _CHROME_TAGS and not (
            node.tag == "form" and not any(True for _ in node.iter("textarea", "input"))
        )  # old Reddit keeps each comment's text in a form.usertext
        if _action_list(node):
            cut.add(node)
            removed.append(Removal(collapse(node.text_content()), "comment-chrome"))
            detach(node)
            continue
        button = _button_link(node)
        if button and vote is None and not _REPLY_CLASS.search(node.get("class") or ""):
            # a like button shows its count ("공감 25"); a reply button its replies
            shown = re.fullmatch(r"[+-]?\d[\d.,]*", collapse(node.text_content()))
            vote = int(re.sub(r"\D", "", shown.group()) or 0) if shown else None
        if chrome or "avatar" in (node.get("class") or "").casefold() or button:
            cut.add(node)
            detach(node)
            continue
        text = collapse(node.text_content())
        hinted = bool(_VOTE_HINT.search((node.get("class") or "").casefold()))
        count = re.match(r"^[+-]?\d[\d.,]*(?=\s+\w+$|$)", text)  # "12", "12 points"
        if vote is None and count and is_date_like(text):
            continue  # "02.03.2024" is the stamp, not a count
        if vote is None and count and (hinted or (len(node) == 0 and is_count(text))):
            vote = int(re.sub(r"\D", "", count.group()) or 0)
    stamp = record.date
    if record.name is None and stamp is not None:  # the name is on the stamp's line
        words = len(collapse(stamp.text_content()).split())
        while stamp.getparent() is not None and stamp.getparent() is not shell:
            above = len(collapse(stamp.getparent().text_content()).split())
            if above > 14 or above - words > len((record.author or "").split()) + 3:
                break
            stamp = stamp.getparent()
    header = _header_line(shell, record.name, stamp)
    for node in (record.name, stamp):
        if node is not None and node.getparent() is not None:
            detach(node)
    named = None
    if header is not None and header.getparent() is not None:
        # what the name's and stamp's line holds besides them is a badge or a separator
        # ("OP", "Autor", "•"), or words naming an earlier poster: a reply marker in the
        # page's language ("replied to comment from Ana"); never the comment's text
        left = collapse(header.text_content())
        named = _names_earlier(left, earlier)
        if named is not None or (word_count(left) <= 3 and not _SENTENCE_END.search(left)):
            if left:
                removed.append(Removal(left, "comment-chrome"))
            detach(header)
    paragraphs = []
    for paragraph in block_text(shell).split("\n\n"):
        lines = [ln for ln in paragraph.split("\n") if ln.strip()]
        kept = [
            ln
            for ln in lines
            if not is_action(ln) and classify_line(ln) is None and reply_target(ln) is None
        ]
        if len(kept) < len(lines):
            removed.extend(Removal(ln, "comment-chrome") for ln in lines if ln not in kept)
        if kept:
            paragraphs.append(" ".join(kept) if len(kept) > 1 else kept[0])
    return "\n\n".join(paragraphs), vote, named


def _names_earlier(text: str, earlier: list[str]) -> int | None:
    """The latest earlier comment whose author the text ends with (separators aside)."""
    tail = text.strip(" |•·-–—:").casefold()
    if not tail:
        return None
    for k in range(len(earlier) - 1, -1, -1):
        name = earlier[k].casefold()
        if (
            name
            and tail.endswith(name)
            and (len(tail) == len(name) or not tail[-len(name) - 1].isalnum())
        ):
            return k
    return None


_INDENT = re.compile(r"(?:margin|padding)-left\s*:\s*(\d+)\s*px", re.IGNORECASE)


def _indented_parent(
    item: HtmlElement, items: list[HtmlElement], index_of: dict[int, int]
) -> int | None:
    """Flat records indented by inline style (LiveJournal's `margin-left: 30px` twigs):
    the latest earlier record indented less is the parent."""
    mine = _indent(item)
    if not mine:
        return None
    position = items.index(item)
    for n in range(position - 1, -1, -1):
        theirs = _indent(items[n])
        if theirs is not None and theirs < mine and n in index_of:
            return index_of[n]
    return None


def _indent(item: HtmlElement) -> int | None:
    """The inline left indent of the record or of the wrapper it alone fills."""
    node: HtmlElement | None = item
    for _ in range(3):
        if node is None:
            return None
        found = _INDENT.search(node.get("style") or "")
        if found:
            return int(found.group(1))
        parent = node.getparent()
        if parent is None or len([c for c in parent if isinstance(c.tag, str)]) != 1:
            return None
        node = parent
    return None
