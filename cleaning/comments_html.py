"""Reader comments from a page's server-rendered markup, as threaded `Comment` records.

Each supported comment platform is described as data (`ThreadSpec`: CSS selectors for the
comment section, one comment, its author, text and date, and the widget chrome inside it),
ordered specific -> general like trafilatura's xpaths.py. One generic walker turns any spec
into comments in page order (depth-first, as the page shows them), with `parent` = index of
the replied-to comment in the returned list.

`extract_comments(tree)` also *detaches* every recognised comment section from the tree, so
the body extractor that runs afterwards never sees comment text, and records the widget
chrome it threw away (titles, reply links, forms, pagination, vote counts) as removals.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cssselect import HTMLTranslator
from lxml import etree
from lxml.html import HtmlElement

from cleaning.types import Comment, Removal

__all__ = ["CommentsResult", "ThreadSpec", "THREAD_SPECS", "extract_comments"]

COMMENT_CHROME = "comment-chrome"


@dataclass(slots=True)
class CommentsResult:
    comments: list[Comment] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    platform: str | None = None


@dataclass(frozen=True, slots=True)
class ThreadSpec:
    """How one comment platform lays out its comments (all values are CSS selectors).

    `sections` are detached from the page whether or not they hold comments (comment forms,
    "Leave a reply" boxes); `items` are searched inside them. `author`, `text` and `date`
    are tried in order against the item, skipping matches that belong to a nested reply.
    `chrome` is removed from the comment text (reply links, votes, "edit"); `deleted` marks
    an item that is a placeholder for a removed comment. `nesting` says how replies sit:
    "ancestor" (reply inside its parent's element) or "indented-sibling" (Drupal: replies
    in a `div.indented` right after the parent comment).
    """

    platform: str
    sections: str
    items: str
    author: tuple[str, ...]
    text: tuple[str, ...]
    date: tuple[str, ...] = ("time[datetime]",)
    chrome: str = ""
    deleted: str = ""
    nesting: str = "ancestor"


# Chrome shared by most platforms: reply/edit/permalink/report links, vote widgets, avatars.
_COMMON_CHROME = (
    ".reply, .comment-reply-link, .edit-link, .comment-edit-link, .report-link, "
    ".comment-awaiting-moderation, .comment-actions, .comment-footer, .avatar, "
    "button, form, script, style, noscript"
)

THREAD_SPECS: tuple[ThreadSpec, ...] = (
    # WordPress core (wp-includes/class-walker-comment.php, html5 and legacy markup):
    # ol.comment-list > li.comment > article.comment-body + ol.children. Pingbacks and
    # trackbacks carry `pingback`/`trackback` instead of `comment`, so `li.comment` skips them.
    ThreadSpec(
        platform="wordpress",
        sections=(
            "#comments, .comments-area, ol.comment-list, ol.commentlist, ul.comment-list, "
            "ul.commentlist, #respond, .comment-respond, #trackbacks, #pings"
        ),
        items="li.comment",
        author=(".comment-author .fn", ".comment-author cite", ".comment-author"),
        text=(".comment-content", ".comment-text", ".comment-body"),
        date=(
            ".comment-metadata time[datetime]",
            "time[datetime]",
            ".comment-metadata a",
            ".commentmetadata a",
            ".comment-meta a",
        ),
        chrome=(
            _COMMON_CHROME + ", .comment-author, .comment-meta, .comment-metadata, "
            ".commentmetadata, ol.children, ul.children"
        ),
    ),
)


def extract_comments(tree: HtmlElement) -> CommentsResult:
    """Parse the comments of `tree` and detach every comment section from it (in place)."""
    result = CommentsResult()
    for spec in THREAD_SPECS:
        sections = _outermost(_css(spec.sections)(tree))
        if not sections:
            continue
        if not result.comments:
            comments = _walk(spec, sections, result.removed)
            if comments:
                result.comments, result.platform = comments, spec.platform
        for section in sections:
            _record_chrome(section, spec, result.removed)
            _detach(section)
    if not result.comments:
        result.comments = jsonld_comments(tree)
        result.platform = "json-ld" if result.comments else None
    return result


# --- the generic walker -------------------------------------------------------------------


def _walk(spec: ThreadSpec, sections: list[HtmlElement], removed: list[Removal]) -> list[Comment]:
    select_items = _css(spec.items)
    items: list[HtmlElement] = []
    for section in sections:
        items.extend(select_items(section))
    items = list(dict.fromkeys(items))  # sections never overlap, but be safe; keeps order
    item_set = set(items)
    index_of: dict[HtmlElement, int | None] = {}  # item -> index in `comments` (None: dropped)
    comments: list[Comment] = []
    for item in items:
        parent_item = _parent_item(item, item_set, spec.nesting)
        parent = _kept_ancestor(parent_item, index_of, item_set, spec.nesting)
        text = _comment_text(item, spec, item_set)
        if not text or (spec.deleted and _css(spec.deleted)(item)):
            index_of[item] = None
            if text:
                removed.append(Removal(text, COMMENT_CHROME))
            continue
        index_of[item] = len(comments)
        comments.append(
            Comment(
                author=_first_text(item, spec.author, item_set),
                text=text,
                published=_date(item, spec.date, item_set),
                parent=parent,
            )
        )
    return comments


def _parent_item(item: HtmlElement, item_set: set[HtmlElement], nesting: str) -> HtmlElement | None:
    node = item.getparent()
    while node is not None:
        if node in item_set:
            return node
        if nesting == "indented-sibling" and _has_class(node, "indented"):
            sibling = node.getprevious()
            while sibling is not None and sibling not in item_set:
                sibling = sibling.getprevious()
            if sibling is not None:
                return sibling
        node = node.getparent()
    return None


def _kept_ancestor(
    parent_item: HtmlElement | None,
    index_of: dict[HtmlElement, int | None],
    item_set: set[HtmlElement],
    nesting: str,
) -> int | None:
    """Index of the nearest ancestor comment that was kept: a reply to a deleted comment
    hangs from the deleted comment's own parent."""
    while parent_item is not None:
        index = index_of.get(parent_item)
        if index is not None:
            return index
        parent_item = _parent_item(parent_item, item_set, nesting)
    return None


