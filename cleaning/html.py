"""`clean_html`: one page's HTML -> article body paragraphs, metadata and reader comments.

Order matters and is the point of this module:
1. decode bytes (BOM, <meta charset>, then detection) and parse once with lxml;
2. parse the reader comments and detach every comment section from the tree, so comment
   text can never leak into the body (nor body text into comments): comments_html;
3. detach known page widgets by structure (share bars, related posts, ...): html_blocks;
   make each section heading right above a prose paragraph a <p> (`retag_section_headings`),
   so a body trafilatura recovers from the page's loose paragraphs keeps its headings;
4. read the page's metadata (html_meta) before anything modifies the tree further;
   then detach the blocks the markup declares invisible unless they are the article
   (html_blocks.remove_hidden_blocks);
5. let trafilatura (precision mode, without its internal readability/jusText comparison)
   extract the body from what is left, and turn its body tree into paragraphs (one per
   paragraph, heading, list item, table row, quote paragraph);
6. when that body looks short (under half the words the page has in <p>, or under 100
   words), ask trafilatura's readability port for a second opinion and keep it if it
   finds at least 1.5 times as many words;
7. where that body is still short (under half the page's <p> words), compare it with a
   recall-mode extraction of the same tree (steps 5-6 without precision mode, with
   trafilatura's fallback comparison): when that one is at least as long and mostly made
   of text the first one does not have, the precision run kept the wrong block (sidebar,
   bio, teaser list, form) or a fragment of the article, and the recall-mode body is taken
   (`prefer_alternative`) -- unless it is mostly link text (`link_share`): then the page
   has no article (a section front, teaser headlines) and must not be given one, or what
   it adds past the chosen body is a stream of teaser cards (`adds_teaser_stream`);
8. where the page has <p> prose or a section heading inside, or <p> prose right before,
   that body which the body lacks (`outside_prose`), fill the gaps from a recall-mode
   extraction (`fill_gaps`): its paragraphs between the first and last paragraph both
   bodies share, unless mostly link text, and a long lead paragraph right before them;
9. continue a body cut short at a break in the article's markup with the <p> prose after it
   in the body's own markup (`continue_body`), and cut teaser cards, links that hold blocks
   (`drop_link_cards`); then cut paragraphs trafilatura keeps but that are not article
   text (repeated headline,
   byline, and the shared rule families of cleaning.rules, which spare a table row or
   cell inside the body: that is data, not chrome), and at the body's end a
   heading over a list of links (`drop_link_list_tail`) and a closing copyright, credit
   or paywall line (`drop_credit_tail`);
10. put the page's standfirst (the block repeating its meta description) before a body
   that lacks it when it adjoins the body or sits in the body's own container
   (`standfirst`).
Everything cut in steps 2, 3 and 9 is recorded as a `Removal` with its rule family.
The settings were chosen by measurement on the four HTML development sets, the comparison's
with each set left out in turn (bench/html_bench.py, results in bench/RESULTS.md).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass

import lxml.etree
import lxml.html
from justext.core import ParagraphMaker, classify_paragraphs, revise_paragraph_classification
from justext.utils import get_stoplist
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.external import JT_STOPLIST, jt_stoplist_init
from trafilatura.readability_lxml import Document as ReadabilityDocument
from trafilatura.settings import JUSTEXT_LANGUAGES
from trafilatura.utils import load_html

from cleaning import comments_html, html_blocks, html_meta
from cleaning.comments_html import extract_comments
from cleaning.decoding import decode_html
from cleaning.html_blocks import remove_hidden_blocks, remove_noise_blocks
from cleaning.html_meta import PageMetadata, extract_page_metadata
from cleaning.html_paragraphs import load_model
from cleaning.html_select import INLINE_TAGS, PageIndex, block_text
from cleaning.html_vote import VoteSettings, ngrams, paragraph_shingles, shingle_coverage, vote
from cleaning.rules import claimed_by
from cleaning.scoring import shingles
from cleaning.text import normalize_for_profile
from cleaning.types import CleanedArticle, Metadata, Removal

__all__ = [
    "HtmlOptions",
    "LinkIndex",
    "TableCells",
    "adds_teaser_stream",
    "clean_html",
    "continue_body",
    "drop_credit_tail",
    "drop_headline_repeat",
    "drop_link_cards",
    "drop_link_list_tail",
    "drop_noise_paragraphs",
    "drop_unlike_article",
    "fill_gaps",
    "link_share",
    "outside_prose",
    "prefer_alternative",
    "retag_prose_headers",
    "retag_section_headings",
    "standfirst",
    "standfirst_block",
    "unlink_in_page_anchors",
    "unwrap_link_wrappers",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class HtmlOptions:
    """Knobs of `clean_html`; the defaults are what the crawler and the benchmark use."""

    comments: bool = True  # parse reader comments (sections are detached either way)
    metadata: bool = True  # title/authors/date/site/tags (html_meta: trafilatura + htmldate)
    noise_blocks: bool = True  # detach known widgets (html_blocks) before extraction
    include_tables: bool = True
    # trafilatura's precision mode measured best here (bench/RESULTS.md, ## HTML)
    favor_precision: bool = True
    favor_recall: bool = False
    # trafilatura's internal fallback comparison (readability port, jusText) costs about as
    # much as the extraction itself, so it runs only in the recall-mode extraction of the
    # candidate comparison (`alternative_fast`), where it recovers truncated and wrong-block
    # bodies; running it in the precision extraction too added +0.001 overall F1 and
    # brought speed under 0.5x trafilatura's (bench/RESULTS.md, ## HTML).
    fast: bool = True
    alternative_fast: bool = False
    # Candidate comparison against a recall-leaning extraction (trafilatura without
    # precision mode): taken instead when it is at least `alternative_gain` times as long
    # and less than `alternative_shared` of its word 3-grams occur in the precision body,
    # i.e. when the precision run kept a different block (sidebar, bio, teaser, form) or a
    # fragment of the article. None: no comparison. Chosen leave-one-set-out (RESULTS.md).
    alternative_gain: float | None = 1.0
    alternative_shared: float = 0.35
    # The comparison costs a second extraction, so it runs only where the precision body
    # may be a wrong block or a fragment: under `alternative_below` times the words the
    # page has in <p> elements (or the page has none). None: on every page. Replayed on
    # the four sets: 0.5 runs it on 98 of 937 pages and keeps all of its gain but 0.0007
    # on trafilatura-eval-dev (one threshold 0.5-1.0 scores the same; 1.2+ all of it, on
    # 834 pages; leave-one-set-out 0.9420 overall vs 0.9424 on every page).
    alternative_below: float | None = 0.5
    # ... or where it has fewer words than this (a page whose text is not in <p> elements:
    # its <p> words say nothing). Replayed on the four sets: +13 comparisons, +0.0007 on
    # trafilatura-eval-dev, no change elsewhere; 50-250 score the same.
    alternative_min_words: int = 50
    # ... and never when the recall-mode body is mostly link text (at least this share of
    # its words are the text of the page's links, as triage's listing signal): what a
    # recall-mode run finds on a page with no article (a section front, a list of teaser
    # links) is the menu and the teaser headlines, and a page with no article must not
    # become one.
    alternative_max_links: float = 0.5
    # Gap filling from a recall-mode extraction (`fill_gaps`): precision mode drops
    # paragraphs inside the article (a short paragraph, a list between two paragraphs) and
    # the lead paragraph above it (a standfirst set apart from the body). Paragraphs the
    # recall-mode body has between the first and last paragraph it shares with the chosen
    # body are added unless at least `fill_inside_links` of their words are link text
    # (related-story links, "click here" promos); the one right before the first shared
    # paragraph is added when it has at least `fill_lead_words` words and is not mostly
    # link text (a headline link, a teaser). None: no gap filling. Chosen by replay on the
    # four sets, leave-one-set-out in bench/RESULTS.md.
    fill_lead_words: int | None = 30
    fill_inside_links: float | None = 0.3
    # The recall extraction costs about as much as the precision one, so it runs only where
    # the page has <p> prose next to or inside the chosen body that the body lacks: a <p>
    # of at least `fill_trigger_words` words between the first and last <p> the body has,
    # or one of at least `fill_lead_words` words just before them (a quarter of the pages).
    fill_trigger_words: int = 10
    # ... or a section heading (<h2>-<h6>) of at least this many words there that the body
    # lacks: precision mode cuts section headings as it cuts short paragraphs (a question
    # heading in an interview, a subheading that is also a jump target). None: headings are
    # not looked at. Grid none/2/3/4/6 on the four sets: 3 lowers no set and is the choice
    # on the other three sets with each set left out in turn (2 ties with it on the sets
    # other than the article-extraction-benchmark and costs that set 0.0001); it runs the
    # recall extraction on 91 more of 937 pages (bench/RESULTS.md, ## HTML heading trigger).
    fill_trigger_heading_words: int | None = 3
    # Second opinion from a readability extractor when trafilatura kept less than this share
    # of the words the page has in <p> elements, or fewer words than `fallback_min_words`
    # (its result may then be missing text) ...
    fallback_below: float = 0.5
    fallback_min_words: int = 100
    # ... taken when readability finds at least this many times more words.
    fallback_gain: float = 1.5
    # Body by majority vote of trafilatura, readability and jusText (cleaning.html_vote).
    # Off by default: on the four development sets it scored below trafilatura with the
    # readability second opinion above (bench/RESULTS.md, ## HTML); kept to compare with.
    vote: VoteSettings | None = None
    # Drop the body paragraphs a learned classifier takes for blocks that are not article
    # text (captions, teasers, promos, bios: cleaning.html_paragraphs), trained on the four
    # development sets; leave-one-set-out figures in bench/RESULTS.md.
    paragraph_model: bool = False
    # Put the page's standfirst (the summary under the headline: a dek, teaser, lead) before
    # the body when extraction left it out: the visible block that repeats the page's meta
    # description (`standfirst`). Whether a standfirst is article text is a convention of
    # each gold set: fundus-dev and trafilatura-eval-dev count it, the
    # article-extraction-benchmark does not (bench/RESULTS.md, ## HTML, standfirst table).
    standfirst: bool = False
    # ... but a standfirst that adjoins the body (at most this many words of other text
    # between them: an image, a byline, a date) is put before it either way: there it is
    # the article's opening, not a header summary. None: only with `standfirst`. The
    # widest limit that lowers no development set's F1 (8 costs readability-tests, 10 the
    # article-extraction-benchmark); per-setting and leave-one-set-out figures in
    # bench/RESULTS.md, ## HTML, standfirst tables.
    standfirst_adjoining: int | None = 7
    # ... and so is a standfirst in the body's own container, however many words of byline,
    # date or image credit lie between: the block and the element the body's first words are
    # in share an ancestor at most this many levels above the block (`<header><p>` beside
    # `<div>` in one `<article>`: 2). A subtitle in a heading element (<h2>-<h6>) is not
    # taken this way: it belongs with the headline, which the body leaves out. None: words
    # only. 2 is the widest setting that lowers no development set (3 costs the
    # article-extraction-benchmark, whose gold leaves out deks set in the article header);
    # per-setting and leave-one-set-out figures in bench/RESULTS.md, ## HTML.
    standfirst_container_levels: int | None = 2
    # Continue a body cut short at a break in the article's markup (`continue_body`): at
    # least this many prose <p> after the body in the same markup as the body's own are
    # added. None: off. 1 lowers the article-extraction-benchmark (a comment policy line,
    # a tag list in the body's markup), 2 and 3 score the same and lower no set
    # (bench/RESULTS.md, ## HTML continuation).
    continuation_run: int | None = 2


_DEFAULT_OPTIONS = HtmlOptions()
_PAGE_SELECTORS = (
    *comments_html.PAGE_SELECTORS,
    *html_blocks.PAGE_SELECTORS,
    *html_meta.PAGE_SELECTORS,
    "p",
    "header",
)


def clean_html(
    html: str | bytes,
    url: str | None = None,
    *,
    site_profile: Iterable[str] | None = None,
    options: HtmlOptions | None = None,
) -> CleanedArticle:
    """Clean one page. Never raises on malformed input: a page with nothing usable gives an
    article with no paragraphs (the caller records it as `empty-after-cleaning`).

    `site_profile`: lines learned as boilerplate for this site across many of its pages
    (storage.profiles); body paragraphs equal to one of them are cut as `site-profile`."""
    options = options or _DEFAULT_OPTIONS
    text = _decode(html)
    tree = _parse(text)
    if tree is None:
        return CleanedArticle(title=None, paragraphs=[])
    language = _html_language(tree)

    removed: list[Removal] = []
    index = PageIndex(tree, _PAGE_SELECTORS)  # one pass serves every page-wide look-up
    found = extract_comments(tree, index)
    removed.extend(found.removed)
    if options.noise_blocks:
        removed.extend(remove_noise_blocks(tree, index))
    unlink_in_page_anchors(tree)
    unwrap_link_wrappers(tree, index)
    retag_prose_headers(tree, index)
    retag_section_headings(tree)
    page_words = _paragraph_words(index)
    # Read lazily, after the comment sections and widgets are detached: several steps ask.
    links = LinkIndex(tree)
    meta = (
        extract_page_metadata(tree, url, language, index)
        if options.metadata
        else PageMetadata(None, Metadata(language=language))
    )
    # After the metadata: a byline or date the page keeps in hidden markup is still its own.
    removed.extend(remove_hidden_blocks(tree, page_words, index))

    voters: dict[str, list[str]] = {}
    if options.vote:
        # Before trafilatura: its output tree is built from a copy, but the voters must see
        # exactly the page it saw.
        voters["readability"] = _readability_on(copy(tree))
        voters["justext"] = _justext_paragraphs(tree, language)
    # (the vote has its own readability voter, so no second opinion for it)
    second_opinion = _SecondOpinion(text, options) if not options.vote else None
    paragraphs = _extract(
        tree, url, page_words, options, options.favor_precision, options.fast, second_opinion
    )
    if options.vote:
        voters = {"trafilatura": paragraphs, **voters}
        paragraphs = vote(voters, _page_tokens(tree), options.vote)
    elif (
        options.alternative_gain is not None
        and options.favor_precision
        and (
            options.alternative_below is None
            or not page_words
            or _words(paragraphs) < options.alternative_below * page_words
            or _words(paragraphs) < options.alternative_min_words
        )
    ):
        alternative = _extract(
            tree, url, page_words, options, False, options.alternative_fast, second_opinion
        )
        if (
            link_share(alternative, links) < options.alternative_max_links
            and prefer_alternative(paragraphs, alternative, options)
            and not adds_teaser_stream(paragraphs, alternative, tree)
        ):
            paragraphs = alternative
    if (
        options.favor_precision
        and not options.vote
        and (options.fill_lead_words is not None or options.fill_inside_links is not None)
        and outside_prose(paragraphs, tree, options)
    ):
        recall = _extract(tree, url, page_words, options, False, True, None)
        paragraphs = fill_gaps(paragraphs, recall, links, options)
    if options.paragraph_model:
        paragraphs = drop_unlike_article(paragraphs, tree)
    if options.continuation_run is not None:
        paragraphs = continue_body(paragraphs, tree, links, options.continuation_run)
    paragraphs = drop_link_cards(paragraphs, tree, removed)
    paragraphs = drop_link_list_tail(paragraphs, links, removed)
    paragraphs = drop_noise_paragraphs(
        paragraphs, meta.title, meta.metadata, removed, TableCells(tree)
    )
    paragraphs = drop_headline_repeat(paragraphs, meta.title, removed)
    if (
        options.standfirst or options.standfirst_adjoining is not None
    ) and meta.metadata.description:
        most_between = None if options.standfirst else options.standfirst_adjoining
        lead = standfirst(
            paragraphs,
            tree,
            meta.metadata.description,
            meta.title,
            most_between,
            options.standfirst_container_levels,
        )
        if lead is not None:
            paragraphs = [lead, *paragraphs]
    return CleanedArticle(
        title=meta.title,
        paragraphs=_drop_profile_lines(
            drop_credit_tail(paragraphs, removed), site_profile, removed
        ),
        comments=found.comments if options.comments else [],
        removed=removed,
        metadata=meta.metadata,
    )


# An in-page anchor with no text (a heading's permalink icon, a named jump target): to
# trafilatura's link-density tests it is a link with nothing to read, so in precision mode
# the heading or short paragraph that holds it is taken for navigation and cut. Only anchors
# into the page itself: a textless link elsewhere (an image teaser's wrapper with a CSS
# background) is a real signal of a teaser box.
_TEXTLESS_ANCHORS = lxml.etree.XPath(
    "//body//a[not(@href) or starts-with(normalize-space(@href), '#')]"
    "[not(normalize-space())][not(.//img or .//picture or .//video)]"
)


# A named anchor with text (<h3><a name="part2">Heading</a></h3>, a jump target) is no link
# either: it goes nowhere, but to link-density tests its text is all link text.
_NAMED_ANCHORS = lxml.etree.XPath(
    "//body//a[not(@href) and not(@role) and (@name or @id)][normalize-space()]"
)


# A <span> in a paragraph that only wraps a link (a CMS shortcode's `<span class="link">`):
# its class or style says how the link looks, not that it is a block of its own, but to
# trafilatura's precision-mode discard (class token `link`, a `border` style) it is one, and
# the link's words are torn out of the sentence ("said in a statement ___ will be
# available"). Unwrapped, the link stays part of the paragraph.
def unwrap_link_wrappers(tree: HtmlElement, index: PageIndex | None = None) -> None:
    """Unwrap the <span>s inside the paragraphs of `tree` that hold nothing but one link."""
    paragraphs = index.by_key.get(("tag", "p"), ()) if index is not None else list(tree.iter("p"))
    for paragraph in paragraphs:
        for span in list(paragraph.iter("span")):
            if (
                len(span) == 1
                and span[0].tag == "a"
                and not (span.text or "").strip()
                and not (span[0].tail or "").strip()
            ):
                span.drop_tag()


# A <header> is a page's or an article's introduction: trafilatura's precision mode discards
# every one. Some layouts put running text in it (a section of prose paragraphs under each
# picture, a page builder's text block); a header holding this many prose paragraphs (of at
# least `_PROSE_WORDS` words) is content, and is made a <div>. A dek or a headline with a
# byline is one paragraph.
HEADER_PROSE_PARAGRAPHS = 3
_PROSE_WORDS = 15


def retag_prose_headers(tree: HtmlElement, index: PageIndex | None = None) -> None:
    """Make the <header> elements of `tree` that hold running text <div>s."""
    headers = index.select("header") if index is not None else list(tree.iter("header"))
    for header in headers:
        prose = sum(len(p.text_content().split()) >= _PROSE_WORDS for p in header.iter("p"))
        if prose >= HEADER_PROSE_PARAGRAPHS:
            header.tag = "div"


# A section heading (<h2>-<h6>) right above a prose paragraph is part of the article's
# running text. Where trafilatura finds no container for the article it falls back to the
# page's loose paragraphs, quotes, code and tables, and every section heading of the
# article is lost (so are precision mode's cuts of short headings, where the recall-mode
# run that fills gaps takes the same fallback). Made a <p>, the heading is kept as a
# paragraph of its own, which is what the body makes of a heading anyway. Not a heading
# that is all one link away (a teaser card's headline over its summary), nor the <h1> (the
# page's headline, which the body leaves out). A heading that is all one link into the page
# (a table of contents' target linking to itself) is unwrapped: as a <p> its words would
# all be link text, which precision mode cuts.
def retag_section_headings(tree: HtmlElement) -> None:
    """Make the <h2>-<h6> elements of `tree` right above a prose <p> (of at least
    `_PROSE_WORDS` words) <p>s, unless their text is all one link's to elsewhere."""
    for heading in list(tree.iter(*_SECTION_HEADINGS)):
        after = heading.getnext()
        if (
            after is not None
            and after.tag == "p"
            and len(after.text_content().split()) >= _PROSE_WORDS
            and (text := _text_of(heading))
        ):
            links = _whole_links(heading, text)
            if any(not link.get("href", "").strip().startswith("#") for link in links):
                continue
            for link in links:
                link.drop_tag()
            heading.tag = "p"


