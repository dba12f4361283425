"""Page triage: is a fetched page an article to clean, or something to record as a skip?

One module for the `news` spider and `ingest-warc`, so a page crawled and the same page
read from a WARC are judged alike:

    bytes + Content-Type + URL
      -> HTML or not            (`not-html`; feeds are flagged for the spider to follow)
      -> decoded text           (`bad-encoding`; cleaning.decoding)
      -> visible text or not    (`empty-after-cleaning`)
      -> article or listing     (`not-article`, with a detail a user can question)

The article/listing decision reads, in order: the publisher's own labels (og:type,
JSON-LD @type, article:published_time), then the page's content, then the URL's shape as
a tie-breaker. The content signals are structural and language-independent: an article
has one dominant block of running text with few links in it; a listing has many teaser
links, repeated item structures, a high share of linked text, pagination. No word lists.

`triage(body, url, content_type)` runs the whole chain. `judge(root, url)` is the
article/listing step alone on an already parsed tree (the spider hands it the tree its
link extractor parses anyway); both are pure functions.
"""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from cleaning.decoding import decode_html

# --- outcome ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What the content step measured; the numbers quoted in `Verdict.detail`."""

    words: int  # visible words in <body> (CJK characters count half a word)
    main_words: int  # unlinked words in the dominant block of running text
    main_paragraphs: int  # paragraphs of running text in that block
    paragraph_share: float  # main_words / words
    link_share: float  # share of visible words that are link text
    teaser_links: int  # links with a headline's words (>= 4) or in a heading
    items: int  # largest group of repeated sibling items holding a teaser link
    headline_links: int  # links in or around h2-h6 headings
    h1: int
    pagination: bool
    main_in_item: bool  # the dominant block sits inside one of the repeated items
    river_words: int  # visible words in the wordiest group of repeated items
    summaries: int  # items of that group with a paragraph of running text (teaser summaries)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The article/listing decision: `skip_reason` None means an article to clean."""

    skip_reason: str | None  # None, "not-article" or "empty-after-cleaning"
    detail: str  # why, in words and numbers a user can check
    decided_by: str  # "label", "content", "url" or "empty"
    signals: PageSignals | None = None

    @property
    def is_article(self) -> bool:
        return self.skip_reason is None


@dataclass(frozen=True, slots=True)
class Triage:
    """The whole chain's outcome for one fetched page."""

    skip_reason: str | None  # None: an article; html holds its decoded text
    detail: str
    html: str | None = None  # decoded page text (set whenever decoding got that far)
    is_feed: bool = False  # an RSS/Atom/RDF document: the spider follows its entries
    verdict: Verdict | None = None

    @property
    def is_article(self) -> bool:
        return self.skip_reason is None


# --- the whole chain ---------------------------------------------------------------------


def triage(body: bytes, url: str, content_type: str | None = None) -> Triage:
    """Judge one fetched page from its bytes, its Content-Type header (charset and all)
    and its URL. HTTP status, size limits and conditional requests are the caller's."""
    document = read_document(body, url, content_type)
    if document.skip_reason is not None or document.html is None:
        return document
    root = parse_html(document.html)
    verdict = judge(root, url) if root is not None else _EMPTY
    return Triage(verdict.skip_reason, verdict.detail, document.html, verdict=verdict)


