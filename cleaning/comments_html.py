"""Reader comments from a page's server-rendered markup, as threaded `Comment` records.

Each supported comment platform is described as data (`ThreadSpec`: selectors for the
comment section, one comment, its author, text and date, and the widget chrome inside it),
ordered specific -> general like trafilatura's xpaths.py. One generic walker turns any spec
into comments in page order (depth-first, as the page shows them), with `parent` = index of
the replied-to comment in the returned list. JSON-LD `Comment` objects are the fallback when
no markup platform is recognised.

`extract_comments(tree)` also *detaches* every recognised comment section from the tree, so
the body extractor that runs afterwards never sees comment text, and records the widget
chrome it threw away (titles, reply links, forms, pagination, vote counts) as removals.
Wording-based decisions (is this paragraph "Reply"/"Load more"/"This comment was deleted"?)
use the shared `comment-chrome` rule family of `cleaning.rules`.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from lxml.html import HtmlElement

from cleaning.comment_signals import dated, strip_by, strip_says
from cleaning.comments_structure import StructuralThread, find_thread
from cleaning.html_select import (
    PageIndex,
    block_text,
    collapse,
    css,
    detach,
    matches,
    outermost,
)
from cleaning.rules import claimed_by
from cleaning.types import Comment, Removal

__all__ = ["THREAD_SPECS", "CommentsResult", "ThreadSpec", "extract_comments", "jsonld_comments"]

COMMENT_CHROME = "comment-chrome"
_CHROME = frozenset({COMMENT_CHROME})  # claimed_by: cheap on long comment text


# Vote / like counters across platforms (Disqus, wpDiscuz, Reddit, JComments, Coral...).
_VOTES = (
    ".voting .count, .wpd-vote-result, .score, .vote-good, .votes, .vote-count, .likes, "
    ".like-count, .post-likes, [class*='-votes'], [class*='vote-count']"
)


@dataclass(slots=True)
class CommentsResult:
    comments: list[Comment] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    platform: str | None = None


@dataclass(frozen=True, slots=True)
class ThreadSpec:
    """How one comment platform lays out its comments.

    `sections` (page-wide, simple selectors: `tag.class#id[attr=v]`, descendant chains)
    are detached from the page whether or not they hold comments (comment forms, "Leave a
    reply" boxes). `items` (CSS, searched inside the sections) are single comments.
    `author`, `text` and `date` (CSS) are tried in order against each item, skipping
    matches that belong to a nested reply. `chrome` (CSS) is cut from the comment text
    (reply links, votes, "edit"); `deleted` (CSS) marks a placeholder for a removed comment.
    `nesting` says how replies sit: "ancestor" (inside the parent comment's element),
    "indented-sibling" (Drupal: in a `div.indented` right after the parent) or "flat".
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
    exclude: str = ""  # CSS: sections/items that are not comments (a topic's first post)
    # Page-wide selector that must match for this platform to apply at all (for markup
    # like `article.post` that is only a comment inside that platform's own page).
    requires: str = ""
    # nesting="reference": `parent_ref` (CSS, inside the item) carries in `parent_ref_attr`
    # the id of the replied-to post, whose item has id `parent_id_prefix` + that id.
    parent_ref: str = ""
    parent_ref_attr: str = ""
    parent_id_prefix: str = ""
    # CSS: the vote / like counter of a comment (its number is kept as Comment.votes).
    votes: str = _VOTES


# Chrome shared by every platform: links and buttons around a comment, avatars, forms.
_COMMON_CHROME = (
    ".reply, .comment-reply-link, .edit-link, .comment-edit-link, .report-link, "
    ".comment-awaiting-moderation, .comment-actions, .avatar, button, form, script, style, "
    "noscript, svg, textarea, select"
)
# Placeholders some platforms leave where a deleted/removed comment was.
_DELETED = ".deleted, .comment-deleted, .is-deleted, .post-deleted, .wpd-comment-deleted"

THREAD_SPECS: tuple[ThreadSpec, ...] = (
    # wpDiscuz 7 (wpdiscuz/themes/default/comment-form/ and class.WpdiscuzWalker.php):
    # div#wpdcom > .wpd-thread-list > div.wpd-comment (replies nested, .wpd-reply).
    # Its chrome: subscribe bar ("Notify of"), sorting ("Newest/Oldest/Most Voted"),
    # "Inline Feedbacks", vote counters, "Load More Comments" button.
    ThreadSpec(
        platform="wpdiscuz",
        sections="#wpdcom, .wpdiscuz_top_clearing, #comments, .comments-area, #respond",
        items=".wpd-comment",
        author=(".wpd-comment-author",),
        text=(".wpd-comment-text",),
        date=(".wpd-comment-date",),
        chrome=_COMMON_CHROME + ", .wpd-comment-footer, .wpd-vote, .wpd-reply-button",
        deleted=_DELETED,
    ),
    # Disqus: the WordPress plugin's server-side fallback (ul#dsq-comments, li[id^=dsq-])
    # and Disqus's own thread markup (ul#post-list > li.post, .post-message).
    ThreadSpec(
        platform="disqus",
        sections=(
            "#disqus_thread, #dsq-content, #dsq-comments, ul#post-list, #disqus_recommendations"
        ),
        items="li.post, li[id^='dsq-comment-']",
        author=(".post-byline .author", ".author", "cite", ".dsq-comment-header"),
        text=(".post-message", ".dsq-comment-message", ".dsq-comment-body"),
        date=(".time-ago", ".post-meta a[title]", "time[datetime]", ".dsq-comment-meta a"),
        chrome=_COMMON_CHROME + ", .comment__footer, .voting, .post-menu, .dsq-comment-footer",
        deleted=_DELETED + ", li.post.minimized",
    ),
    # Drupal 8-11 (comment.html.twig in Olivero/Claro/Bartik, and Drupal 7's comment.tpl):
    # article.comment (D7: div.comment); replies in the div.indented after their parent;
    # the body in div.field--name-comment-body; the subject heading is chrome.
    ThreadSpec(
        platform="drupal",
        sections=(
            "section.comment-wrapper, div.comment-wrapper, .field--type-comment, "
            ".field--name-comment, #comment-form, .comment-form"
        ),
        items="article.comment, div.comment",
        author=(".comment__author", ".commenter-name", ".username", "[rel='author']"),
        text=(
            ".field--name-comment-body",
            ".field-name-comment-body",
            ".comment__content",
            ".content",
        ),
        date=(".comment__time", ".comment-time", "time[datetime]", ".submitted"),
        chrome=_COMMON_CHROME + ", ul.links, .links, .comment__permalink, .permalink, h3",
        deleted=_DELETED,
        nesting="indented-sibling",
    ),
    # Discourse topic pages. Crawler view (topics/show.html.erb for bots and no-JS):
    # div.crawler-post, replies carry itemprop=comment; the first post is the article,
    # so only the reply posts are sections. App view: div.topic-post with post-number,
    # div.cooked, .username.
    ThreadSpec(
        platform="discourse",
        sections=(
            "div.crawler-post[itemprop=comment], div.topic-post[data-post-number], "
            "div.crawler-nav, div[role=navigation][itemtype$=SiteNavigationElement]"
        ),
        items="div.crawler-post[itemprop='comment'], div.topic-post",
        author=(
            "[itemprop='author'] [itemprop='name']",
            ".username",
            ".creator",
            ".names .first",
        ),
        text=(".cooked", "[itemprop='text']", ".post"),
        date=(
            "time[datetime]",
            "[itemprop='datePublished']",
            ".relative-date[title]",
            ".post-date",
        ),
        chrome=(
            _COMMON_CHROME + ", .post-menu-area, .post-controls, .post-likes, .in-reply-to, "
            ".reply-to-tab, .topic-map, .post-links-container, [itemprop='interactionStatistic']"
        ),
        deleted=_DELETED + ", .deleted-post",
        nesting="flat",
        exclude="[data-post-number='1'], #post_1",
    ),
    # Discourse embeds (app/views/embed/comments.html.erb, layouts/embed.html.erb): the
    # iframe page a blog shows under a post. header.discourse, then article.post per reply
    # (`.deleted` when trashed), the author in h3.username inside div.cooked, the date as
    # a.post-date[title], and an a.in-reply-to[data-link-to-post] naming the parent post.
    ThreadSpec(
        platform="discourse-embed",
        requires="header.discourse, meta#data-embedded",
        sections="article.post, header.discourse, footer.clearfix",
        items="article.post",
        author=(".username a", ".username"),
        text=(".cooked",),
        date=("a.post-date[title]", ".post-date"),
        chrome=_COMMON_CHROME + ", .username, .post-replies, .in-reply-to, .post-date",
        deleted=_DELETED,
        nesting="reference",
        parent_ref="a.in-reply-to[data-link-to-post]",
        parent_ref_attr="data-link-to-post",
        parent_id_prefix="post-",
    ),
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
        # older and wordpress.com themes spell the header `comment_author`
        author=(
            ".comment-author .fn",
            ".comment-author cite",
            ".comment-author",
            ".comment_author .fn",
        ),
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
            ".commentmetadata, .comment_author, .comment_meta, ol.children, ul.children"
        ),
        deleted=_DELETED,
    ),
    # Forum threads: phpBB prosilver (viewtopic_body.html: div.post.has-profile >
    # dl.postprofile + div.postbody > p.author + div.content) and vBulletin 4/5
    # (li.postcontainer / li.postbitlegacy, .postcontent / blockquote.postcontent).
    # Posts are flat; a reply shows whom it answers by quoting them ("X wrote:").
    ThreadSpec(
        platform="forum",
        sections="div.post.has-profile, li.postcontainer, li.postbitlegacy, div.postbit",
        items="div.post.has-profile, li.postcontainer, li.postbitlegacy, div.postbit",
        author=(".postprofile .username", "p.author .username", ".username", ".postauthor"),
        text=(".content", ".postcontent", ".post_message", ".postbody"),
        date=("p.author time[datetime]", "time[datetime]", ".postdate", ".date", "p.author"),
        chrome=(
            _COMMON_CHROME + ", blockquote, .signature, .notice, .back2top, .postprofile, "
            "p.author, h3, .posthead, .postfoot"
        ),
        deleted=_DELETED,
        nesting="quote",
        parent_ref=(
            "blockquote cite, blockquote .bbcode_postedby, .bbcode_quote .quote_container strong"
        ),
    ),
    # schema.org microdata on any template: itemscope itemtype=".../Comment".
    ThreadSpec(
        platform="microdata",
        sections="[itemtype$='/Comment'], [itemprop=comment]",
        items="[itemtype$='/Comment']",
        author=(
            "[itemprop='author'] [itemprop='name']",
            "[itemprop='author']",
            "[itemprop='creator']",
        ),
        text=("[itemprop='text']", "[itemprop='commentText']", "[itemprop='description']"),
        date=("[itemprop='dateCreated']", "[itemprop='datePublished']", "time[datetime]"),
        chrome=_COMMON_CHROME,
        deleted=_DELETED,
    ),
    # Last resort: a section called "comments" with items called "comment" (custom CMSs).
    ThreadSpec(
        platform="generic",
        sections=(
            "#comments, .comments, #comment-section, .comment-section, .comments-section, "
            "#comments-section, .comment-list, .comments-list, .comment-thread, "
            ".comments-wrapper, .comments-container, .comments-block, .article-comments, "
            ".story-comments, .post-comments, .reader-comments, #reader-comments, .js-comments"
        ),
        items=(
            "li.comment, article.comment, div.comment, li.comment-item, div.comment-item, "
            "li[id^='comment-'], div[id^='comment-'][class]"
        ),
        author=(
            ".comment-author",
            ".comment__author",
            ".author",
            ".username",
            ".user-name",
            ".name",
            "[rel~='author']",
            "cite",
        ),
        text=(
            ".comment-content",
            ".comment-body",
            ".comment-text",
            ".comment__body",
            ".comment__text",
            ".content",
            ".text",
            ".message",
            ".body",
        ),
        date=("time[datetime]", ".comment-date", ".date", ".timestamp", ".time"),
        chrome=(
            _COMMON_CHROME + ", .comment-author, .comment__author, .author, .username, "
            ".user-name, .name, cite, time, .comment-date, .date, .timestamp, .meta, "
            ".comment-meta, .votes, .vote, .likes, .comment-footer, .children, .replies"
        ),
        deleted=_DELETED,
    ),
)