def unlink_in_page_anchors(tree: HtmlElement) -> None:
    """Detach the in-page anchors of `tree` that have no text and no image, keeping what
    follows them, and unwrap the anchors without a target, keeping their text."""
    for link in _TEXTLESS_ANCHORS(tree):
        link.drop_tree()
    for anchor in _NAMED_ANCHORS(tree):
        anchor.drop_tag()


class _SecondOpinion:
    """The readability second opinion of one page, computed at most once however many
    extractions of the page ask for it (it parses the page again)."""

    def __init__(self, text: str, options: HtmlOptions) -> None:
        self._text, self._options = text, options
        self._paragraphs: list[str] | None = None

    def paragraphs(self) -> list[str]:
        if self._paragraphs is None:
            self._paragraphs = _readability_paragraphs(self._text, self._options)
        return self._paragraphs


def _extract(
    tree: HtmlElement,
    url: str | None,
    page_words: int,
    options: HtmlOptions,
    favor_precision: bool,
    fast: bool,
    second_opinion: _SecondOpinion | None,
) -> list[str]:
    """trafilatura's body of `tree` (which it leaves as it is) as paragraphs, with the
    readability second opinion where that body looks short (if `second_opinion`)."""
    doc = bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=options.include_tables,
        favor_precision=favor_precision,
        favor_recall=options.favor_recall,
        fast=fast,
    )
    paragraphs = body_paragraphs(doc.body) if doc is not None else []
    words = _words(paragraphs)
    if (second_opinion is not None and options.fallback_below) and (
        words < options.fallback_below * page_words or words < options.fallback_min_words
    ):
        second = second_opinion.paragraphs()
        if _words(second) >= options.fallback_gain * max(words, 1):
            paragraphs = second
    return paragraphs