def read_document(body: bytes, url: str, content_type: str | None = None) -> Triage:
    """The first steps of `triage`: is it HTML, and its decoded text. A feed comes back as
    a `not-html` skip with `is_feed` set. skip_reason None means `html` is the page text."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if looks_like_feed(body):
        return Triage("not-html", media_type or "feed", is_feed=True)
    if is_binary(body):
        return Triage("not-html", media_type or "binary body")
    if media_type and "html" not in media_type and "xml" not in media_type:
        return Triage("not-html", media_type)
    implied = None if media_type else _non_text_extension(url)
    if implied:
        return Triage("not-html", implied)
    decoded = decode_html(body, content_type)
    if decoded is None:
        return Triage("bad-encoding", "no character encoding decodes the body")
    return Triage(None, "", decoded.text)


def parse_html(text: str) -> Any:
    """The lxml tree of a page's text (the root element), or None when nothing parses.
    Plain lxml.etree elements: the triage needs no lxml.html element classes, and making
    them costs a lookup per element."""
    # lxml refuses a str that starts with an XML declaration naming an encoding.
    for source in (text, _XML_DECLARATION.sub("", text, count=1)):
        try:
            root = etree.fromstring(source, etree.HTMLParser())
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            continue
        if root is not None:
            return root
    return None


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def is_binary(body: bytes) -> bool:
    return b"\x00" in body[:4096]


def looks_like_feed(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def _non_text_extension(url: str) -> str | None:
    """The media type a URL's extension implies when it is not text (no Content-Type)."""
    guessed, _ = mimetypes.guess_type(urlsplit(url).path)
    if guessed and not guessed.startswith("text/") and "xml" not in guessed:
        return guessed
    return None


# --- article or listing ------------------------------------------------------------------

ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
     "socialmediaposting", "discussionforumposting", "report", "scholarlyarticle"}
)  # fmt: skip
# Schema.org page types that only listings carry. `WebSite`/`WebPage` nodes sit on every
# page of many CMSes, and `og:type=website` too: they decide nothing.
LISTING_TYPES = frozenset({"collectionpage", "profilepage", "searchresultspage"})
# Path segments that name listing or service pages on most CMSes (WordPress, Drupal,
# Ghost, newsroom CMSes). URL shape only breaks ties the content leaves open.
INDEX_SEGMENTS = frozenset(
    {
        "tag", "tags", "category", "categories", "topic", "topics", "author", "authors",
        "section", "sections", "page", "search", "archive", "archives", "feed", "label",
        "people", "contributors", "about", "contact", "subscribe", "login", "register",
    }
)  # fmt: skip

_EMPTY = Verdict("empty-after-cleaning", "no visible text in the page", "empty")


def judge(root: Any, url: str) -> Verdict:
    """Article or listing for a parsed page (an lxml root, e.g. parsel's `Selector.root`)."""
    signals = measure(root)
    if signals is None:
        return _EMPTY
    label = _publisher_label(root)
    if label is not None:
        is_article, why = label
        return _verdict(is_article, why, "label", signals)
    content = content_evidence(signals)
    if content > 0:
        return _verdict(True, f"article: {_describe(signals)}", "content", signals)
    if content < 0:
        return _verdict(False, f"listing: {_describe(signals)}", "content", signals)
    url_score = url_article_score(url)
    is_article = url_score >= 0 and bool(urlsplit(url).path.strip("/"))
    shape = "article-shaped URL" if is_article else "listing-shaped URL"
    return _verdict(is_article, f"{shape}, content unsure: {_describe(signals)}", "url", signals)


def _verdict(is_article: bool, detail: str, by: str, signals: PageSignals) -> Verdict:
    return Verdict(None if is_article else "not-article", detail, by, signals)


def _describe(s: PageSignals) -> str:
    return (
        f"{s.main_words} words of running text in one block ({s.main_paragraphs} paragraphs), "
        f"{s.teaser_links} teaser links, {s.items} repeated items, "
        f"{round(100 * s.link_share)} % of text in links, "
        f"{round(100 * s.paragraph_share)} % of text in paragraphs"
        + (", pagination" if s.pagination else "")
        + (", longest block inside a teaser item" if s.main_in_item else "")
    )


# Content evidence thresholds, in words (CJK characters count half a word). A short news
# item has 120-200 words, most of them in one block.
ARTICLE_BLOCK_WORDS = 40  # a block of running text this long, outside any teaser card
LISTING_ITEMS = 4  # repeated items holding headline links make a river of teasers
LISTING_TEASERS = 10
# A listing's intro (category description, author bio) is one short paragraph dwarfed by
# the teaser summaries below it; an article's text is rarely under a third of the related
# teasers around it.
INTRO_WORDS = 80
INTRO_SHARE = 1 / 3