def _owned(item: HtmlElement, el: HtmlElement, item_set: set[HtmlElement]) -> bool:
    """Whether `el` belongs to `item` itself rather than to a reply nested inside it."""
    node = el
    while node is not None:
        if node in item_set:
            return node is item
        node = node.getparent()
    return False


def _own_matches(item: HtmlElement, css: str, item_set: set[HtmlElement]) -> Iterator[HtmlElement]:
    for el in _css(css, relative=True)(item):
        if el is not item and _owned(item, el, item_set):
            yield el


def _first_text(
    item: HtmlElement, selectors: Iterable[str], item_set: set[HtmlElement]
) -> str | None:
    for css in selectors:
        for el in _own_matches(item, css, item_set):
            text = collapse(el.text_content())
            if text:
                return text
    return None


def _date(item: HtmlElement, selectors: Iterable[str], item_set: set[HtmlElement]) -> str | None:
    for css in selectors:
        for el in _own_matches(item, css, item_set):
            value = el.get("datetime") or el.get("content") or el.get("title")
            value = collapse(value or el.text_content())
            if value:
                return value
    return None


def _comment_text(item: HtmlElement, spec: ThreadSpec, item_set: set[HtmlElement]) -> str:
    root = None
    for css in spec.text:
        root = next(_own_matches(item, css, item_set), None)
        if root is not None:
            break
    root = copy.deepcopy(root if root is not None else item)
    strip = spec.chrome + (", " + spec.items if spec.items else "")
    for el in list(_css(strip, relative=True)(root)):
        if el is not root:
            _detach(el)
    return block_text(root)