def drop_unlike_article(paragraphs: list[str], tree: HtmlElement) -> list[str]:
    """`paragraphs` without those the shipped paragraph model takes for non-article blocks."""
    model = load_model()
    return model.keep(paragraphs, tree) if model is not None else paragraphs


def prefer_alternative(chosen: list[str], alternative: list[str], options: HtmlOptions) -> bool:
    """Whether `alternative` is a different and at least as long body, not `chosen` with a
    few paragraphs more: then `chosen` is the wrong block or a fragment of the article.
    Compared by word 3-grams, so it holds in any language and layout."""
    gain = options.alternative_gain
    chosen_words = _words(chosen)
    if gain is None or _words(alternative) < gain * max(chosen_words, 1):
        return False
    if not chosen_words:
        return True  # any text over none (a page of two words has no 3-grams to compare)
    theirs = _trigrams(alternative)
    if not theirs:
        return False
    return len(theirs & _trigrams(chosen)) < options.alternative_shared * len(theirs)


# A recall-mode body can be the chosen body and, after it, the page's stream of teaser cards
# (a headline that is a link, over a summary paragraph; the extractor leaves the linked
# headline out and keeps the summary): longer, and mostly text the chosen body lacks, it
# passes for a fuller article. When at least this many paragraphs past the last one the
# chosen body has, and at least `TEASER_STREAM_SHARE` of them, are such summaries, the
# recall-mode body is a teaser stream, not the rest of the article. A section heading that
# is also a link to elsewhere is rare inside an article's run of prose.
TEASER_STREAM_CARDS = 5
TEASER_STREAM_SHARE = 0.8
# A summary long enough to be told from a caption or a date line.
_CARD_SUMMARY_WORDS = 10