_ALL_ITEMS = ", ".join(spec.items for spec in THREAD_SPECS)
# Page-wide look-ups this module makes (for a shared PageIndex).
PAGE_SELECTORS = tuple(
    selector for spec in THREAD_SPECS for selector in (spec.sections, spec.requires) if selector
)


def extract_comments(tree: HtmlElement, index: PageIndex | None = None) -> CommentsResult:
    """Parse the comments of `tree` and detach every comment section from it (in place).

    All platforms' sections are found first; the platform whose reading of them names the
    most comment authors supplies the comments (ties: table order); then every platform's
    sections are detached
    (a page may carry leftovers of another widget, e.g. a WordPress form under wpDiscuz).
    """
    result = CommentsResult()
    index = index or PageIndex(tree, PAGE_SELECTORS)
    found = []
    for spec in THREAD_SPECS:
        if spec.requires and not index.select(spec.requires):
            continue
        sections = [
            el
            for el in index.select(spec.sections)
            if not _excluded(el, spec) and not _holds_h1(el)
        ]
        found.append((spec, outermost(sections)))
    # Themes mix conventions (a WordPress list with BEM-named parts): when several
    # platforms read the thread, keep the reading that names the most authors (ties:
    # table order). A reading names at most as many authors as its items show, so the
    # platforms are read in that order and the reading stops once none can do better:
    # the full reading (texts, dates, votes) is most of the cost of this pass.
    readings = []
    for order, (spec, sections) in enumerate(found):
        if sections:
            items, item_set = _items(spec, sections)
            bound = sum(1 for item in items if _author(item, spec, item_set))
            readings.append((bound, order, spec, sections, items, item_set))
    best = None  # (authors named, comments, chrome, items, spec, order)
    for bound, order, spec, _sections, items, item_set in sorted(
        readings, key=lambda r: (-r[0], r[1])
    ):
        if best is not None and (bound, -order) <= (best[0], -best[5]):
            break
        chrome: list[Removal] = []
        comments = _walk(spec, items, item_set, chrome)
        score = sum(1 for c in comments if c.author)
        if comments and (best is None or (score, -order) > (best[0], -best[5])):
            best = (score, comments, chrome, items, spec, order)
    if best is None or len(best[1]) <= 1 or _guessed_badly(best[4], best[1]):
        thread = find_thread(tree)
        if thread is not None and _reads_better(thread.comments, best[1] if best else []):
            _take_structural(thread, result)
            best = None
    if best is not None:
        _, result.comments, chrome, items, spec, _ = best
        result.platform = spec.platform
        result.removed.extend(chrome)
        found.append((spec, _thread_container(items)))
    doomed: list[HtmlElement] = []
    for spec, sections in found:
        if spec.platform == "generic" and result.platform != "generic":
            # a box merely called "comments" is cut only when it holds a comment form or
            # is a short placeholder ("Comments", "Loading comments…")
            sections = [s for s in sections if css("form, textarea")(s) or _is_short(s)]
        doomed.extend(sections)
    for section in outermost(list(dict.fromkeys(doomed))):
        _record_chrome(section, result.removed)
        detach(section)
    if not result.comments:
        result.comments = jsonld_comments(tree)
        result.platform = "json-ld" if result.comments else None
    return result