def _record_chrome(section: HtmlElement, spec: ThreadSpec, removed: list[Removal]) -> None:
    """Record the section's text that is not comment content (titles, forms, pagination)."""
    shell = copy.deepcopy(section)
    for el in list(_css(spec.items, relative=True)(shell)):
        if el.getparent() is not None:
            _detach(el)
    text = block_text(shell)
    if text:
        removed.append(Removal(text, COMMENT_CHROME))


# --- JSON-LD (schema.org Comment) ------------------------------------------------------------


def jsonld_comments(tree: HtmlElement) -> list[Comment]:
    """Comments declared in JSON-LD: `Comment` objects, `comment` arrays on any object
    (Article, DiscussionForumPosting, ...), with replies nested in their own `comment`."""
    comments: list[Comment] = []
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for holder in _iter_objects(data):
            for obj in _as_list(holder.get("comment")):
                _add_jsonld_comment(obj, None, comments)
    return comments


def _add_jsonld_comment(obj: Any, parent: int | None, out: list[Comment]) -> None:
    if not isinstance(obj, dict):
        return
    text = collapse(str(obj.get("text") or obj.get("articleBody") or ""))
    index = parent
    if text:
        author = obj.get("author")
        if isinstance(author, list):
            author = author[0] if author else None
        if isinstance(author, dict):
            author = author.get("name") or author.get("alternateName")
        date = obj.get("dateCreated") or obj.get("datePublished")
        out.append(Comment(collapse(str(author)) if author else None, text, date, parent))
        index = len(out) - 1
    for reply in _as_list(obj.get("comment")):
        _add_jsonld_comment(reply, index, out)


def _iter_objects(data: Any) -> Iterator[dict[str, Any]]:
    """Top-level JSON-LD objects, including the members of `@graph` (not comment replies:
    those are walked by `_add_jsonld_comment`)."""
    for obj in _as_list(data):
        if isinstance(obj, dict):
            yield obj
            yield from _iter_objects(obj.get("@graph"))
            main = obj.get("mainEntity")
            if isinstance(main, dict):
                yield main


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- small helpers -------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")
_BLOCK_TAGS = frozenset(
    "p div li ul ol blockquote pre h1 h2 h3 h4 h5 h6 table tr section article header "
    "footer aside nav dl dt dd figure figcaption form".split()
)


def collapse(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def block_text(root: HtmlElement) -> str:
    """Text of an element with block boundaries kept: paragraphs joined by a blank line,
    whitespace inside each collapsed. Works on a copy, so `root` may be shared."""
    root = copy.deepcopy(root)
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCK_TAGS:
            el.text = "\n\n" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
    text = "".join(root.itertext()) if isinstance(root.tag, str) else ""
    parts = (collapse(part) for part in _BLANK_LINES.split(text))
    return "\n\n".join(part for part in parts if part)


def _has_class(el: HtmlElement, name: str) -> bool:
    return name in (el.get("class") or "").split()


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """Drop matches nested in another match (the outer one is detached with them)."""
    chosen = set(elements)
    result = []
    for el in elements:
        node = el.getparent()
        while node is not None and node not in chosen:
            node = node.getparent()
        if node is None:
            result.append(el)
    return result


def _detach(el: HtmlElement) -> None:
    """Remove `el` but keep its tail text, which belongs to the surrounding content."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


_TRANSLATOR = HTMLTranslator()
_COMPILED: dict[tuple[str, bool], Callable[[HtmlElement], list[HtmlElement]]] = {}


def _css(selector: str, relative: bool = False) -> Callable[[HtmlElement], list[HtmlElement]]:
    """Compiled CSS selector (cached): `relative` searches below the element only."""
    key = (selector, relative)
    if key not in _COMPILED:
        prefix = "descendant::" if relative else "descendant-or-self::"
        _COMPILED[key] = etree.XPath(_TRANSLATOR.css_to_xpath(selector, prefix=prefix))
    return _COMPILED[key]