def adds_teaser_stream(chosen: list[str], alternative: list[str], tree: HtmlElement) -> bool:
    """Whether what `alternative` has past the last paragraph of `chosen` is mostly teaser
    card summaries: <p>s of `tree` right under a heading whose text is all one link's."""
    have = {_SPACE.sub(" ", p).strip() for p in chosen}
    last = max(
        (i for i, p in enumerate(alternative) if _SPACE.sub(" ", p).strip() in have), default=-1
    )
    added = {
        text
        for p in alternative[last + 1 :]
        if len((text := _SPACE.sub(" ", p).strip()).split()) >= _CARD_SUMMARY_WORDS
    }
    if len(added) < TEASER_STREAM_CARDS:
        return False
    cards = {
        text for el, text in _page_texts(tree, ("p",)) if text in added and _under_link_heading(el)
    }
    return len(cards) >= max(TEASER_STREAM_CARDS, TEASER_STREAM_SHARE * len(added))


def _under_link_heading(el: HtmlElement) -> bool:
    heading = el.getprevious()
    if heading is None or heading.tag not in _SECTION_HEADINGS:
        return False
    return bool(_whole_links(heading, _text_of(heading)))


def _whole_links(heading: HtmlElement, text: str) -> list[HtmlElement]:
    """The links in `heading` that hold its whole `text`: a linked headline."""
    return [link for link in heading.iter("a") if _text_of(link) == text]


def _trigrams(paragraphs: list[str]) -> set[tuple[str, ...]]:
    tokens = _tokens(paragraphs)
    return set(zip(tokens, tokens[1:], tokens[2:], strict=False))


def _tokens(paragraphs: list[str]) -> list[str]:
    return re.findall(r"\w+", " ".join(paragraphs).casefold())


def link_share(paragraphs: list[str], links: LinkIndex) -> float:
    """The share of the words of `paragraphs` that are the text of one of the page's links
    (each link's whole word sequence found in place), 0.0 for no words. Extractors drop the
    <a> tags, so linked text is found again by its words."""
    return links.share(paragraphs)


class LinkIndex:
    """The word sequences of a page's links, by first word. Built by `clean_html` once per
    page and handed to every step that asks (the candidate comparison, the gap filling,
    the link-list tail); the links are read on the first question, so a page no step asks
    about costs nothing. The tree must not change between the questions."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._links: dict[str, set[tuple[str, ...]]] | None = None

    @property
    def links(self) -> dict[str, set[tuple[str, ...]]]:
        if self._links is None:
            self._links = {}
            for link in self._tree.iter("a"):
                words = tuple(re.findall(r"\w+", link.text_content().casefold()))
                if words:
                    self._links.setdefault(words[0], set()).add(words)
        return self._links

    def share(self, paragraphs: list[str]) -> float:
        tokens = _tokens(paragraphs)
        if not tokens:
            return 0.0
        links = self.links
        linked = [False] * len(tokens)
        for start, token in enumerate(tokens):
            for words in links.get(token, ()):
                end = start + len(words)
                if tuple(tokens[start:end]) == words:
                    linked[start:end] = [True] * len(words)
        return sum(linked) / len(tokens)


_SECTION_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def _text_of(el: HtmlElement) -> str:
    """The text of `el` and its descendants, white space collapsed."""
    return _SPACE.sub(" ", el.text_content()).strip()


def _page_texts(tree: HtmlElement, tags: tuple[str, ...]) -> list[tuple[HtmlElement, str]]:
    """`tree`'s elements of `tags` that hold text, in document order, with their text."""
    return [(el, text) for el in tree.iter(*tags) if (text := _text_of(el))]


# A page block is in a body when the body holds its first this many characters: extractors
# differ in inline white space further on.
_BODY_PREFIX = 60


def _in_body(text: str, joined: str) -> bool:
    """Whether a page block's `text` is in the body whose paragraphs `joined` holds, white
    space collapsed."""
    return text[:_BODY_PREFIX] in joined