def _guessed_badly(spec: ThreadSpec, comments: list[Comment]) -> bool:
    """The catch-all reading (a box merely called "comments") left names or times out:
    its selectors guessed the markup, and the record shapes may read it better (TypePad's
    "Posted by: Derek | February 08, 2012 at 10:15 PM" footers name no author class)."""
    return spec.platform == "generic" and any(not c.author or not c.published for c in comments)


def _reads_better(found: list[Comment], platform: list[Comment]) -> bool:
    """More comments; or the same comments (the same texts, in order) with no fewer names
    and times and more of one of them."""
    if len(found) != len(platform):
        return len(found) > len(platform)
    if any(
        collapse(a.text)[:40] != collapse(b.text)[:40] for a, b in zip(found, platform, strict=True)
    ):
        return False
    names = (sum(1 for c in found if c.author), sum(1 for c in platform if c.author))
    times = (sum(1 for c in found if c.published), sum(1 for c in platform if c.published))
    more = names[0] > names[1] or times[0] > times[1]
    return names[0] >= names[1] and times[0] >= times[1] and more


def _take_structural(thread: StructuralThread, result: CommentsResult) -> None:
    """No platform rule read the thread: take the one found by its repeated record shape,
    and detach it."""
    result.comments = thread.comments
    result.platform = "structure"
    result.removed.extend(thread.removed)
    container = _thread_container(thread.items) or outermost(thread.items)
    for section in outermost(container):
        _record_chrome(section, result.removed)
        detach(section)