def content_evidence(s: PageSignals) -> int:
    """+1 article, -1 listing, 0 unsure, from the structural signals alone."""
    river = s.items >= LISTING_ITEMS or s.headline_links >= LISTING_ITEMS * 2
    intro = (
        river
        and s.summaries >= 3
        and s.main_paragraphs <= 1
        and s.main_words < INTRO_WORDS
        and s.main_words < INTRO_SHARE * s.river_words
    )
    if s.main_words >= ARTICLE_BLOCK_WORDS and not s.main_in_item and not intro:
        return 1
    if river or s.teaser_links >= LISTING_TEASERS or (s.link_share >= 0.5 and s.teaser_links >= 4):
        return -1
    return 0


def _publisher_label(root: Any) -> tuple[bool, str] | None:
    og_type = " ".join(root.xpath("//meta[@property='og:type']/@content")).strip().lower()
    if og_type == "article" or og_type.startswith("article"):
        return True, "og:type article"
    types = jsonld_types(root)
    if types & ARTICLE_TYPES:
        return True, f"JSON-LD {sorted(types & ARTICLE_TYPES)[0]}"
    if root.xpath("//meta[@property='article:published_time']"):
        return True, "article:published_time"
    if types & LISTING_TYPES:
        return False, f"listing: JSON-LD {sorted(types & LISTING_TYPES)[0]}"
    return None


def jsonld_types(root: Any) -> set[str]:
    """The lower-cased schema.org @type names in a page's JSON-LD (with @graph)."""
    types: set[str] = set()
    for raw in root.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kind = node.get("@type")
                for k in kind if isinstance(kind, list) else [kind]:
                    if isinstance(k, str):
                        types.add(k.lower())
                stack.extend(v for key, v in node.items() if key == "@graph")
    return types


_DATE_IN_PATH = re.compile(r"/(19|20)\d\d/(0?[1-9]|1[0-2])(/|-)")
_NUMERIC_ID = re.compile(r"[/-]\d{5,}(?:[/.-]|$)")
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){3,}")


def url_article_score(url: str) -> int:
    """Positive when the URL looks like an article, negative like a listing, 0 unsure."""
    path = urlsplit(url).path.lower()
    segments = [s for s in path.split("/") if s]
    if not segments:
        return -2  # the home page
    if any(s in INDEX_SEGMENTS for s in segments):
        return -2
    if all(s.isdigit() for s in segments):
        return -2  # /2026/11/: a date archive
    score = 0
    if _DATE_IN_PATH.search(path):
        score += 2
    if _NUMERIC_ID.search(path):
        score += 2  # CMS story ids: /article-123456789.html, /news/2049318/
    last = segments[-1].rsplit(".", 1)[0]
    if _SLUG.fullmatch(last):
        score += 2
    if len(segments) == 1 and not _SLUG.fullmatch(last):
        score -= 1  # /world/, /science/: section fronts
    return score


# --- content signals -----------------------------------------------------------------------