def outside_prose(chosen: list[str], tree: HtmlElement, options: HtmlOptions) -> bool:
    """Whether `tree` has <p> prose or a section heading the chosen body lacks, inside it
    (between the first and the last <p> the body has), or <p> prose right before it: the
    cheap test for running `fill_gaps`."""
    joined = _SPACE.sub(" ", " ".join(chosen))
    if not joined:
        return False
    heading_words = options.fill_trigger_heading_words
    tags = ("p", *_SECTION_HEADINGS) if heading_words is not None else ("p",)
    texts: list[str] = []
    kept: list[int] = []
    headings: set[int] = set()  # indexes of `texts` that are section headings
    for el, text in _page_texts(tree, tags):
        if el.tag != "p":
            headings.add(len(texts))
        elif _in_body(text, joined):
            kept.append(len(texts))
        texts.append(text)
    if not kept:
        return False
    first, last = kept[0], kept[-1]
    lead = options.fill_lead_words
    above = next((i for i in range(first - 1, -1, -1) if i not in headings), None)
    if lead is not None and above is not None and len(texts[above].split()) >= lead:
        return True
    kept_set = set(kept)
    for i in range(first + 1, last):
        if i in headings:
            if heading_words is not None and len(texts[i].split()) >= heading_words:
                if not _in_body(texts[i], joined):
                    return True
        elif i not in kept_set and len(texts[i].split()) >= options.fill_trigger_words:
            return True
    return False


def fill_gaps(
    chosen: list[str], recall: list[str], links: LinkIndex, options: HtmlOptions
) -> list[str]:
    """`chosen` with the paragraphs of the recall-mode body `recall` that lie inside it
    (between the first and last paragraph both have) and are not mostly link text, and
    with the lead paragraph right before it when that is long and not mostly link text.
    Added paragraphs go where the recall body has them; `chosen`'s own are kept as they are.
    Paragraphs are matched by 4-token shingles, so it holds in any language and layout."""
    if not chosen or not recall:
        return chosen
    grams = ngrams(chosen)
    # each paragraph's shingles once: the places below compare every pair of paragraphs
    recall_shingles = [paragraph_shingles(p) for p in recall]
    shared = [i for i, s in enumerate(recall_shingles) if shingle_coverage(s, grams) >= 0.5]
    if not shared:
        return chosen
    first, last = shared[0], shared[-1]
    added: list[int] = []
    shared_set = set(shared)
    for i, paragraph in enumerate(recall):
        if i in shared_set:
            continue
        inside = first < i < last and options.fill_inside_links is not None
        lead = (
            i == first - 1
            and options.fill_lead_words is not None
            and len(paragraph.split()) >= options.fill_lead_words
        )
        if inside:
            limit = options.fill_inside_links
        elif lead:
            limit = options.alternative_max_links
        else:
            continue
        if links.share([paragraph]) < limit:
            added.append(i)
    if not added:
        return chosen
    # Each chosen paragraph's place in the recall body (None: recall does not have it).
    recall_grams = {i: ngrams([recall[i]]) for i in shared}
    places: list[int | None] = []
    for paragraph in chosen:
        own, mine = ngrams([paragraph]), paragraph_shingles(paragraph)
        places.append(
            next(
                (
                    i
                    for i in shared
                    if shingle_coverage(recall_shingles[i], own) >= 0.5
                    or shingle_coverage(mine, recall_grams[i]) >= 0.5
                ),
                None,
            )
        )
    merged: list[str] = []
    for paragraph, place in zip(chosen, places, strict=True):
        while added and place is not None and added[0] < place:
            merged.append(recall[added.pop(0)])
        merged.append(paragraph)
    merged.extend(recall[i] for i in added)
    return merged


# --- the standfirst ----------------------------------------------------------------------

_DESCRIPTION_WORDS = 8  # a shorter description is a slogan or a title, not a summary
_STANDFIRST_SPAN = 2.0  # the block is at most this many times the description's words (+5)
_STANDFIRST_TAGS = frozenset({"h1", "title", "script", "style", "noscript", "template"})


def standfirst(
    paragraphs: list[str],
    tree: HtmlElement,
    description: str,
    title: str | None,
    most_between: int | None = None,
    container_levels: int | None = None,
) -> str | None:
    """The text of the page's standfirst when the body lacks it: the smallest visible block
    that holds the page's meta description (description and summary are the same text on
    news pages, the description often cut short), found by the description's first words
    and checked by 4-token shingles, so it holds in any language and layout. None when the
    body already has that text, the description is too short to say, or no block holds it.

    `most_between`: a block followed by more than this many words of other text before the
    body's first words (a summary in the page header, above a byline box or a caption) is
    not taken, unless it shares a container with the body's first words at most
    `container_levels` above it (see `standfirst_block`); None: wherever it stands."""
    found = standfirst_block(paragraphs, tree, description, title, most_between or 0)
    if found is None:
        return None
    text, between, levels = found
    if most_between is None or (between is not None and between <= most_between):
        return text
    if container_levels is not None and levels is not None and levels <= container_levels:
        return text
    return None


def standfirst_block(
    paragraphs: list[str], tree: HtmlElement, description: str, title: str | None, most: int
) -> tuple[str, int | None, int | None] | None:
    """`standfirst`'s block text, the words of other text between it and the body's first
    words (None: more than `most`, or the body's words do not follow it), and how many
    levels above the block its nearest common ancestor with the element holding the body's
    first words is (None: the body's first words are not found after it, or the block is a
    heading)."""
    words = description.split()
    if not paragraphs or len(words) < _DESCRIPTION_WORDS:
        return None
    wanted = shingles(description)
    body = shingles(" ".join(paragraphs))
    if _covered(wanted, body) >= 0.5:
        return None
    key = " ".join(words[:4])
    limit = _STANDFIRST_SPAN * len(words) + 5
    folded_title = title.casefold() if title else None
    for node in _TEXT_CONTAINING(tree, key=key):
        el = node.getparent()
        if node.is_tail and el is not None:  # text after `el`, inside its parent
            el = el.getparent()
        while el is not None and isinstance(el.tag, str) and el.tag not in _STANDFIRST_TAGS:
            text = _text_of(el)
            if len(text.split()) > limit:
                break
            if _covered(wanted, shingles(text)) >= 0.8:
                if text.casefold() == folded_title:
                    return None
                levels = None if el.tag in _SECTION_HEADINGS else _levels_up(el, paragraphs[0])
                return text, _words_before(el, paragraphs[0], most), levels
            el = el.getparent()
    return None


_SKIPPED_TEXT = frozenset({"script", "style", "noscript", "template"})


def _words_before(block: HtmlElement, first_paragraph: str, most: int) -> int | None:
    """How many words of other visible text lie between `block` and the body's first words
    (an image credit, a byline or a date line may sit there); None: more than `most`."""
    key = first_paragraph.split()[:4]
    if not key:
        return None
    seen: list[str] = []
    for node in _FOLLOWING_TEXT(block):
        holder = node.getparent()
        if node.is_tail and holder is not None:
            holder = holder.getparent()
        if holder is not None and holder.tag in _SKIPPED_TEXT:
            continue
        seen.extend(node.split())
        for start in range(min(most, len(seen) - len(key)) + 1):
            if seen[start : start + len(key)] == key:
                return start
        if len(seen) >= most + len(key):
            return None
    return None