def _thread_container(items: list[HtmlElement]) -> list[HtmlElement]:
    """The element holding the whole thread (heading, pagination, "older comments"), when
    the items' lowest common ancestor is almost only comments: chrome text at most a
    quarter of it. Platforms whose sections are the comments themselves (microdata,
    Discourse) leave their thread heading and pager to this."""
    tops = outermost(items)
    if len(tops) < 2:
        return []
    ancestors = list(tops[0].iterancestors())
    common = set(ancestors)
    for item in tops[1:]:
        common &= set(item.iterancestors())
    lca = next((a for a in ancestors if a in common), None)
    if lca is None or lca.tag in ("body", "html"):
        return []
    total = len(collapse(lca.text_content()))
    inside = sum(len(collapse(item.text_content())) for item in tops)
    return [lca] if total - inside <= max(80, total // 4) else []


def _is_short(section: HtmlElement) -> bool:
    return len(collapse(section.text_content()).split()) <= 12


def _excluded(el: HtmlElement, spec: ThreadSpec) -> bool:
    return bool(spec.exclude) and matches(el, spec.exclude)


# --- the generic walker -------------------------------------------------------------------


def _items(spec: ThreadSpec, sections: list[HtmlElement]) -> tuple[list[HtmlElement], _ItemSet]:
    """The comment items of these sections, in page order."""
    select_items = css(spec.items)
    items: list[HtmlElement] = []
    for section in sections:
        if matches(section, spec.items):
            items.append(section)
        items.extend(select_items(section))
    items = list(dict.fromkeys(items))  # keeps page order
    # A comment never holds the page headline (an `article.post` page read as an item),
    # and a part of a comment (`div#comment-body-7` inside `div#comment-7`) with no author
    # of its own is no reply.
    items = [item for item in items if not _excluded(item, spec) and not _holds_h1(item)]
    item_set = _ItemSet(items, sections)
    items = [
        item
        for item in items
        if not _has_ancestor_in(item, item_set) or _first_text(item, spec.author, item_set)
    ]
    return items, _ItemSet(items, sections)


def _walk(
    spec: ThreadSpec, items: list[HtmlElement], item_set: _ItemSet, removed: list[Removal]
) -> list[Comment]:
    """The comments read from these items."""
    index_of: dict[HtmlElement, int | None] = {}  # item -> index in `comments` (None: dropped)
    comments: list[Comment] = []
    for item in items:
        parent_item = _parent_item(item, item_set, spec)
        parent = _kept_ancestor(parent_item, index_of, item_set, spec)
        text = _comment_text(item, spec, item_set, removed)
        deleted = bool(spec.deleted and matches(item, spec.deleted))
        if not text or deleted or claimed_by(text, _CHROME):
            index_of[item] = None
            if text:
                removed.append(Removal(text, COMMENT_CHROME))
            continue
        index_of[item] = len(comments)
        comment = Comment(
            author=_author(item, spec, item_set),
            text=text,
            parent=parent,
            votes=_votes(item, spec, item_set),
        )
        comments.append(dated(comment, _date(item, spec.date, item_set)))
    if spec.nesting == "quote":
        comments = _parents_from_quotes(comments, items, index_of, spec, item_set)
    return comments


def _parents_from_quotes(
    comments: list[Comment],
    items: list[HtmlElement],
    index_of: dict[HtmlElement, int | None],
    spec: ThreadSpec,
    item_set: _ItemSet,
) -> list[Comment]:
    """A forum post answers the latest earlier post by the author it quotes."""
    out = list(comments)
    for item in items:
        index = index_of.get(item)
        if index is None:
            continue
        quoted = _first_text(item, (spec.parent_ref,), item_set)
        if not quoted:
            continue
        name = strip_says(quoted)[0].casefold()
        for earlier in range(index - 1, -1, -1):
            if (out[earlier].author or "").casefold() == name:
                c = out[index]
                out[index] = replace(c, parent=earlier)
                break
    return out


def _holds_h1(item: HtmlElement) -> bool:
    return any(True for _ in item.iter("h1"))


def _has_ancestor_in(item: HtmlElement, item_set: set[HtmlElement]) -> bool:
    return any(a in item_set for a in item.iterancestors())


def _parent_item(item: HtmlElement, item_set: _ItemSet, spec: ThreadSpec) -> HtmlElement | None:
    if spec.nesting in ("flat", "quote"):
        return None  # "quote": set from the quoted name once authors are known
    if spec.nesting == "reference":
        for ref in _own_matches(item, spec.parent_ref, item_set):
            wanted = spec.parent_id_prefix + (ref.get(spec.parent_ref_attr) or "")
            return next((other for other in item_set if other.get("id") == wanted), None)
        return None
    node = item.getparent()
    while node is not None:
        if node in item_set:
            return node
        if spec.nesting == "indented-sibling" and "indented" in (node.get("class") or "").split():
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
    item_set: _ItemSet,
    spec: ThreadSpec,
) -> int | None:
    """Index of the nearest ancestor comment that was kept: a reply to a deleted comment
    hangs from the deleted comment's own parent. Only earlier comments can be parents."""
    seen: set[HtmlElement] = set()
    while parent_item is not None and parent_item not in seen:
        seen.add(parent_item)
        index = index_of.get(parent_item)
        if index is not None:
            return index
        parent_item = _parent_item(parent_item, item_set, spec)
    return None