_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "select", "option", "iframe",
     "button", "textarea", "math", "canvas", "video", "audio", "object"}
)  # fmt: skip
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Elements whose text is running text when it is long enough: paragraphs (credited to the
# block around them), and the text a CMS leaves directly in a container between <br> tags.
_PARAGRAPH = frozenset({"p", "blockquote", "pre", "dd", "figcaption"})
_CONTAINERS = frozenset({"div", "td", "article", "section", "main", "body", "center"})
# Inline elements: their text belongs to the block around them.
_INLINE = frozenset(
    {"a", "b", "i", "em", "strong", "span", "font", "u", "small", "br", "sup", "sub", "abbr",
     "cite", "code", "mark", "q", "s", "time", "label", "img", "big", "tt", "var", "wbr", "nobr"}
)  # fmt: skip
_WORD = re.compile(r"\w+")
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
_PAGINATION_HREF = re.compile(r"(?:[?&](?:page|p|pg|start|offset)=\d)|(?:/page/\d)|(?:/p\d+/?$)")
# A paragraph counts as running text from this many words (CJK: characters / 2).
PARAGRAPH_WORDS = 12
TEASER_WORDS = 4
ITEM_DEPTH = 7  # levels above a teaser link where the repeated item may start
MAX_TEASERS_PER_ITEM = 2.5  # image + headline + "read more" links in one card
ITEM_SLACK_WORDS = 30  # cards of one river differ by a longer excerpt, not by an article
CANDIDATE_BLOCKS = 5  # longest blocks tried for the dominant one


def words_in(text: str) -> int:
    """Words of a text; CJK and Thai characters count half a word each (no spaces there)."""
    wide = len(_WIDE.findall(text))
    if not wide:
        return len(_WORD.findall(text))
    return len(_WORD.findall(_WIDE.sub(" ", text))) + (wide + 1) // 2


def measure(root: Any) -> PageSignals | None:
    """The content signals of a parsed page; None when its body has no visible text."""
    body = root.find("body") if root.tag == "html" else None
    if body is None:
        found = root.xpath("//body")
        body = found[0] if found else root
    walker = _Walker(_SKIPPED)
    walker.walk(body)
    if walker.words == 0:
        # Text only inside <noscript>: an unclosed <noscript> near the top swallows the
        # whole page in lxml (and in old browsers); that text is the page.
        walker = _Walker(_SKIPPED - {"noscript"})
        walker.walk(body)
    if walker.words == 0:
        return None
    candidates = walker.blocks_by_size()
    top = candidates[0][0] if candidates else None
    items = walker.find_rivers(top)
    # The dominant block: the longest one that is not part of a river of teasers (the
    # summaries of twelve related cards can add up to more than a short article). If every
    # long block is, the longest one, flagged.
    main_block, (main_words, main_paragraphs) = candidates[0] if candidates else (None, (0, 0))
    main_in_item = main_block is not None
    for block, (n, paragraphs) in candidates[:CANDIDATE_BLOCKS]:
        if n < ARTICLE_BLOCK_WORDS and block is not top:
            break
        if not walker.in_river(block, n, paragraphs):
            main_block, main_words, main_paragraphs, main_in_item = block, n, paragraphs, False
            break
    return PageSignals(
        words=walker.words,
        main_words=main_words,
        main_paragraphs=main_paragraphs,
        paragraph_share=main_words / walker.words,
        link_share=walker.link_words / walker.words,
        teaser_links=walker.teasers,
        items=items,
        main_in_item=main_in_item,
        river_words=walker.river_words,
        summaries=walker.summaries,
        headline_links=walker.headline_links,
        h1=walker.h1,
        pagination=walker.pagination or bool(root.xpath("//link[@rel='next']")),
    )


class _Walker:
    """One depth-first pass over <body> collecting the counts `measure` needs."""

    def __init__(self, skipped: frozenset[str]) -> None:
        self.skipped = skipped
        self.words = 0
        self.link_words = 0
        self.teasers = 0
        self.headline_links = 0
        self.h1 = 0
        self.pagination = False
        # block element -> [unlinked words in its running-text paragraphs, paragraphs]
        self.blocks: dict[Any, list[int]] = {}
        self.teaser_anchors: list[Any] = []
        self.headline_anchors: list[Any] = []
        self.heading_anchors: set[Any] = set()  # links inside an h2-h6
        self.text_blocks: list[Any] = []  # blocks with a paragraph's worth of text
        self.river_words = 0
        self.summaries = 0
        self.groups: list[list[Any]] = []

    def walk(self, body: Any) -> None:
        """Count every visible text node once, for its block (the nearest ancestor that
        is not an inline element) and for its link, if any; then turn the blocks' counts
        into paragraphs of running text and the links' into teasers."""
        unlinked: dict[Any, int] = {}  # block -> words outside links
        linked: dict[Any, int] = {}  # block -> words inside links
        anchor_words: dict[Any, int] = {}
        # (element, enclosing link or None, inside a heading, enclosing block). A tail is
        # text of the parent, so it is counted with the parent's link and block.
        stack: list[tuple[Any, Any, bool, Any]] = [(c, None, False, body) for c in reversed(body)]
        self._count(body.text, None, body, unlinked, linked, anchor_words)
        while stack:
            element, link, in_heading, block = stack.pop()
            self._count(element.tail, link, block, unlinked, linked, anchor_words)
            tag = element.tag
            if not isinstance(tag, str):  # comments, processing instructions
                continue
            tag = tag.lower()
            if tag in self.skipped or element.get("hidden") is not None:
                continue
            if tag == "a":
                if self._anchor(element, in_heading):
                    link = element
                    anchor_words[element] = 0
            elif tag == "h1":
                self.h1 += 1
            elif tag in _HEADINGS:
                in_heading = True
            own_block = block if tag in _INLINE else element
            self._count(element.text, link, own_block, unlinked, linked, anchor_words)
            for child in reversed(element):
                stack.append((child, link, in_heading, own_block))
        # Teaser summaries count whether linked or not (a Ghost card links its excerpt).
        self.text_blocks = [
            b for b in unlinked.keys() | linked.keys()
            if unlinked.get(b, 0) + linked.get(b, 0) >= PARAGRAPH_WORDS
        ]  # fmt: skip
        for block, words in unlinked.items():
            if words < PARAGRAPH_WORDS or linked.get(block, 0) > words:
                continue
            tag = block.tag.lower() if isinstance(block.tag, str) else ""
            if tag in _PARAGRAPH:
                self._credit(block.getparent(), words)
            elif tag in _CONTAINERS:
                self._credit(block, words)
        # A teaser: a link with a headline's worth of words, or any words in a heading
        # (a river of "Story 12" headlines is still a river).
        for anchor, words in anchor_words.items():
            headline = words > 0 and (anchor in self.heading_anchors or _holds_heading(anchor))
            if words >= TEASER_WORDS or headline:
                self.teasers += 1
                self.teaser_anchors.append(anchor)
            if headline:
                self.headline_links += 1
                self.headline_anchors.append(anchor)

    def _count(
        self,
        text: str | None,
        link: Any,
        block: Any,
        unlinked: dict[Any, int],
        linked: dict[Any, int],
        anchor_words: dict[Any, int],
    ) -> None:
        if not text or text.isspace():
            return
        n = words_in(text)
        self.words += n
        if link is None:
            unlinked[block] = unlinked.get(block, 0) + n
        else:
            self.link_words += n
            linked[block] = linked.get(block, 0) + n
            anchor_words[link] += n

    def _anchor(self, anchor: Any, in_heading: bool) -> bool:
        """Note pagination; True when the link leads to another page (a teaser candidate):
        links within the page (tables of contents, permalinks) and script links do not."""
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            return False
        if anchor.get("rel") == "next" or _PAGINATION_HREF.search(href):
            self.pagination = True
        if in_heading:
            self.heading_anchors.add(anchor)
        return True

    def _credit(self, block: Any, n: int) -> None:
        if block is None:
            return
        entry = self.blocks.setdefault(block, [0, 0])
        entry[0] += n
        entry[1] += 1
        # Half credit one level up: bodies split into one wrapper per paragraph, or cut
        # by ad slots, still add up to one block there.
        grand = block.getparent()
        if grand is not None:
            entry = self.blocks.setdefault(grand, [0, 0])
            entry[0] += n // 2
            entry[1] += 1

    def blocks_by_size(self) -> list[tuple[Any, list[int]]]:
        """Blocks of running text, longest first: (element, [words, paragraphs])."""
        return sorted(self.blocks.items(), key=lambda kv: kv[1][0], reverse=True)

    def find_rivers(self, main_block: Any) -> int:
        """Find the sets of sibling elements that each hold a teaser link (cards of a
        river, rows of a thread list, items of a headline list); returns the size of the
        largest. Links in the text of `main_block` (the longest block) are not teasers of
        other pages; headline links are."""
        holders: dict[Any, dict[Any, int]] = {}  # parent -> {child: teaser links in it}
        headlines = set(self.headline_anchors)
        for anchor in self.teaser_anchors:
            if anchor not in headlines and main_block is not None and _inside(anchor, main_block):
                continue
            element = anchor
            for _ in range(ITEM_DEPTH):
                parent = element.getparent()
                if parent is None:
                    break
                children = holders.setdefault(parent, {})
                children[element] = children.get(element, 0) + 1
                element = parent
        # A set of items: >= 3 children of one kind (tag and class) with teasers, about
        # one teaser each. A page's header, content column and footer are not a set.
        kinds: dict[tuple[Any, str, str], dict[Any, int]] = {}
        for parent, children in holders.items():
            for child, count in children.items():
                kinds.setdefault((parent, child.tag, _class_key(child)), {})[child] = count
        self.groups = [
            list(children)
            for children in kinds.values()
            if len(children) >= 3 and sum(children.values()) <= MAX_TEASERS_PER_ITEM * len(children)
        ]
        # The river's text: the wordiest set (cards with summaries beat a bare link list),
        # and how many of its items carry a summary (a paragraph of running text).
        wordiest = max(
            self.groups,
            key=lambda group: sum(words_in(_text_of(item)) for item in group),
            default=[],
        )
        self.river_words = sum(words_in(_text_of(item)) for item in wordiest)
        with_text: set[Any] = set()
        for block in self.text_blocks:
            for _ in range(ITEM_DEPTH):
                if block is None or block in with_text:
                    break
                with_text.add(block)
                block = block.getparent()
        self.summaries = sum(1 for item in wordiest if item in with_text)
        return max(map(len, self.groups), default=0)

    def in_river(self, block: Any, words: int, paragraphs: int) -> bool:
        """Whether a block of running text belongs to a river of teasers: headlines are
        interleaved with its paragraphs, or it sits inside one card of a set."""
        if words > self.river_words:
            return False  # a block inside a river cannot hold more text than the river
        in_block = sum(1 for a in self.headline_anchors if _headline_in(a, block))
        if in_block >= 3 and 2 * in_block >= paragraphs:
            return True
        # Inside a card: an ancestor is one of a set's items and no longer than a few of
        # its siblings (an article's own <article> among three related teasers is not).
        group_of = {item: group for group in self.groups for item in group}
        element = block
        while element is not None:
            group = group_of.get(element)
            if group is not None:
                sizes = sorted(words_in(_text_of(item)) for item in group)
                return sizes[-1] <= 3 * sizes[len(sizes) // 2] + ITEM_SLACK_WORDS
            element = element.getparent()
        return False


def _headline_in(anchor: Any, block: Any) -> bool:
    """Whether a headline link sits among the block's own paragraphs: its heading (or
    the link itself) is a child or grandchild of the block, not deep in a box inside it."""
    element = anchor
    for _ in range(3):  # up to the heading around the link, if any
        if element.tag in _HEADINGS:
            break
        parent = element.getparent()
        if parent is None or parent is block:
            break
        element = parent
    parent = element.getparent()
    return parent is block or (parent is not None and parent.getparent() is block)


def _holds_heading(anchor: Any) -> bool:
    return anchor.find(".//h2") is not None or anchor.find(".//h3") is not None


def _text_of(element: Any) -> str:
    return "".join(element.itertext())


def _class_key(element: Any) -> str:
    """The first class name without digits: what the cards of one river share
    (`post` of `post-123 post type-post`, `items-row` of `items-row row-3`)."""
    for name in (element.get("class") or "").split():
        if not any(ch.isdigit() for ch in name):
            return name
    return ""


def _inside(element: Any, block: Any) -> bool:
    while element is not None:
        if element is block:
            return True
        element = element.getparent()
    return False