_LEVELS_WINDOW = 400  # words after the block searched for the body's first words


def _levels_up(block: HtmlElement, first_paragraph: str) -> int | None:
    """How many levels above `block` its nearest common ancestor with the element that
    holds the body's first words is (1: they are siblings' contents under one parent);
    None when those words do not follow within `_LEVELS_WINDOW` words."""
    key = first_paragraph.split()[:4]
    if not key:
        return None
    seen: list[str] = []
    holders: list[_Element] = []
    for node in _FOLLOWING_TEXT(block):
        holder = node.getparent()
        if node.is_tail and holder is not None:
            holder = holder.getparent()
        if holder is None or holder.tag in _SKIPPED_TEXT:
            continue
        words = node.split()
        seen.extend(words)
        holders.extend([holder] * len(words))
        for start in range(max(0, len(seen) - len(words) - len(key)), len(seen) - len(key) + 1):
            if seen[start : start + len(key)] == key:
                levels = {el: n for n, el in enumerate(block.iterancestors(), 1)}
                el: _Element | None = holders[start]
                while el is not None and el not in levels:
                    el = el.getparent()
                return levels.get(el) if el is not None else None
        if len(seen) >= _LEVELS_WINDOW:
            return None
    return None


_FOLLOWING_TEXT = lxml.etree.XPath("following::text()")
_TEXT_CONTAINING = lxml.etree.XPath("//body//text()[contains(normalize-space(.), $key)]")


def _covered(wanted: Counter[tuple[str, ...]], found: Counter[tuple[str, ...]]) -> float:
    """The share of the shingles of `wanted` that `found` has."""
    total = sum(wanted.values())
    return sum(min(n, found[k]) for k, n in wanted.items()) / total if total else 0.0


# --- input ---------------------------------------------------------------------------------


def _decode(html: str | bytes) -> str:
    if isinstance(html, bytes):
        # The project's one decoder (BOM, UTF-8 over stale declarations, a declaration the
        # bytes agree with, then detection); None: no encoding makes the bytes readable.
        decoded = decode_html(html)
        return decoded.text if decoded is not None else ""
    return html


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def _parse(html: str) -> HtmlElement | None:
    """Parse already-decoded text. Not trafilatura's load_html: handed text with an XML
    encoding declaration, it re-encodes it and lets lxml follow the page's <meta charset>,
    which decodes the page a second time (mojibake on every non-UTF-8-declared page)."""
    if not html or not html.strip():
        return None
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = load_html(html)
    except (ValueError, TypeError):  # lxml refuses some inputs outright (e.g. NUL-only)
        tree = None
    if tree is None or len(tree) < 1:
        try:  # bytes with the encoding stated, so a <meta charset> cannot override it
            tree = lxml.html.document_fromstring(
                html.encode("utf-8", "surrogatepass"), parser=_UTF8_PARSER
            )
        except (ValueError, TypeError, lxml.etree.ParserError):
            return None
    return tree if isinstance(tree, HtmlElement) else None


def _html_language(tree: HtmlElement) -> str | None:
    root = tree.getroottree().getroot()
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return lang.strip() or None if lang else None


# --- trafilatura's body tree -> paragraphs -------------------------------------------------

# Elements of trafilatura's output tree that hold several paragraphs, not one.
_CONTAINERS = frozenset({"list", "quote", "table", "div", "body"})
_ROWS = frozenset({"item", "row", "p", "head", "code", "quote", "list", "table"})
_SPACE = re.compile(r"\s+")


def body_paragraphs(body: _Element | None) -> list[str]:
    """One string per paragraph, heading, list item and table row, whitespace collapsed."""
    if body is None:
        return []
    paragraphs: list[str] = []
    _collect(body, paragraphs)  # body is a container: its text and children's tails count
    return paragraphs


def _collect(el: _Element, out: list[str]) -> None:
    if el.tag in _CONTAINERS and any(child.tag in _ROWS for child in el):
        if el.text and el.text.strip():
            out.append(_clean(el.text))
        for child in el:
            _collect(child, out)
            if child.tail and child.tail.strip():
                out.append(_clean(child.tail))
        return
    text = _clean(_spaced_text(el))
    if text:
        out.append(text)


# trafilatura's output tree keeps formatting and links as <hi>/<ref> (and some HTML inline
# tags); any other element boundary inside a paragraph is a word break (cells, nested
# paragraphs, line breaks, graphics).
_TREE_INLINE = INLINE_TAGS | {"hi", "ref"}


def _spaced_text(el: _Element) -> str:
    parts: list[str] = []
    _spaced(el, parts, top=True)
    return "".join(parts)


def _spaced(el: _Element, out: list[str], top: bool = False) -> None:
    if isinstance(el.tag, str):
        edge = "" if el.tag in _TREE_INLINE else " "
        out.append(edge)
        out.append(el.text or "")
        for child in el:
            _spaced(child, out)
        out.append(edge)
    if not top:
        out.append(el.tail or "")


def _clean(text: str | None) -> str | None:
    return _SPACE.sub(" ", text).strip() or None if text else None


# --- second opinion ------------------------------------------------------------------------


def _readability_paragraphs(text: str, options: HtmlOptions) -> list[str]:
    """A readability-style article from a fresh parse of the page, with the same comment
    sections and widgets detached (extractors modify the tree they are given).

    trafilatura's own port of readability is used: on the benchmark it recovers nearly as
    much as readability-lxml as a second opinion, at a sixth of the cost
    (bench/RESULTS.md)."""
    tree = _parse(text)
    if tree is None:
        return []
    index = PageIndex(tree, _PAGE_SELECTORS)
    extract_comments(tree, index)
    if options.noise_blocks:
        remove_noise_blocks(tree, index)
    remove_hidden_blocks(tree, _paragraph_words(index), index)
    return _readability_on(tree)


def _readability_on(tree: HtmlElement) -> list[str]:
    """trafilatura's readability port on `tree` (which it modifies)."""
    try:
        summary = ReadabilityDocument(tree, min_text_length=25).summary()
    except Exception:  # the port raises its own errors and lxml's; a page never crashes us
        return []
    fragment = _parse(f"<html><body>{summary}</body></html>") if summary else None
    if fragment is None:
        return []
    return [p for p in block_text(fragment).split("\n\n") if p]