class _ItemSet(set):
    """The items of one walk, with each selector's matches grouped by the item that owns
    them: one query over the sections per selector, instead of one per item that also
    re-reads every nested reply (quadratic in a deep thread, and most of the comment
    pass's cost per page)."""

    def __init__(self, items: Iterable[HtmlElement], sections: list[HtmlElement]) -> None:
        super().__init__(items)
        self.sections = sections
        self.by_selector: dict[str, dict[HtmlElement, list[HtmlElement]]] = {}

    def owned(self, item: HtmlElement, selector: str) -> list[HtmlElement]:
        groups = self.by_selector.get(selector)
        if groups is None:
            groups = self.by_selector[selector] = {}
            query = css(selector)
            seen: set[HtmlElement] = set()
            for section in self.sections:
                for el in query(section):
                    if el in seen:
                        continue
                    seen.add(el)
                    owner = _owner(el, self)
                    if owner is not None:
                        groups.setdefault(owner, []).append(el)
        return groups.get(item, [])


def _owner(el: HtmlElement, item_set: set[HtmlElement]) -> HtmlElement | None:
    """The item `el` belongs to: the nearest of itself and its ancestors that is an item
    (a reply nested inside an item owns what is inside it)."""
    node = el
    while node is not None:
        if node in item_set:
            return node
        node = node.getparent()
    return None