def _justext_paragraphs(tree: HtmlElement, language: str | None) -> list[str]:
    """jusText's non-boilerplate paragraphs of `tree` (read, not modified)."""
    code = (language or "").split("-")[0].lower()
    stoplist = (
        get_stoplist(JUSTEXT_LANGUAGES[code])
        if code in JUSTEXT_LANGUAGES
        else (JT_STOPLIST or jt_stoplist_init())
    )
    try:
        paragraphs = ParagraphMaker.make_paragraphs(tree)
        classify_paragraphs(paragraphs, stoplist, 50, 150, 0.1, 0.2, 0.25, True)
        revise_paragraph_classification(paragraphs, 150)
    except Exception:  # jusText on odd markup; it is one voter of three
        return []
    return [_SPACE.sub(" ", p.text).strip() for p in paragraphs if not p.is_boilerplate]


def _page_tokens(tree: HtmlElement) -> list[str]:
    """The page's words in reading order (for putting voted paragraphs in order)."""
    return re.findall(r"\w+", block_text(tree).casefold())


def _paragraph_words(index: PageIndex) -> int:
    """Words in the page's <p> elements: what a body extractor could at most find there."""
    return sum(len(p.text_content().split()) for p in index.select("p"))


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


# --- paragraph-level noise (shared rule families) ------------------------------------------

# Families of cleaning.rules applied to trafilatura's paragraphs. Left out, by measurement
# on the article-extraction benchmark (bench/html_bench.py): `copyright`, `disclaimer` and
# `fragment` lines (credits, "originally published in", prices) are part of the gold
# article bodies about as often as not, so cutting them costs as much recall as it gains.
BODY_RULE_FAMILIES = frozenset(
    {
        "icon-sprite", "share", "donation", "newsletter", "cookie", "comment-chrome",
        "comment-policy", "bio", "ads", "tags", "nav", "related",
    }
)  # fmt: skip
_EDGE = 3  # paragraphs at each end of the body that are always checked
_SHORT_WORDS = 15  # paragraphs up to this long are checked wherever they are
_BYLINE = re.compile(
    r"^(?:by|written by|posted by|words by|words|author|authors|reporting by)\s*:?\s+\w",
    re.IGNORECASE,
)


class TableCells:
    """The word sequences of a page's table rows and cells (<tr>, <td>, <th>), read on the
    first question (most pages have no claimed paragraph to ask about). The tree must not
    change between the questions."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._cells: set[tuple[str, ...]] | None = None

    def __contains__(self, paragraph: str) -> bool:
        if self._cells is None:
            self._cells = set()
            for row in self._tree.iter("tr"):
                cells = [cell.text_content() for cell in row if cell.tag in ("td", "th")]
                # cells joined with a space: markup often has none between them
                self._cells.add(tuple(_WORD.findall(" ".join(cells).casefold())))
                self._cells.update(tuple(_WORD.findall(c.casefold())) for c in cells)
        return tuple(_WORD.findall(paragraph.casefold())) in self._cells


def drop_noise_paragraphs(
    paragraphs: list[str],
    title: str | None,
    metadata: Metadata,
    removed: list[Removal],
    table_cells: TableCells | None = None,
) -> list[str]:
    """Cut what trafilatura keeps but is not article text: the headline repeated as the first
    paragraph, a byline among the first paragraphs, and whole paragraphs that a noise rule
    family claims, unless the paragraph is one of `table_cells` away from the body's edges.
    Each cut is recorded with its family."""
    kept: list[str] = []
    folded_title = title.casefold() if title else None
    for position, paragraph in enumerate(paragraphs):
        if position == 0 and folded_title and paragraph.casefold() == folded_title:
            removed.append(Removal(paragraph, "title"))
            continue
        if position < 3 and _is_byline(paragraph, metadata.authors):
            removed.append(Removal(paragraph, "byline"))
            continue
        # Chrome is short or sits at the body's edges: long paragraphs in the middle are
        # not run through the rule set (same result on the benchmark, half the cost).
        edge = position < _EDGE or position >= len(paragraphs) - _EDGE
        if not edge and len(paragraph.split()) > _SHORT_WORDS:
            kept.append(paragraph)
            continue
        family = claimed_by(paragraph, BODY_RULE_FAMILIES)
        if family is not None and not edge and table_cells is not None:
            # A table row or cell inside the body is data (figures, prices, a schedule),
            # which the line rules, written for chrome lines, take for a menu or a
            # donation amount; at the body's edges a table is as likely a layout or menu
            # table, so there the rules still apply.
            family = None if paragraph in table_cells else family
        if family is not None:
            removed.append(Removal(paragraph, family))
            continue
        kept.append(paragraph)
    return kept


# --- the body's continuation ---------------------------------------------------------------

# An article split into chunks (an ad, a newsletter box or a pull quote between two
# containers of its paragraphs) makes the extractor stop at the first chunk. Paragraphs after
# the body in the same markup as most of the body's own (the same tags and classes up to
# `_CHUNK_PATH` ancestors) and in the same part of the page (under the body's last
# paragraph's `_CHUNK_SCOPE`-th ancestor) are the article going on, when they read as prose.
_CHUNK_PATH = 3
_CHUNK_SCOPE = 5
_CHUNK_KEPT = 3  # body paragraphs in that markup at least: the body's own markup
_CHUNK_WORDS = 10  # a continuation paragraph: this many words at least, ending a sentence


def continue_body(
    paragraphs: list[str], tree: HtmlElement, links: LinkIndex, run: int
) -> list[str]:
    """`paragraphs` with the page's <p> prose after the body that is in the body's own
    markup appended (see above), when there are at least `run` such paragraphs; not link
    text, not already in the body."""
    joined = _SPACE.sub(" ", " ".join(paragraphs))
    if not joined:
        return paragraphs
    texts = _page_texts(tree, ("p",))
    kept = [i for i, (_, text) in enumerate(texts) if _in_body(text, joined)]
    if len(kept) < _CHUNK_KEPT:
        return paragraphs
    markup, count = Counter(_markup(texts[i][0]) for i in kept).most_common(1)[0]
    if count < _CHUNK_KEPT:
        return paragraphs
    scope: HtmlElement | None = texts[kept[-1]][0]
    for _ in range(_CHUNK_SCOPE):
        scope = scope.getparent() if scope is not None else None
    if scope is None:
        return paragraphs
    inside = set(scope.iter("p"))
    added = [
        text
        for el, text in texts[kept[-1] + 1 :]
        if el in inside
        and _markup(el) == markup
        and not _in_body(text, joined)
        and len(text.split()) >= _CHUNK_WORDS
        and _HEADING_END.search(text)
        and links.share([text]) < 0.3
    ]
    return paragraphs + added if len(added) >= run else paragraphs


def _markup(el: HtmlElement) -> tuple[tuple[str, str], ...]:
    """An element's tag and class and those of its first `_CHUNK_PATH` ancestors."""
    path: list[tuple[str, str]] = []
    node: HtmlElement | None = el
    while node is not None and isinstance(node.tag, str) and len(path) <= _CHUNK_PATH:
        path.append((node.tag, node.get("class") or ""))
        node = node.getparent()
    return tuple(path)


# --- teaser cards ---------------------------------------------------------------------------

# A link that holds blocks (a heading, a paragraph, a list item, a box) is a teaser card: a
# related story's headline and summary made one click target. Article text is never inside
# a link's block content; extractors keep such cards when they sit inside the article's
# container (a "read more" row between paragraphs, a related-stories grid under the text).
_CARD_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "blockquote")
_LINK_CARDS = lxml.etree.XPath(
    "//body//a[@href][" + " or ".join(f".//{tag}" for tag in _CARD_BLOCKS) + "]"
)


def drop_link_cards(paragraphs: list[str], tree: HtmlElement, removed: list[Removal]) -> list[str]:
    """`paragraphs` without those that are the text of a teaser card of `tree` (a link
    holding block elements) or of one of the card's blocks; cut as `related`. Cut from the
    body, not from the page before extraction: taking the cards out of the tree moves
    trafilatura's choice of the article's container on some pages."""
    if not paragraphs:
        return paragraphs
    cards: set[str] = set()
    for card in _LINK_CARDS(tree):
        blocks = {_text_of(block) for block in card.iter(*_CARD_BLOCKS)}
        blocks.discard("")
        if blocks:  # a block with text, not only an image box
            cards.update(blocks)
            cards.add(_text_of(card))
    if not cards:
        return paragraphs
    kept = []
    for paragraph in paragraphs:
        if paragraph in cards:
            removed.append(Removal(paragraph, "related"))
        else:
            kept.append(paragraph)
    return kept


# --- the body's end ------------------------------------------------------------------------

# What extractors leave after the article is, far more often than not, a heading over a
# list of links (related stories, "more from", a tag cloud, footer menus) and a copyright
# line. Both are found by structure, in any language; settings measured on the four
# development sets (bench/RESULTS.md, ## HTML).
_TAIL_WINDOW = 6  # the last paragraphs looked at for a heading over a link list
_HEADING_WORDS = 8  # a heading: this many words at most, not ending like a sentence
_HEADING_END = re.compile(r"[.!?…\"”»)]\s*$")
_TEASER_WORDS = 40  # a teaser: at most this many words ...
_TEASER_LINKS = 0.8  # ... at least this share of them link text
# The paragraph above the heading must be article text, not another item of the list
# (a long list of links that is the article: a Wikipedia "External links" section).
_PROSE_CHARS = 40
_MARK = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
_MARK_WORDS = 15  # a copyright line, not a caption or a syndication note that has one
_CLOSING_FAMILIES = frozenset({"caption", "paywall"})


def drop_link_list_tail(
    paragraphs: list[str], links: LinkIndex, removed: list[Removal]
) -> list[str]:
    """`paragraphs` without a trailing link list: a short heading-like line right after
    article text and followed only by short paragraphs that are mostly link text (the
    page's <a> texts found again in them). Cut as `related`."""
    n = len(paragraphs)
    candidates = [
        i
        for i in range(n - 2, max(0, n - _TAIL_WINDOW) - 1, -1)
        if i > 0
        and len(paragraphs[i].split()) <= _HEADING_WORDS
        and not _HEADING_END.search(paragraphs[i])
    ]
    if not candidates:
        return paragraphs
    cut = None
    teasers_from = n  # paragraphs[teasers_from:] are all teasers
    for i in candidates:  # from the end backwards
        while teasers_from > i + 1 and _is_teaser(paragraphs[teasers_from - 1], links):
            teasers_from -= 1
        if teasers_from > i + 1:
            break  # article text after this heading, and after any heading further up
        above = paragraphs[i - 1]
        if len(above) >= _PROSE_CHARS and links.share([above]) < 0.5:
            cut = i
    if cut is None:
        return paragraphs
    removed.extend(Removal(paragraph, "related") for paragraph in paragraphs[cut:])
    return paragraphs[:cut]


def _is_teaser(paragraph: str, links: LinkIndex) -> bool:
    return len(paragraph.split()) <= _TEASER_WORDS and links.share([paragraph]) >= _TEASER_LINKS


def drop_credit_tail(paragraphs: list[str], removed: list[Removal]) -> list[str]:
    """`paragraphs` without a closing credit line: a short copyright line (©, "copyright",
    "all rights reserved"), a photo/source credit or a paywall notice (`caption` and
    `paywall` families) as the last paragraph, cut with its family. Only there: elsewhere
    such lines are captions and syndication notes that gold bodies keep about as often as
    not (the reason `copyright` is not among BODY_RULE_FAMILIES)."""
    if len(paragraphs) < 2:
        return paragraphs
    last = paragraphs[-1]
    if len(last.split()) <= _MARK_WORDS and _MARK.search(last):
        family: str | None = "copyright"
    else:
        family = claimed_by(last, _CLOSING_FAMILIES)
    if family is None:
        return paragraphs
    removed.append(Removal(last, family))
    return paragraphs[:-1]


# A headline: two words or more (one word is a section name), fewer than a paragraph.
# Chosen leave-one-set-out among 2-5 (bench/html_bench.py, bench/RESULTS.md ## HTML).
HEADLINE_FEWEST_WORDS = 2
_HEADLINE_MOST_WORDS = 30


def drop_headline_repeat(
    paragraphs: list[str],
    title: str | None,
    removed: list[Removal],
    fewest_words: int = HEADLINE_FEWEST_WORDS,
) -> list[str]:
    """`paragraphs` without the headline repeated as one of the first two paragraphs where
    it is not the whole page title: the page title is the headline with the site's name (or
    a section) added ("Headline | Site", "Site - Headline"). Cut as `title` when the
    paragraph's words are a run of the title's words; exact repeats are drop_noise_paragraphs'.
    Words are compared, not characters, so quotes, dashes and spacing do not matter and it
    holds in any language."""
    if not title or len(paragraphs) < 2:
        return paragraphs
    title_words = f" {' '.join(_WORD.findall(title.casefold()))} "
    for position in range(min(2, len(paragraphs) - 1)):
        words = _WORD.findall(paragraphs[position].casefold())
        if not fewest_words <= len(words) <= _HEADLINE_MOST_WORDS:
            continue
        joined = f" {' '.join(words)} "
        if joined != title_words and joined in title_words:
            removed.append(Removal(paragraphs[position], "title"))
            return paragraphs[:position] + paragraphs[position + 1 :]
    return paragraphs


_WORD = re.compile(r"\w+")


def _drop_profile_lines(
    paragraphs: list[str], site_profile: Iterable[str] | None, removed: list[Removal]
) -> list[str]:
    if not site_profile:
        return paragraphs
    # The same key as clean_text and the profile learner use, so one profile serves both.
    profile = {normalize_for_profile(line) for line in site_profile if line and line.strip()}
    kept = []
    for paragraph in paragraphs:
        if normalize_for_profile(paragraph) in profile:
            removed.append(Removal(paragraph, "site-profile"))
        else:
            kept.append(paragraph)
    return kept


def _is_byline(paragraph: str, authors: list[str]) -> bool:
    words = len(paragraph.split())
    if words > 15:
        return False
    if _BYLINE.match(paragraph):
        return True
    return words <= 8 and any(author in paragraph for author in authors)