def _own_matches(item: HtmlElement, selector: str, item_set: _ItemSet) -> Iterator[HtmlElement]:
    """The matches of `selector` that belong to `item` itself, not to a nested reply."""
    yield from item_set.owned(item, selector)


def _first_text(item: HtmlElement, selectors: Iterable[str], item_set: _ItemSet) -> str | None:
    for selector in selectors:
        for el in _own_matches(item, selector, item_set):
            text = collapse(el.text_content())
            if text:
                return text
    return None


def _author(item: HtmlElement, spec: ThreadSpec, item_set: _ItemSet) -> str | None:
    """The author's name without a trailing "says"/"schrieb" or a "by"/"von" in front."""
    name = _first_text(item, spec.author, item_set)
    return strip_by(strip_says(name)[0]) or None if name else None


def _votes(item: HtmlElement, spec: ThreadSpec, item_set: _ItemSet) -> int | None:
    count = _first_text(item, (spec.votes,), item_set)
    digits = re.match(r"^[+-]?\d[\d.,]*", count or "")
    return int(re.sub(r"\D", "", digits.group())) if digits else None


def _date(item: HtmlElement, selectors: Iterable[str], item_set: _ItemSet) -> str | None:
    for selector in selectors:
        for el in _own_matches(item, selector, item_set):
            value = el.get("datetime") or el.get("content") or el.get("title")
            value = collapse(value or el.text_content())
            if value:
                return value
    return None


def _comment_text(
    item: HtmlElement, spec: ThreadSpec, item_set: _ItemSet, removed: list[Removal]
) -> str:
    root = None
    for selector in spec.text:
        root = next(_own_matches(item, selector, item_set), None)
        if root is not None:
            break
    root = copy.deepcopy(root if root is not None else item)
    for el in list(css(spec.chrome + ", " + spec.items)(root)):
        detach(el)
    paragraphs = []
    for paragraph in block_text(root).split("\n\n"):
        if claimed_by(paragraph, _CHROME):
            removed.append(Removal(paragraph, COMMENT_CHROME))
        else:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _record_chrome(section: HtmlElement, removed: list[Removal]) -> None:
    """Record the section's text that is not comment content (titles, forms, pagination)."""
    if matches(section, _ALL_ITEMS):
        return
    shell = copy.deepcopy(section)
    for el in list(css(_ALL_ITEMS)(shell)):
        detach(el)
    text = block_text(shell)
    if text:
        removed.append(Removal(text, COMMENT_CHROME))


# --- JSON-LD (schema.org Comment) ------------------------------------------------------------


def jsonld_comments(tree: HtmlElement) -> list[Comment]:
    """Comments declared in JSON-LD: `comment` arrays on any object (Article,
    DiscussionForumPosting, ...), top-level `Comment`/`UserComments` objects, with
    replies nested in their own `comment`."""
    comments: list[Comment] = []
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for obj in _iter_objects(data):
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if "Comment" in kinds or "UserComments" in kinds:
                _add_jsonld_comment(obj, None, comments)
            else:
                for child in _as_list(obj.get("comment")):
                    _add_jsonld_comment(child, None, comments)
    return comments


def _add_jsonld_comment(obj: Any, parent: int | None, out: list[Comment]) -> None:
    if not isinstance(obj, dict):
        return
    text = str(obj.get("text") or obj.get("commentText") or obj.get("articleBody") or "")
    text = "\n\n".join(p for p in (collapse(x) for x in text.split("\n\n")) if p)
    index = parent
    if text:
        author = obj.get("author") or obj.get("creator")
        if isinstance(author, list):
            author = author[0] if author else None
        if isinstance(author, dict):
            author = author.get("name") or author.get("alternateName")
        date = obj.get("dateCreated") or obj.get("datePublished") or obj.get("commentTime")
        comment = Comment(collapse(str(author)) if author else None, text, parent=parent)
        out.append(dated(comment, str(date) if date else None))
        index = len(out) - 1
    for reply in _as_list(obj.get("comment")):
        _add_jsonld_comment(reply, index, out)


def _iter_objects(data: Any) -> Iterator[dict[str, Any]]:
    """Top-level JSON-LD objects, the members of `@graph` and `mainEntity` (not comment
    replies: `_add_jsonld_comment` walks those)."""
    for obj in _as_list(data):
        if isinstance(obj, dict):
            yield obj
            yield from _iter_objects(obj.get("@graph"))
            yield from _iter_objects(obj.get("mainEntity"))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
