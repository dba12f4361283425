"""`clean_text`: a whole page flattened to text -> title + body + reader comments.

How it works, top-down:
1. `split_lines` unwraps markdown, rejoins paragraphs the flattening broke, and measures
   each line (words, sentence shape, link share, stop-word density in the page's language).
2. Every line gets a noise family when a rule claims it (`cleaning.rules`), when it is a
   link list, a byline or date stamp, a repeat on the page, or known to the site profile.
   Each line is then graded good / near / short / bad prose; story lists (headline,
   summary, headline, summary...) are graded bad as a block.
3. The comment area opens at a clear thread opener ("12 Comments", "Leave a reply",
   house rules, or repeated name + date-stamp posts) after some article text; it is
   parsed by `cleaning.text_comments`.
4. The body is the densest contiguous run of prose above it: each line scores + for
   prose and - for chrome, and the best-scoring run wins (the max-subarray view of
   boilerpipe/jusText's "good blocks surrounded by good blocks" idea). A bare "Related
   stories" heading with no prose after it ends the body; a list the body announces
   ("Tour dates:") or a dated schedule right after it stays in.
5. The headline is the best headline-shaped line above the body; byline, date and site
   name lines there go to metadata, and the language comes from the stop-word list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from cleaning.comment_signals import is_date_like, strip_says
from cleaning.rules import COMMENT_ZONE, PHOTO_AGENCIES, classify_line, opens_thread
from cleaning.text_comments import carries_text, parse_comments, post_start, signed_header
from cleaning.text_lines import (
    CJK_SENTENCE_END,
    TERMINAL,
    Line,
    mostly_cjk,
    pick_language,
    split_lines,
    stopword_density,
)
from cleaning.text_meta import find_byline, find_date, find_site, is_dateline
from cleaning.types import CleanedArticle, Metadata, Removal

__all__ = ["TextOptions", "clean_text", "normalize_for_profile"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TextOptions:
    """Knobs of `clean_text`; the CLI and the Scrapy settings build the same object."""

    comments: bool = True  # parse reader comments (else the comment area is just cut)
    record_removals: bool = True  # fill CleanedArticle.removed
    # Inside the body, a line shaped like a headline (no sentence end) with at least this
    # many words is taken for an inline "related story" teaser, not a subheading.
    related_headline_words: int = 12
    # Comment chrome only opens the comment area after this many words of article text.
    min_body_words_before_comments: int = 40
    # The body's tail (support asks, author box, teasers) starts at tail chrome with at
    # least this many words of prose above it and at most this share of that below it.
    tail_min_body_words: int = 150
    tail_prose_share: float = 0.25
    # Where links show (markdown), a headline + summary run is a teaser list only if at
    # least this share of its heads link somewhere.
    teaser_linked_share: float = 1.0
    # A table of contents names sections of the article: its entries, printed again
    # further down, stand over at least this many words of prose each on average.
    contents_section_words: int = 40
    # The body's first prose line, right over a photo credit, is the lead picture's
    # caption when it has at most this many words (0: never).
    lead_caption_words: int = 25


_DEFAULT_OPTIONS = TextOptions()

# Families that never count as article text even inside the body region.
_STRUCTURAL = {"nav", "related", "repeated", "site-profile", "title", "byline", "dateline"}
_BYLINE_START = re.compile(r"^(?:by|written by|posted by)\s+[A-Z]", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CLOSING_MARK = re.compile(r"[.!?:;]\W*$")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
# "About Northwind Energy" / "Über die Stadtwerke": the boilerplate section that closes a
# press release or a company post, in the languages of the rule files.
_ABOUT_HEADING = re.compile(
    r"^(?:about|über|à propos d[eu']|acerca de|sobre|informazioni su|over|o firmie|о компании|"
    r"hakkında)\s*\S.{0,60}$",
    re.IGNORECASE,
)


def clean_text(
    text: str,
    url: str | None = None,
    *,
    site_profile: Iterable[str] | None = None,
    options: TextOptions | None = None,
) -> CleanedArticle:
    """Clean one page that was flattened to text (get_text dump, markdown, scraper text).

    `site_profile`: lines learned as boilerplate for this site across many pages; any
    line of the page equal to one of them (after `normalize_for_profile`) is dropped.
    """
    opts = options or _DEFAULT_OPTIONS
    lines = split_lines(text or "")
    if not lines:
        return CleanedArticle(title=None, paragraphs=[], metadata=Metadata(canonical_url=url))

    language, stops = pick_language(lines)
    for line in lines:
        line.stop_density = stopword_density(line.text, stops)
    families, rule_families = _label_noise(lines, site_profile)
    kinds = [_quality(line, families[i], bool(stops)) for i, line in enumerate(lines)]
    listing = _mark_code_blocks(lines, kinds)
    _mark_reference_marks(lines, kinds)
    _mark_formulas(lines, families, kinds)
    _mark_contents_lists(lines, families, kinds, opts.contents_section_words)
    _mark_teaser_lists(lines, families, kinds, stops, opts.teaser_linked_share)
    _mark_linked_teaser_items(lines, families, kinds)
    _mark_kicker_lists(lines, families)
    _mark_ranked_lists(lines, families)
    _mark_headed_link_lists(lines, families, kinds)
    announced = _mark_announced_sublists(lines, families, kinds)

    zone, start, end = _layout(lines, families, kinds, opts, stops)

    title_index = _find_title(lines, families, start)
    title = lines[title_index].text if title_index is not None else None
    title_key = _key(title) if title else None

    metadata, meta_lines = _metadata(lines[:start], url, families, language)
    lead_caption = _lead_caption(lines, families, kinds, start, end, opts.lead_caption_words)

    paragraphs: list[str] = []
    removed: list[Removal] = []

    def drop(line: Line, reason: str) -> None:
        if opts.record_removals:
            removed.append(Removal(line.text, reason))

    for i, line in enumerate(lines[:zone]):
        family = families[i]
        if i == title_index or (title_key and _key(line.text) == title_key):
            drop(line, "title")
        elif i in meta_lines:
            drop(line, meta_lines[i])
        elif not start <= i < end:
            drop(line, family or "boilerplate")
        elif family and not (
            (i in listing and _listing_token(line, family))
            or (family in _LISTING_FAMILIES and _in_program_text(lines, i))
            or _word_in_sentence(lines, families, i)
        ):
            drop(line, family)
        elif i == lead_caption or _caption_after_image(line):
            drop(line, "caption")
        elif (
            _inline_related(line, opts)
            and i not in (start, end - 1)
            and i not in announced
            and not _sentence_runs_on(lines, families, i)
            and not _continued_below(lines, i)
            and not _in_headline_run(lines, families, i, opts)
            and not _between_paragraphs(lines, families, i)
            and not _in_program_text(lines, i)
            and not _list_amid_prose(lines, families, kinds, i)
            and not _amid_prose(lines, families, kinds, i)
            and not _in_long_list(lines, families, i, opts)
        ):
            drop(line, "related")
        else:
            paragraphs.append(line.text)

    paragraphs, copies = _drop_body_copies(paragraphs)
    if opts.record_removals:
        removed.extend(Removal(text, "repeated") for text in copies)
    comments = []
    if zone < len(lines):
        comment_lines = lines[zone:]
        if opts.comments:
            # Only the rule families: names recur and are lowercase scraps in a thread.
            comments, dropped = parse_comments(comment_lines, rule_families[zone:], stops)
            for line, reason in dropped:
                drop(line, reason)
        else:
            for offset, line in enumerate(comment_lines):
                drop(line, families[zone + offset] or "comment-chrome")

    return CleanedArticle(
        title=title,
        paragraphs=paragraphs,
        comments=comments,
        removed=removed,
        metadata=metadata,
    )


_COPY_WORDS = 100  # a copy of the article holds at least this many words ...
_COPY_PARTS = 2  # ... and this many of its paragraphs (of ten words or more), word for word,
_COPY_SHARE = 0.5  # ... which make up at least this share of it


def _drop_body_copies(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """A long paragraph that holds two or more of the paragraphs kept before it, word for
    word, is the article printed again in one line (a page's metadata or print copy of
    its text), not more of it. Returns the paragraphs kept and the copies."""
    kept: list[str] = []
    copies: list[str] = []
    words: dict[str, int] = {}  # kept paragraphs of ten words or more -> their words
    for text in paragraphs:
        size = len(text.split()) if len(text) > 6 * _COPY_WORDS else 0
        if size >= _COPY_WORDS:
            parts = [k for k in words if k != text and k in text]
            covered = sum(words[k] for k in parts)
            if len(parts) >= _COPY_PARTS and covered >= _COPY_SHARE * size:
                copies.append(text)
                continue
        kept.append(text)
        if len(text) >= 20 and (n := len(text.split())) >= 10:
            words[text] = n
    return kept, copies


_CREDIT_WORDS = 8


def _lead_caption(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    start: int,
    end: int,
    max_words: int = _DEFAULT_OPTIONS.lead_caption_words,
) -> int | None:
    """The body's first prose line, a sentence or two right over a photo credit: the
    caption of the lead picture (a lede runs longer, and its credit line, if any, comes
    under the picture above it). An agency's name over a date stamp is the byline of
    the standfirst above it, and a caption line of its own under the line is the
    picture's: then the line is the article's."""
    for i in range(start, min(end, len(lines) - 1)):
        if families[i] is None and kinds[i] in (GOOD, NEAR):
            credit = lines[i + 1]
            if (
                lines[i].words <= max_words
                and families[i + 1] in ("caption", "copyright")
                and credit.words <= _CREDIT_WORDS
                and not (i + 2 < len(lines) and families[i + 2] == "dateline")
            ):
                return i
            return None
    return None


_IMAGE_CAPTION_WORDS = (10, 40)


def _caption_after_image(line: Line) -> bool:
    """A markdown line that opens with a picture and goes on in text: the picture's
    caption, pasted on by the flattening. It runs a sentence or two and ends on its
    credit ("... in Madrid. EFE/ J.J. Guillén", "... (AP)"), not on a full stop; a
    paragraph that merely starts with an inline image runs on and ends a sentence, and
    a label of a few words ("Scatter plot") is a figure's title the article refers to."""
    low, high = _IMAGE_CAPTION_WORDS
    return (
        line.raw.lstrip().startswith(("![", "[!["))
        and low <= line.words <= high
        and not line.terminal
    )


def normalize_for_profile(line: str) -> str:
    """The key under which a line is stored in / matched against a site profile."""
    return _NON_WORD.sub(" ", line).strip().casefold()


# --- noise labels --------------------------------------------------------------------------


def _label_noise(
    lines: list[Line], site_profile: Iterable[str] | None
) -> tuple[list[str | None], list[str | None]]:
    """Per line: the noise family from every signal, and from the rule tables alone."""
    profile = {normalize_for_profile(p) for p in site_profile or () if p and p.strip()}
    counts = Counter(_key(line.text) for line in lines)
    seen: set[str] = set()
    families: list[str | None] = []
    rule_families: list[str | None] = []
    for line in lines:
        family = classify_line(line.text)
        if family is None and profile and normalize_for_profile(line.text) in profile:
            family = "site-profile"
        rule_families.append(family)
        if family is None:
            family = _structural_family(line, counts)
        key = _key(line.text)
        # (a repeated long paragraph is the text itself, printed twice by the template)
        if family is None and key in seen and 8 <= line.words <= 40:
            family = REPEATED_TEXT  # a caption or pull quote printed again: keep the first
        seen.add(key)
        families.append(family)
    _spread_consent_dialog(lines, families)
    _mark_split_bylines(lines, families)
    _mark_pointer_targets(lines, families)
    _mark_date_labels(lines, families)
    _mark_newsletter_boxes(lines, families)
    _mark_gallery_slides(lines, families)
    return families, rule_families


# A slide's counter: "3/50", "(3 / 50)", glued before the slide's title in markdown.
_SLIDE_COUNTER = re.compile(r"^(?:#+ )?[(\[]?(\d{1,3})\s?/\s?(\d{1,3})[)\]]?(?:\s|$)")
_GALLERY_SLIDES = 3
GALLERY = "gallery"
# A slideshow beside an article, not the page's own story told in slides (a "slideshow"
# page): the article's sentences outside it hold this many words.
_GALLERY_ARTICLE_WORDS = 150


def _mark_gallery_slides(lines: list[Line], families: list[str | None]) -> None:
    """A picture gallery flattened in line: each slide opens with its counter ("1/50",
    "2/50", ...; in markdown glued before the slide's title), then its title, caption and
    credit. Three counters or more of one total, counted up by one each, are a slideshow
    beside the article, in any language: the counters and the slides between them go,
    and after the last counter as many lines as the longest slide before it. Not where
    the page has no article beside them (a story told as a slideshow)."""
    n = len(lines)
    i = 0
    while i < n:
        match = _SLIDE_COUNTER.match(lines[i].text)
        if match is None or int(match.group(1)) >= int(match.group(2)):
            i += 1
            continue
        total, number = match.group(2), int(match.group(1))
        counters = [i]
        j = i + 1
        while j < n and j - counters[-1] <= 12:
            nxt = _SLIDE_COUNTER.match(lines[j].text)
            if nxt and nxt.group(2) == total and int(nxt.group(1)) == number + 1:
                counters.append(j)
                number += 1
            j += 1
        if len(counters) < _GALLERY_SLIDES:
            i += 1
            continue
        slide = max(b - a for a, b in pairwise(counters))
        last = min(n, counters[-1] + slide)
        if _prose_words_outside(lines, families, counters[0], last) >= _GALLERY_ARTICLE_WORDS:
            for k in range(counters[0], last):
                families[k] = GALLERY  # its counters and credits too
        i = last


def _prose_words_outside(lines: list[Line], families: list[str | None], i: int, j: int) -> int:
    """Words of the page's unclaimed sentences (twelve words or more) outside lines[i:j]."""
    return sum(
        line.words
        for k, line in enumerate(lines)
        if not i <= k < j and families[k] is None and line.words >= 12 and line.terminal
    )


_BOX_GAP = 3
_BOX_FAMILIES = frozenset({"newsletter", "paywall"})
_BOX_TITLE_WORDS = 6
_BOX_BLURB_WORDS = 30


def _mark_newsletter_boxes(lines: list[Line], families: list[str | None]) -> None:
    """A newsletter or subscription box prints its name and a line of blurb ("Der Morgen"
    / "Der perfekte Start in den Tag ...") between its heading and its button, or right
    over the button: short lines between two such lines a few lines apart, or a short
    name (and one blurb) right over one, are the box's, in any language."""
    marks = [i for i, family in enumerate(families) if family in _BOX_FAMILIES]
    for a, b in pairwise(marks):
        if 1 < b - a <= _BOX_GAP + 1 and all(
            families[k] is None and lines[k].words <= _BOX_BLURB_WORDS for k in range(a + 1, b)
        ):
            for k in range(a + 1, b):
                families[k] = families[a]
    for k in marks:
        title = k - 1
        if title >= 0 and families[title] is None and lines[title].words > _BOX_TITLE_WORDS:
            title -= 1  # a blurb between the name and the button
        if (
            title >= 0
            and families[title] is None
            and lines[title].words <= _BOX_TITLE_WORDS
            and not lines[title].terminal
            and all(
                families[j] is None and lines[j].words <= _BOX_BLURB_WORDS
                for j in range(title + 1, k)
            )
        ):
            for j in range(title, k):
                families[j] = families[k]


_DATE_LABEL_WORDS = 3


def _mark_date_labels(lines: list[Line], families: list[str | None]) -> None:
    """ "Published:" / "| UPDATED:" / "Aktualizacja:" on a line of its own, right over a
    date stamp: a get_text dump broke the stamp's label off at its <time> tag, in any
    language. The label goes with the stamp, weighed as the short line it is (a
    standfirst above it stays with the article)."""
    for i in range(len(lines) - 1):
        line = lines[i]
        if (
            families[i] is None
            and line.text[-1:] == ":"
            and line.words <= _DATE_LABEL_WORDS
            and (families[i + 1] == "dateline" or is_dateline(lines[i + 1].text))
        ):
            families[i] = DATE_LABEL


def _mark_pointer_targets(lines: list[Line], families: list[str | None]) -> None:
    """A menu label that ends in a colon ("Main article:", "Hauptartikel:") points to the
    page named on the next line, which a get_text dump breaks off at its link: a name of
    a few words without a sentence end ("History of New Zealand") is the same pointer."""
    for i in range(len(lines) - 1):
        if lines[i].text[-1:] != ":" or families[i] not in ("nav", "caption"):
            continue
        target = lines[i + 1]
        if families[i + 1] is not None:
            continue
        if families[i] == "nav" and 1 <= target.words <= 12 and not target.terminal:
            families[i + 1] = "nav"
        # "Legende:" / "Foto:" over the caption or the credit it labels
        elif families[i] == "caption" and lines[i].words <= 2 and target.words <= _CAPTION_WORDS:
            families[i + 1] = "caption"


_CAPTION_WORDS = 40


# The word that opens a byline, in the languages of the rule files ("By" / "Von" / "Par").
_BYLINE_WORDS = frozenset(
    "by von par por di door przez av af автор yazan".split()
)  # fmt: skip


def _mark_split_bylines(lines: list[Line], families: list[str | None]) -> None:
    """A get_text dump breaks "By <a>Jane Doe</a>" into "By" / "Jane Doe": the word alone
    on its line, and the author's name (maybe with an outlet or a date) on the next line
    are a byline, in any of the rule files' languages. Dropped, but weighed as any short
    line (see `_quality`): a standfirst above the byline stays with the article."""
    for i in range(len(lines) - 1):
        line = lines[i]
        if line.words != 1 or line.text.rstrip(":").strip().casefold() not in _BYLINE_WORDS:
            continue
        name = lines[i + 1]
        if (
            families[i + 1] in (None, "repeated")
            and 1 <= name.words <= 16
            and (name.text[:1].isupper() or name.text[:1] == "@")
            and not name.terminal
        ):
            families[i] = families[i] or AUTHOR_NAME
            families[i + 1] = AUTHOR_NAME


# The vocabulary of consent dialogs (GDPR/CCPA), in the languages of the rule files.
_CONSENT_WORD = re.compile(
    r"\b(?:cookies?|consent|opt[- ]?out|personal (?:data|information)|third[- ]part(?:y|ies)|"
    r"tracking|privacy|preferences|vendors?|legitimate interest|einwilligung|zustimmung|"
    r"datenschutz|personenbezogen\w*|drittanbieter\w*|consentement|données personnelles|"
    r"traceurs|consentimiento|datos personales|terceros|consenso|dati personali|"
    r"toestemming|persoonsgegevens|zgod\w*|dane osobowe|danych osobowych|согласи\w*|"
    r"персональн\w+ данн\w+|çerez\w*|kişisel veri\w*)\b",
    re.IGNORECASE,
)


_BANNER_WORDS = 3
# "Consent" in the languages of the rule files: what a banner asks for, and an article
# about tracking rarely says.
_CONSENT_STEMS = (
    "consent", "einwilligung", "zustimmung", "consentement", "consentimiento", "consenso",
    "toestemming", "zgod", "согласи",
)  # fmt: skip


def _consent_banner(text: str) -> bool:
    """A consent banner printed as one paragraph, too long for the cookie rules' length
    guard: it names cookies, asks for consent and says one more word of the dialog's
    vocabulary ("third-party", "privacy"), in any of the rule files' languages."""
    if "ook" not in text and "çerez" not in text.casefold():
        return False
    found = {m.casefold().rstrip("s").replace("-", " ") for m in _CONSENT_WORD.findall(text)}
    return (
        len(found) >= _BANNER_WORDS
        and any(w.startswith(("cookie", "çerez")) for w in found)
        and any(w.startswith(_CONSENT_STEMS) for w in found)
    )


def _spread_consent_dialog(lines: list[Line], families: list[str | None]) -> None:
    """A consent dialog prints long paragraphs the cookie rules' length guard lets pass;
    near lines the rules did claim as cookie chrome, a line speaking the dialog's
    vocabulary (two words of it or more) belongs to the same dialog."""
    for i, line in enumerate(lines):
        if families[i] is None and _consent_banner(line.text):
            families[i] = "cookie"
    claimed = [i for i, family in enumerate(families) if family == "cookie"]
    if not claimed:
        return
    for i, line in enumerate(lines):
        if families[i] is not None or not any(abs(i - j) <= 12 for j in claimed):
            continue
        if len(_CONSENT_WORD.findall(line.text)) >= 2:
            families[i] = "cookie"


_RANK = re.compile(r"^(\d{1,2})\.?$")
_RANKED_ITEMS = 3


def _mark_ranked_lists(lines: list[Line], families: list[str | None]) -> None:
    """A "most read" box prints its rank over each headline: "1" / headline / "2" /
    headline / "3" ..., in any language. Ranks counted up from 1, each over a single
    line without a sentence end, three times or more, are a list of other stories (the
    steps of a numbered list in the article end their sentences, or run to paragraphs)."""
    n = len(lines)
    for i in range(n):
        if lines[i].text not in ("1", "1."):
            continue
        j, rank = i, 1
        while (
            j + 1 < n
            and (match := _RANK.match(lines[j].text)) is not None
            and int(match.group(1)) == rank
            and not lines[j + 1].terminal
            and 2 <= lines[j + 1].words <= 20
        ):
            j, rank = j + 2, rank + 1
        if rank - 1 >= _RANKED_ITEMS:
            for k in range(i, j):
                if families[k] in (None, "fragment"):
                    families[k] = "teaser-list"


def _structural_family(line: Line, counts: Counter[str]) -> str | None:
    # Menus and link lists: most of the visible text is link text.
    if line.links and line.link_density >= 0.6 and line.words <= 25:
        return "related" if line.links == 1 and line.words >= 6 else "nav"
    if line.links >= 3 and line.link_density >= 0.4:
        return "nav"
    # "Label: link, link" rows (Region: / Theme: / Filed under:) whatever the label.
    if line.links and ":" in line.text[:30]:
        label, _, rest = line.text.partition(":")
        if len(label.split()) <= 3 and line.link_chars >= 0.8 * len(rest.strip()):
            return "tags"
    if line.words <= 12 and _photo_credit(line.text):
        return "caption"
    # "By Jane Doe on Monday, November 18th, 2019 at 11:04 a.m."
    if (
        line.words <= 16
        and _BYLINE_START.match(line.text)
        and (line.words <= 6 or find_date(line.text))
    ):
        return "byline"
    # "Von Hannah Ritzmann, Redakteurin": dropped, but weighed as a short line, so that
    # the standfirst above it stays with the article (as under a split byline)
    if line.words <= _BYLINE_MAX_WORDS and _signed_by_word(line.text):
        return AUTHOR_NAME
    # A bare date / time stamp (article dateline, or a comment's stamp).
    if line.words <= 12 and is_dateline(line.text):
        return "dateline"
    # A lowercase scrap of one to three words is the tail of an embed or a broken link;
    # with a bullet and a comma or full stop it is a piece of a sentence set out as a
    # list ("... goals: * a healthy planet, * a stable economy, * and fair trade.").
    if (
        line.words <= 3
        and line.text[:1].islower()
        and not line.links
        and not (line.bullet and line.text[-1:] in ",;.")
    ):
        return "fragment"
    # The same short line several times on one page is layout (buttons, widget titles).
    if line.words <= 12 and counts[_key(line.text)] >= 2 and not line.terminal:
        return "repeated"
    return None


# The credit family (rule data): agencies whose name alone, or after a photographer's,
# credits a picture.
_AGENCY = re.compile("(?:" + "|".join(PHOTO_AGENCIES) + ")", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"^[@&\w][\w.'’&-]*$")
_CREDIT_SPLIT = re.compile(r"\s*/\s*|\s+via\s+")
# an agency named by its web address ("Shutterstock.com")
_WEB_SUFFIX = re.compile(r"\.(?:com|net|org|de|fr|es|it|nl|pl)$", re.IGNORECASE)
_NAME_PARTICLES = frozenset(
    "von van de der den da di del la le y e the of and & zu".split()
)  # fmt: skip


def _photo_credit(text: str) -> bool:
    """A photo credit on a line of its own, in any language: an agency's name ("AFP"), or
    names joined by slashes ("Noel Celis/Getty Images", "(Robert F. Bukaty / AP)",
    "Lichtgut/Christoph Schmidt"), every part a capitalised name of one to four words.
    Headlines and prose have lowercase words or end in punctuation; "Israel/Gaza" has no
    name of two words and no agency."""
    if "/" not in text:
        return len(text) <= 24 and bool(_AGENCY.fullmatch(text.strip().strip("()[]").strip()))
    core = text.strip().strip("()[]").strip()
    if len(core) > 80 or _CLOSING_MARK.search(core):
        return False
    parts = _CREDIT_SPLIT.split(core)
    named = agency = False
    for part in parts:
        tokens = part.split()
        if not 1 <= len(tokens) <= 4:
            return False
        for token in tokens:
            if not _NAME_TOKEN.match(token) or not (
                token[0].isupper() or token[0] == "@" or token.casefold() in _NAME_PARTICLES
            ):
                return False  # "Iceland, Bulgaria/Israel/Hungary*" is a list, not names
        named = named or len(tokens) >= 2
        agency = agency or bool(_AGENCY.fullmatch(_WEB_SUFFIX.sub("", part)))
    # names alone: "Lichtgut/Christoph Schmidt" is a credit, "Add-ons / Web Extensions"
    # (spaced slashes) a breadcrumb or a section's name
    return agency or (named and " /" not in core and "/ " not in core)


_BYLINE_MAX_WORDS = 10
# What joins two authors' names in a byline, in the languages of the rule files.
_NAME_JOINS = frozenset("and & und et y e i en og och ve и oraz".split())


def _signed_by_word(text: str) -> bool:
    """A byline in any of the rule files' languages: the byline word ("Von", "Par",
    "Por", "Door"...) and a capitalised name of one to five words (two names may be
    joined by "und" / "y"), then maybe a role, a place or a date after a comma ("Von
    Hannah Ritzmann, Redakteurin", "par Didier Roy, 21 juin 2018"). A heading that
    opens with the same word goes on in lower case ("Von Anfang an", "Por qué sube")
    or ends its sentence."""
    word, _, rest = text.partition(" ")
    if word.rstrip(":").casefold() not in _BYLINE_WORDS or _CLOSING_MARK.search(text):
        return False
    name = rest.partition(",")[0].split()
    return (
        1 <= len(name) <= 5
        and name[0][:1].isupper()
        and all(
            token[:1].isupper() or token.casefold() in _NAME_PARTICLES or token in _NAME_JOINS
            for token in name
        )
    )


# --- line quality --------------------------------------------------------------------------

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"
INERT = "inert"  # no evidence for or against the text: a program token, a footnote mark
_WORDS_PER_SENTENCE = 80
# Sentence ends of any script (Devanagari danda, Arabic, Armenian, Ethiopic, CJK too).
_ANY_SENTENCE_END = re.compile(r"[.!?…।॥۔؟։።][\"'”’»)\]]*(?:\s|$)|" + CJK_SENTENCE_END)
REPEATED_TEXT = "repeated-text"
DATE_LABEL = "date-label"  # "Published:" on the line over its date stamp
AUTHOR_NAME = "author"  # a byline's name (after a lone "By" / "Von", or "Von Jane Doe")


def _quality(line: Line, family: str | None, has_stops: bool) -> str:
    if family == GALLERY:
        return INERT  # dropped, and no evidence either way: the article may go on after it
    if family in (REPEATED_TEXT, AUTHOR_NAME, DATE_LABEL):
        return SHORT  # dropped, but no evidence against the text around it
    if family:
        return BAD
    if line.link_density >= 0.5:
        return BAD
    if line.words > _WORDS_PER_SENTENCE and line.words > _WORDS_PER_SENTENCE * (
        len(_ANY_SENTENCE_END.findall(line.text)) + 1
    ):
        return SHORT  # a select box or tag cloud printed as one line: prose ends sentences
    prose_stops = line.stop_density >= 0.18 or not has_stops
    # Prose ends its sentences; a headline (even a long one, even "St. Paul ...") does not.
    # A title cut short with dots ("Ten days in Kyoto: what we ate and..."), its only
    # sentence mark, ends none.
    terminal = line.terminal and not _cut_short(line)
    sentence = line.words >= 5 and (
        terminal or line.words >= 25 or (line.sentences >= 1 and line.words >= 15)
    )
    if not has_stops:  # no stop words to tell prose from a long title: ask for an ending
        # (or two sentences, one a Chinese / Japanese full stop, which no headline holds:
        # "...突破。...上。（编译/某某）" ends on its credit)
        sentence = line.words >= 5 and (
            terminal
            or line.words >= 40
            or (line.sentences >= 2 and line.words >= 15 and "。" in line.text)
        )
    if sentence and prose_stops and line.words >= 12:
        return GOOD
    if sentence and (prose_stops or line.words >= 12):
        return NEAR
    if line.words >= 30 and line.link_density < 0.3:
        return NEAR
    return SHORT


_SCORE = {GOOD: 1.0, NEAR: 0.5}
_CUT_SHORT = re.compile(r"[^\s.…](?:\.{3}|…)$")


def _cut_short(line: Line) -> bool:
    return line.sentences <= 1 and bool(_CUT_SHORT.search(line.text))


def _line_score(line: Line, kind: str) -> float:
    if kind in _SCORE:
        return _SCORE[kind] * min(line.words, 150)
    if kind == INERT:
        return 0.0
    if kind == BAD:
        return -(3.0 + min(line.words, 40) * 0.5)
    return -1.0 if line.words <= 12 else -2.0


_DIGIT = re.compile(r"\d")
_MENU_WORDS = 4
_RUN_FREE = 5
_RUN_PENALTY = 0.5


def _menu_item(line: Line, family: str | None) -> bool:
    """A menu / tag / footer link flattened to a line of a few words (where the links
    still show, as in markdown, they are chrome already)."""
    return family is None and 1 <= line.words <= _MENU_WORDS


def _best_region(
    lines: list[Line], kinds: list[str], families: list[str | None]
) -> tuple[int, int]:
    """Max-sum contiguous run of line scores (Kadane): the article body as [start, end).

    Where the best run holds less than a paragraph or two of prose, the page has no
    prose to speak of (a changelog, a poem, a list of points): its lines of a few words
    that no rule claims then count for the text, not against it."""
    shapes = _RunShapes(
        openings=_template_openings(lines, kinds),
        teasers=_teaser_stream(lines, kinds),
        cells=_table_cells(lines),
    )
    best, span = _max_run(lines, kinds, families, shapes, short_lines=False)
    if best >= _WEAK_BODY:
        return span
    start, end = _max_run(lines, kinds, families, shapes, short_lines=True)[1]
    if start < end and _find_title(lines, families, start + 1) == start:
        start += 1  # the headline over the lines is the page's title, not its text
        while start < end and _short_line_score(lines[start], kinds[start], families[start]) <= 0:
            start += 1
    if start >= end or (span[0] < span[1] and not start <= span[0] < span[1] <= end):
        return span  # the lines must hold what prose there is, not stand apart from it
    return start, end


_WEAK_BODY = 60
_SHORT_LINE_WORDS = 4
_SHORT_LINE_SCORE = 0.5


def _short_line_score(line: Line, kind: str, family: str | None) -> float:
    """A line of a few words that no rule claims, on a page without prose: an item of
    the text (not "Share this:", a label over its links)."""
    if (
        kind == SHORT
        and family is None
        and line.words >= _SHORT_LINE_WORDS
        and not line.text.endswith(":")
    ):
        return _SHORT_LINE_SCORE * min(line.words, 30)
    return 0.0


_STREAM_SPAN = 20
_TEASER_SHARE = 0.75


def _teaser_stream(lines: list[Line], kinds: list[str]) -> set[int]:
    """Prose lines each standing alone under a headline-shaped line, no other prose
    within two lines, three or more within twenty lines: the summaries of a stream of
    story teasers (headline, summary, source, comment count, again and again). An
    article's paragraphs stand together, or one at a time between its pictures."""
    n = len(lines)
    alone = [
        i
        for i in range(n)
        if kinds[i] in _SCORE
        and not any(kinds[j] in _SCORE for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < n)
        and any(_headline_shaped(lines[j]) for j in range(max(0, i - 2), i))
    ]
    return {
        i
        for k, i in enumerate(alone)
        if sum(abs(j - i) <= _STREAM_SPAN for j in alone[max(0, k - 2) : k + 3]) >= 3
    }


@dataclass(frozen=True)
class _RunShapes:
    """What the body search weighs differently, found once per page (both searches of
    `_best_region` use it): template openings, a teaser stream's summaries, table cells."""

    openings: set[str]
    teasers: set[int]
    cells: set[int]


def _max_run(
    lines: list[Line],
    kinds: list[str],
    families: list[str | None],
    shapes: _RunShapes,
    short_lines: bool,
) -> tuple[float, tuple[int, int]]:
    best, best_span = 0.0, (0, 0)
    run, run_start = 0.0, 0
    menu_run = 0
    openings, teasers, cells = shapes.openings, shapes.teasers, shapes.cells
    for i, line in enumerate(lines):
        score = _line_score(line, kinds[i])
        if score < 0 and run >= _TABLE_RUN and i in cells:
            score = 0.0  # a figure of a table in the article, not a menu's link
        if score > 0 and _opening(line) in openings:
            score *= _TEMPLATE_SHARE
        if short_lines:
            score = _short_line_score(line, kinds[i], families[i]) or score
        elif score > 0 and i in teasers:
            score *= _TEASER_SHARE  # counts for less than a paragraph of the article
        if kinds[i] in _SCORE or line.terminal or _DIGIT.search(line.text):
            menu_run = 0  # prose, a "Label:" over its value, a list item with a figure
        elif _menu_item(line, families[i]):
            # Menus, tag clouds and footers are long runs of short unpunctuated lines;
            # a caption or a credit inside the text is a line or two. Each line of such
            # a run past the first few costs more, so a long one splits the page.
            menu_run += 1
            score -= _RUN_PENALTY * max(0, menu_run - _RUN_FREE)
        if run <= 0:
            run, run_start = score, i
        else:
            run += score
        if run > best:
            best, best_span = run, (run_start, i + 1)
    return best, best_span


def _table_cells(lines: list[Line]) -> set[int]:
    """Lines that hold only a figure ("63", "16.6%", "4.2.7/4.3.3") in the rhythm of a
    table's rows: another figure two or three lines on or back, a word cell beside it
    (a name, a month). Not a count (1, 2, 3: the ranks of a "Most popular" box, a
    gallery's pictures, page numbers), nor a date (a teaser's time stamp)."""
    figure = [
        bool(_FIGURE_CELL.match(line.text)) and not _YEAR_FIGURE.search(line.text) for line in lines
    ]
    for i, line in enumerate(lines):
        if figure[i] and line.text.isdecimal():
            rank = int(line.text)
            near = [lines[j].text for j in range(max(0, i - 3), min(len(lines), i + 4))]
            if str(rank - 1) in near or str(rank + 1) in near:
                figure[i] = False
    n = len(lines)
    return {
        i
        for i in range(n)
        if figure[i]
        and any(0 <= j < n and figure[j] for j in (i - 3, i - 2, i + 2, i + 3))
        and any(0 <= j < n and not figure[j] for j in (i - 1, i + 1))
    }


_OPENING_WORDS = 4
# A table's figures cost nothing once the run holds this much prose (the article is under
# way; a figure before it is as likely a ticker's or a box's); flat from 75 to 150.
_TABLE_RUN = 150
# "63", "16.6%", "4.2.7/4.3.3", "1,204": a table cell that holds only a figure
_FIGURE_CELL = re.compile(r"^[-+]?\d[\d.,/%:+\-–]*$")
_YEAR_FIGURE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_TEMPLATE_LINES = 3
_TEMPLATE_SHARE = 0.5


def _opening(line: Line) -> str:
    return " ".join(line.text.casefold().split()[:_OPENING_WORDS])


def _template_openings(lines: list[Line], kinds: list[str]) -> set[str]:
    """Openings ("The technical storage or ...", "The password must be ...") that three or
    more prose lines apart from each other share: the option blurbs of a consent dialog,
    a caption or promo printed again and again, written from one template. An article's
    paragraphs open each its own way, and a list of points phrased alike stands together
    (lines right under one with the same opening do not count)."""
    counts: Counter[str] = Counter()
    last: dict[str, int] = {}
    for i, line in enumerate(lines):
        if kinds[i] in _SCORE and line.words > _OPENING_WORDS * 2:
            key = _opening(line)
            if last.get(key) != i - 1:
                counts[key] += 1
            last[key] = i
    return {key for key, n in counts.items() if n >= _TEMPLATE_LINES}


# Brackets, semicolons and assignment: the punctuation of program text, in any language
# ("(15)", a category's count, is no such mark).
_CODE_MARK = re.compile(r"[{};=\u2500-\u257f]|\((?!\d[\d.,]*\))")
_CODE_TOKEN_WORDS = 12
# a name of two letters or more, or a number: what a listing's lines are made of
_LISTING_WORD = re.compile(r"[^\W\d]{2}|\d")
_CODE_MIN_MARKED = 4
_CODE_MARKED_SHARE = 0.4


def _mark_code_blocks(lines: list[Line], kinds: list[str]) -> set[int]:
    """A highlighted program listing flattened by get_text prints each token on a line of
    its own ("fetch" / "(" / "res." / "});"): a run of short link-free lines, many of them
    bracket or semicolon scraps, most in lower case (a menu or a tag cloud is capitalised).
    Scored as chrome, such a run splits a technical article in two: its lines weigh
    nothing either way. Prose lines in the run (a string literal that reads as a sentence)
    keep their grade. Returns the run's lines: inside the body they are the listing, kept
    (see `_listing_token`)."""
    listing: set[int] = set()
    search = _CODE_MARK.search
    # one pass of cheap tests: most lines are long, linked or both, and are no token
    token = [
        not line.links
        and (line.words <= 3 or (line.words <= _CODE_TOKEN_WORDS and search(line.text) is not None))
        for line in lines
    ]
    i, n = 0, len(lines)
    while i < n:
        if not token[i]:
            i += 1
            continue
        j = i
        while j < n and token[j]:
            j += 1
        size = j - i
        if size >= _CODE_MIN_MARKED:
            run = lines[i:j]
            # ("2," / "12,": a literal array's items; "lower_bound": a name; "SELECT")
            marked = sum(
                line.text.endswith(",")
                or "_" in line.text
                or line.text.isupper()
                or search(line.text) is not None
                for line in run
            )
            lower = sum(not line.text[:1].isupper() for line in run)
            if marked >= max(_CODE_MIN_MARKED, _CODE_MARKED_SHARE * size) and lower * 2 >= size:
                # a formula printed sign by sign ("R" / "(" / "M" / "," / "x") is made of
                # single letters and signs
                if sum(_LISTING_WORD.search(line.text) is not None for line in run) * 3 >= size:
                    listing.update(range(i, j))
                for k in range(i, j):
                    if kinds[k] not in (GOOD, NEAR):
                        kinds[k] = INERT
        i = j
    return listing


# What a listing's token looks like to the line signals: a scrap ("{", "res.", "n;") or a
# keyword printed again and again ("SELECT", "FROM").
_LISTING_FAMILIES = frozenset({"fragment", "repeated"})


def _listing_token(line: Line, family: str) -> bool:
    """A line of a program listing (`_mark_code_blocks`) inside the body is the article's
    text however scrappy or repeated it looks; any other label still drops it."""
    return (
        family in _LISTING_FAMILIES
        or _CODE_MARK.search(line.text) is not None
        or (line.words <= 3 and (line.text[:1].islower() or line.text.isupper()))
    )


# "[189]", "[a]", "[citation needed]", "[ edit" / "]": a reference or edit mark the
# flattening put on a line of its own, in any language.
_REFERENCE_MARK = re.compile(r"^(?:\[[^\[\]]{1,30}\]?|\]|\^)$")


def _mark_reference_marks(lines: list[Line], kinds: list[str]) -> None:
    """Footnote and edit marks split an encyclopedic text into dozens of pieces; as chrome
    each would cost the text around it, and a run of them ("[189]" "[190]" "[191]") would
    end the body mid-article. They weigh nothing either way (and stay dropped)."""
    for i, line in enumerate(lines):
        if line.words <= 3 and line.text[:1] in "[]^" and _REFERENCE_MARK.match(line.text):
            kinds[i] = INERT


FORMULA = "formula"


def _mark_formulas(lines: list[Line], families: list[str | None], kinds: list[str]) -> None:
    """A formula printed sign by sign (see `split_lines`) is no prose of the article, nor
    chrome: it weighs nothing either way, and is dropped (the text says it in words)."""
    for i, line in enumerate(lines):
        if line.formula:
            families[i] = FORMULA
            kinds[i] = INERT


_CONTENTS_ENTRIES = 3
_CONTENTS_ENTRY_WORDS = 12
_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?$")


def _mark_contents_lists(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    section_words: int = _DEFAULT_OPTIONS.contents_section_words,
) -> None:
    """A table of contents: a run of short headline-shaped lines, each printed again
    further down, in the same order, as the heading of a section of prose (between any
    two of those headings stands a prose line). Scored as chrome (its lines are repeats)
    the list cuts the article's lead off from its sections; it weighs nothing either way
    (and stays dropped), and the headings it names are the article's own (kept where the
    body holds them). A menu repeated in the footer has its copies side by side, not
    spread over the text, and a teaser list's headlines stand over a line of blurb each,
    not over sections of prose."""
    first_at: dict[str, int] = {}
    later: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if families[i] == "repeated":
            key = _key(line.text)
            first_at.setdefault(key, i)
            later.setdefault(key, []).append(i)
    if len(first_at) < _CONTENTS_ENTRIES:
        return
    i, n = 0, len(lines)
    while i < n:
        j, heads = i, []
        while True:
            # "1" / "Introduction" / "1.1" / "History": a get_text dump prints each
            # entry's number on a line of its own
            k = j + 1 if heads and j + 1 < n and _SECTION_NUMBER.match(lines[j].text) else j
            if not (
                k < n
                and families[k] == "repeated"
                and lines[k].words <= _CONTENTS_ENTRY_WORDS
                and first_at[_key(lines[k].text)] == k
            ):
                break
            after = heads[-1] if heads else k
            head = next((m for m in later[_key(lines[k].text)] if m > max(after, i)), None)
            if head is None or (heads and not _prose_between(kinds, heads[-1], head)):
                break
            heads.append(head)
            j = k + 1
        if (
            len(heads) >= _CONTENTS_ENTRIES
            and heads[0] >= j
            and _prose_words(lines, kinds, heads[0], heads[-1]) >= section_words * (len(heads) - 1)
        ):
            for k in range(i, j):
                kinds[k] = INERT
            for head in heads:
                families[head] = None
                kinds[head] = INERT
            i = j
        else:
            i = max(j, i + 1)


def _prose_between(kinds: list[str], i: int, j: int) -> bool:
    return any(kinds[k] in (GOOD, NEAR) for k in range(i + 1, j))


def _prose_words(lines: list[Line], kinds: list[str], i: int, j: int) -> int:
    return sum(lines[k].words for k in range(i + 1, j) if kinds[k] in (GOOD, NEAR))


def _mark_teaser_lists(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    stops: frozenset[str],
    linked_share: float = _DEFAULT_OPTIONS.teaser_linked_share,
) -> None:
    """Story lists (headline, one-paragraph summary, headline, summary, ...) read like
    prose line by line; the repeated shape, three times or more, gives them away. A unit
    is one to three short unpunctuated lines (kicker, headline, byline of the previous
    teaser) and then a summary of at most 60 words (45 after a stacked head). A head that
    is a signed comment header (name + time stamp) makes the run a thread, not a list.
    Where the flattening kept links ([text](url)), a teaser's headline links to its story:
    a run with fewer than `linked_share` of its heads linked is the article's own
    subheadings, captions and paragraphs."""
    shows_links = any(line.links for line in lines)
    i, n = 0, len(lines)
    while i < n - 1:
        run = stacked = linked = 0
        j = i
        while (unit := _teaser_unit(lines, kinds, j, run > 0)) is not None and not any(
            _may_sign(lines[k]) and signed_header(lines, k, stops) for k in range(j, unit - 1)
        ):
            run += 1
            stacked += unit - j > 2
            linked += any(lines[k].links for k in range(j, unit - 1))
            j = unit
        if run >= (4 if stacked else 3) and (not shows_links or linked >= linked_share * run):
            for k in range(i, j):
                if families[k] is None:
                    families[k] = "related"
                kinds[k] = BAD
            i = j
        else:
            i += 1


# "* [Headline of another story](url) Summary of it ...": a markdown teaser, its
# headline linked at the head of the bullet and its summary after it on the same line.
_LINKED_TEASER = re.compile(r"^\s*(?:[*+-]|\d{1,3}[.)])\s+\[([^\[\]]+)\]\([^()\s]+\)\s+\S")
_LINKED_TEASER_RUN = 3


def _mark_linked_teaser_items(
    lines: list[Line], families: list[str | None], kinds: list[str]
) -> None:
    """Three bullets or more in a row, each a linked headline (four words or more, no
    sentence end) with its summary after it on the line (ten words or more): a markdown
    dump's story list, which reads as prose line by line. An article's list of links
    names a tool or a page in a word or two."""

    def teaser(k: int) -> bool:
        line = lines[k]
        if not line.bullet or line.links < 1 or line.words < 14 or families[k] is not None:
            return False
        m = _LINKED_TEASER.match(line.raw)
        if m is None:
            return False
        head = m.group(1).split()
        return len(head) >= 4 and not TERMINAL.search(m.group(1)) and line.words - len(head) >= 10

    i, n = 0, len(lines)
    while i < n:
        j = i
        while j < n and teaser(j):
            j += 1
        if j - i >= _LINKED_TEASER_RUN:
            for k in range(i, j):
                families[k] = "related"
                kinds[k] = BAD
        i = max(j, i + 1)


def _mark_kicker_lists(lines: list[Line], families: list[str | None]) -> None:
    """Teaser boxes that print each story as a kicker ending in a colon over its headline
    ("Iran-Krieg:" / "Trump zweifelt an Nato-Partnern"), three stories or more in a row.
    The kicker's colon makes each pair look like a label over its value, which keeps it
    out of the headline + summary shape above; the pair repeated is the box."""
    kickers = Counter(_key(line.text) for line in lines if _kicker(line))
    i, n = 0, len(lines)
    # "Les også:" / "Lesen Sie auch:" (a rule's related head) over the headline it links
    for j in range(n - 1):
        if (
            families[j] == "related"
            and _kicker(lines[j])
            and families[j + 1] is None
            and _kicker_headline(lines[j + 1])
        ):
            families[j + 1] = "teaser-list"
    while i < n - 1:
        j = i
        while (
            j + 1 < n
            and _kicker(lines[j])
            and kickers[_key(lines[j].text)] == 1  # "Temp rating:" again and again: specs
            and _kicker_headline(lines[j + 1])
        ):
            j += 2
        if j - i >= 2 * _KICKER_PAIRS:
            # Dropped, but neither "related" nor bad prose: a box inside the article
            # (more paragraphs to come) is no sign that the article is over, and must
            # not split it (see _chrome_tail_start, _best_region).
            for k in range(i, j):
                if families[k] is None:
                    families[k] = "teaser-list"
            i = j
        else:
            i += 1


_KICKER_PAIRS = 3
_HEADED_LIST_LINES = 2
_HEADED_HEADING_WORDS = 6


def _mark_headed_link_lists(
    lines: list[Line], families: list[str | None], kinds: list[str]
) -> None:
    """Under a worded "related" heading ("Mehr zum Thema", "Most read", "You may like"),
    two or more headline-shaped lines in a row (a few words, no sentence end, no prose
    between) are the box's links to other stories, kickers stacked over headlines or
    not. Dropped, but weighed as the short lines they are: a box inside the article
    must not split it (the prose after the box is the article going on)."""
    n = len(lines)
    for i in range(n - _HEADED_LIST_LINES):
        if (
            families[i] != "related"
            or lines[i].words > _HEADED_HEADING_WORDS
            or classify_line(lines[i].text) != "related"
        ):
            continue
        j = i + 1
        while (
            j < n
            and families[j] is None
            and kinds[j] == SHORT
            and 2 <= lines[j].words <= 20
            and not lines[j].terminal
        ):
            j += 1
        # (headline, author and a date stamp: a box the thread finder already knows)
        if j - i - 1 >= _HEADED_LIST_LINES and (j >= n or families[j] != "dateline"):
            for k in range(i + 1, j):
                families[k] = "teaser-list"


_SUBLIST_ITEMS = 2


def _mark_announced_sublists(
    lines: list[Line], families: list[str | None], kinds: list[str]
) -> set[int]:
    """A list item of the article that ends in a colon ("In progress:") over a list nested
    under it: the nested items are what it announces, links or not ("Bug 1677080 -
    Fullscreen window ..." linking to the bug). Their links made them menu or teaser
    lines; they are the article's (weighed as short lines), and no inline teasers either.
    A teaser box is no list nested in the article's own list item. Returns the items."""
    announced: set[int] = set()
    n = len(lines)
    for i, line in enumerate(lines):
        if not (line.bullet and line.text.endswith(":") and families[i] is None):
            continue
        j, linked = i + 1, []
        while j < n and lines[j].bullet and lines[j].depth > line.depth and families[j] != "title":
            if families[j] in ("related", "nav") and classify_line(lines[j].text) is None:
                linked.append(j)
            j += 1
        if j - i - 1 >= _SUBLIST_ITEMS:
            announced.update(range(i + 1, j))
            for k in linked:
                families[k] = None
                kinds[k] = SHORT
    return announced


def _kicker(line: Line) -> bool:
    text = line.text
    return text[-1:] == ":" and 1 <= line.words <= 5 and not line.bullet and len(text) > 1


def _kicker_headline(line: Line) -> bool:
    """A headline: a few words, no full stop or colon at its end (a question may end it)."""
    return (
        3 <= line.words <= 20
        and line.alpha_words >= 3
        and not line.text.rstrip().endswith((".", ":", ";", "…"))
    )


_MAX_HEAD = 3
_TEASER_SUMMARY_WORDS = 60


def _teaser_unit(lines: list[Line], kinds: list[str], j: int, in_run: bool = False) -> int | None:
    """End index of the teaser unit starting at line j, or None. Inside a run of units a
    Chinese / Japanese name of a few signs over its blurb continues the list (its "words"
    are estimated at two signs each, so "発言小町" counts two)."""
    head = 0
    while (
        j + head < len(lines)
        and head < _MAX_HEAD
        and _teaser_head_line(lines[j + head], kinds[j + head], head)
    ):
        head += 1
    if (
        not head
        or j + head >= len(lines)
        or (head == 1 and lines[j].words < 3 and not (in_run and mostly_cjk(lines[j].text)))
    ):
        return None  # a one-word kicker only counts with a headline under it
    summary = lines[j + head]
    limit = _TEASER_SUMMARY_WORDS if head == 1 else 35
    if kinds[j + head] in (GOOD, NEAR) and summary.words <= limit:
        return j + head + 1
    return None


def _teaser_head_line(line: Line, kind: str, position: int) -> bool:
    # The first line of a stacked head may be a one-word kicker ("Ukraine").
    if position == 0:
        return kind in (SHORT, BAD) and 1 <= line.words <= 20 and not line.terminal
    return _teaser_headline(line, kind)


def _teaser_headline(line: Line, kind: str) -> bool:
    return kind in (SHORT, BAD) and 3 <= line.words <= 20 and not line.terminal


def _layout(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    opts: TextOptions,
    stops: frozenset[str],
) -> tuple[int, int, int]:
    """(comment area start, body start, body end).

    The comment area opens at chrome *inside or after* the best run of prose (a thread
    may be longer than the article, so that first run can span both); the body is then
    the best run above the comment area.
    """
    first_start, _ = _best_region(lines, kinds, families)
    zone = _comment_zone_start(lines, families, kinds, opts, first_start, stops)
    tail = _related_block_start(lines, families, kinds, first_start, zone)
    start, end = _best_region(lines[:tail], kinds, families)
    if start >= end:
        start, end = _no_prose_span(lines, families, tail)
    end = _chrome_tail_start(lines, families, kinds, start, end, opts)
    end = _lone_closing_paragraph(lines, families, kinds, start, end, opts)
    end = _extend_over_list(lines, families, kinds, start, end, tail)
    # (a note's "Name (date)" lines read as a post's header: the notes hold the zone off)
    end = _extend_over_notes(lines, end, len(lines))
    return max(zone, end), start, end


_NO_PROSE_PAGE_WORDS = 100


def _no_prose_span(lines: list[Line], families: list[str | None], stop: int) -> tuple[int, int]:
    """A short page with neither prose nor chrome (a notice, a stub, a caption under a
    picture): its body is its lines below the headline, rather than nothing. A page with
    a menu, a footer or a long table has no such body: what no rule claims there is as
    likely chrome too."""
    if sum(line.words for line in lines) > _NO_PROSE_PAGE_WORDS or any(
        family not in (None, "fragment") for family in families
    ):
        return 0, 0
    title = _find_title(lines, families, stop)
    first = title + 1 if title is not None else 0
    free = [i for i in range(first, stop) if families[i] is None]
    if not free and title is not None:
        # a page of headings alone ("## Test case 1" / "## Test case 2"): the "headline"
        # found is the last of them, and they are all the text there is
        headings = [i for i in range(stop) if families[i] is None]
        if len(headings) >= 2 and all(lines[i].heading for i in headings):
            free = headings
    return (free[0], free[-1] + 1) if free else (0, 0)


# Chrome that, met after most of the article, says the article is over: what follows is
# the page's tail (support asks, author box, teasers), even where it reads like prose.
_TAIL_FAMILIES = frozenset(
    {"share", "donation", "newsletter", "paywall", "related", "tags", "bio", "copyright"}
)


def _chrome_tail_start(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    start: int,
    end: int,
    opts: TextOptions,
) -> int:
    """Where the body's tail begins: the first run of tail chrome after which the body
    holds only a small share of its prose (a position signal, whatever the language).

    Prose words are counted before and after each candidate line; the cut needs at
    least `tail_min_body_words` before and at most `tail_prose_share` of them after,
    and at least two chrome lines from the candidate on (one stray "Share" is not a
    tail) with no run of prose of `tail_min_body_words` after them."""
    prose = [lines[i].words if kinds[i] in (GOOD, NEAR) else 0 for i in range(start, end)]
    total = sum(prose)
    if total < opts.tail_min_body_words:
        return end
    before = 0
    for offset, i in enumerate(range(start, end)):
        before += prose[offset]
        if families[i] not in _TAIL_FAMILIES or before < opts.tail_min_body_words:
            continue
        after = total - before
        if after > opts.tail_prose_share * before:
            continue
        chrome_after = sum(1 for j in range(i, end) if families[j] in _TAIL_FAMILIES)
        # or one tail heading over more chrome of any kind (bylines, repeats, widgets;
        # not a box's links to other stories, which may stand inside the article)
        noise_after = sum(1 for j in range(i, end) if families[j] not in (None, "teaser-list"))
        # A run of prose as long as the body the cut needs above it is a section of the
        # article still to come (the chrome was a box inside it).
        longest = _longest_prose_run(kinds, lines, i, end)
        if (chrome_after >= 2 and longest < opts.tail_min_body_words) or (
            noise_after >= 4 and longest < 100
        ):
            return i
    return end


_LONE_TAIL_LINES = 2
_LONE_TAIL_WORDS = 80
_LONE_GAP_LINES = 3
_LONE_TAIL_SHARE = 10


def _lone_closing_paragraph(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    start: int,
    end: int,
    opts: TextOptions,
) -> int:
    """Where the body ends if its last paragraph or two stand apart from the article: a
    short piece of prose (an author's bio, a blog's "about" blurb, one teaser's summary, a
    newsletter's pitch) below a run of three lines or more that are no prose (a name, a
    widget heading, a few links), after an article several times as long. An article's
    closing paragraph follows its text, or one subhead."""

    def prose(j: int) -> bool:
        return _article_prose(families, kinds, j)

    tail = end
    while tail > start and end - tail < _LONE_TAIL_LINES and prose(tail - 1):
        tail -= 1
    tail_words = sum(lines[j].words for j in range(tail, end))
    if tail == end or tail_words > _LONE_TAIL_WORDS:
        return end
    gap = tail
    while gap > start and not prose(gap - 1):
        gap -= 1
    if (
        tail - gap < _LONE_GAP_LINES
        or lines[tail].text[:1] in _PIECE_STARTS
        or (gap > start and lines[gap - 1].text.rstrip().endswith(":"))
        or any(_inside_article(lines[j], kinds[j], families[j]) for j in range(gap, tail))
    ):
        return end
    above = sum(lines[j].words for j in range(start, gap) if prose(j))
    return gap if above >= max(opts.tail_min_body_words, _LONE_TAIL_SHARE * tail_words) else end


_OPEN_CLAUSE_ENDS = frozenset(",、，(")


def _inside_article(line: Line, kind: str, family: str | None) -> bool:
    """A line that says the gap above a closing paragraph is inside the article: a piece
    of a sentence a link broke ("and available on", "Zero-redundancy ("), a program's
    text, a picture's caption or a box of teasers the article goes on after."""
    return (
        kind == INERT
        or family in ("teaser-list", "caption")
        or (family != "fragment" and line.text[:1] in _PIECE_STARTS)
        or line.text[-1:] in _OPEN_CLAUSE_ENDS
    )


def _longest_prose_run(kinds: list[str], lines: list[Line], i: int, end: int) -> int:
    """Words in the longest run of good prose lines in lines[i:end] (a section of the
    article still to come has one; teasers and boxes are a paragraph each)."""
    best = run = 0
    for j in range(i, end):
        if kinds[j] == GOOD:
            run += lines[j].words
            best = max(best, run)
        elif kinds[j] == BAD or lines[j].words > 3:
            run = 0
    return best


def _extend_over_list(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    start: int,
    end: int,
    stop: int,
) -> int:
    """The article may end on "Tour dates:" and a list of short items: keep the list.

    Short lines score below zero, so the best run stops before them; a colon that
    announces them says they belong to the text above."""
    if end <= start:
        return end
    j = end
    if j < stop and families[j] is None and lines[j].text.rstrip().endswith(":"):
        j += 1  # the announcing line itself, just outside the run
    elif not lines[end - 1].text.rstrip().endswith(":"):
        return _extend_over_dated_list(lines, families, end, stop)
    first = j
    while j < stop and families[j] is None and kinds[j] != BAD and lines[j].words <= 25:
        j += 1
    return j if j - first >= 2 else end


_DATED_ITEM = re.compile(
    r"^(?:\d{1,4}[./-]?\d{0,2}\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"\s+\d{1,2}\b)\s*(?:[-–—@:|]|--)",
    re.IGNORECASE,
)


def _extend_over_dated_list(
    lines: list[Line], families: list[str | None], end: int, stop: int
) -> int:
    """A schedule right after the body ("June 9 – Tampa, FL @ Arena", five times or
    more, maybe under a one-line heading) is part of the article."""
    j = end + 1 if end < stop and families[end] is None and lines[end].words <= 10 else end
    first = j
    while j < stop and families[j] in (None, "dateline") and _DATED_ITEM.match(lines[j].text):
        j += 1
    return j if j - first >= 5 else end


# A note's back-link mark opening its entry: "^", "↑", "[12]" (MediaWiki in every
# language, footnoted blogs and papers).
_NOTE_MARK = re.compile(r"^(?:\^|↑|\[\d{1,3}\])(?:\s|$)")
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_NOTE_REACH = 15
_NOTE_GAP = 15
_NOTE_ENTRIES = 5
_NOTE_YEAR_SHARE = 0.6


def _extend_over_notes(lines: list[Line], end: int, stop: int) -> int:
    """An article's own notes and references right after its text (a "See also" list or
    a heading between): five or more entries, each opened by a back-link mark ("^",
    "[3]") and the next entry no more than fifteen lines on, most citing a year. A box of
    links to other pages has no marks and no years; the body ends after the last entry
    (its year line), not where the run of prose scores end."""
    j = end
    while j < min(stop, end + _NOTE_REACH) and not _NOTE_MARK.match(lines[j].text):
        j += 1
    entries = dated = 0
    last = end
    while j < stop and _NOTE_MARK.match(lines[j].text):
        entries += 1
        k = j + 1
        while k < min(stop, j + _NOTE_GAP) and not _NOTE_MARK.match(lines[k].text):
            k += 1
        years = [m for m in range(j, k) if _YEAR.search(lines[m].text)]
        dated += bool(years)
        last = (years[-1] if years else j) + 1
        if k >= stop or not _NOTE_MARK.match(lines[k].text):
            break
        j = k
    if entries < _NOTE_ENTRIES or dated < _NOTE_YEAR_SHARE * entries:
        return end
    return max(end, last)


def _related_block_start(
    lines: list[Line], families: list[str | None], kinds: list[str], body_start: int, stop: int
) -> int:
    """A bare "Related stories" / "You may also like" heading after a good deal of
    article text, with no article paragraph soon after it, starts the teaser block that
    follows articles; the body ends there. Not where a longer run of new prose follows
    than came before: then the text above was a menu's blurbs, and the article is still
    to come."""
    body_words = 0
    for i in range(body_start, stop):
        line = lines[i]
        if kinds[i] in (GOOD, NEAR):
            body_words += line.words
        if _closing_about_section(lines, kinds, i, stop, body_words):
            return i
        if (
            families[i] == "related"
            and body_words >= 150
            and line.words <= 6
            and not re.search(r":\s*\S", line.text)
            and not _prose_follows(
                lines, families, kinds, i + 1, stop, worded=classify_line(line.text) == "related"
            )
            and _longest_new_prose(lines, kinds, body_start, i, stop) <= body_words
            and not _paragraphs_resume(lines, kinds, i, stop, body_words)
        ):
            return i
    return stop


_RESUME_PARAGRAPHS = 3


def _paragraphs_resume(
    lines: list[Line], kinds: list[str], i: int, stop: int, body_words: int
) -> bool:
    """Three good paragraphs or more in a row below the heading, together half as long
    as the article above: the article going on after a gallery or a box in its middle
    (the box's heading and its pictures' labels in between). A teaser list prints one
    summary under each headline, never paragraphs in a row."""
    count = words = 0
    for j in range(i + 1, stop):
        if kinds[j] != GOOD:
            count = words = 0
            continue
        count += 1
        words += lines[j].words
        if count >= _RESUME_PARAGRAPHS and 2 * words >= body_words:
            return True
    return False


def _longest_new_prose(
    lines: list[Line], kinds: list[str], body_start: int, i: int, stop: int
) -> int:
    """Words in the longest run of prose in lines[i + 1:stop] (short lines may stand in
    it, chrome breaks it) that is not a reprint of lines[body_start:i]: an article still
    to come, where a teaser list (summary, "More…", summary, ...) has only short runs."""
    seen = {_key(lines[j].text) for j in range(body_start, i)}
    best = run = 0
    for j in range(i + 1, stop):
        if kinds[j] == BAD:
            run = 0
        elif kinds[j] in (GOOD, NEAR) and _key(lines[j].text) not in seen:
            run += lines[j].words
            best = max(best, run)
    return best


def _closing_about_section(
    lines: list[Line], kinds: list[str], i: int, stop: int, body_words: int
) -> bool:
    """An "About <company>" heading after the article, with little text left after it
    (a short boilerplate paragraph or two, not the rest of the story)."""
    line = lines[i]
    if body_words < 100 or line.words > 6 or line.terminal or not _ABOUT_HEADING.match(line.text):
        return False
    after = sum(lines[j].words for j in range(i + 1, stop) if kinds[j] in (GOOD, NEAR))
    return after <= max(80, body_words // 4)


_SOON_LINES = 15
_SOON_WORDS = 100


def _prose_follows(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    i: int,
    stop: int,
    *,
    worded: bool = False,
) -> bool:
    """Article paragraphs soon after the heading: a related box *inside* the article.
    Soon is 15 lines; a get_text dump breaks a sentence at every link and footnote mark
    ("New Zealand has an advanced" / "market economy," / "[193] ranked 16th in the 2018"),
    so further (up to 45 lines) where the lines between hold under 100 words, no tail
    chrome (share, newsletter, related...) and at least three such pieces of a sentence.
    Under a worded heading ("Most read", "Mehr zum Thema", "Leggi anche"), a teaser's
    summary is no article paragraph: the prose must go on past one summary's length
    (a lone link line of the list it heads is no such heading)."""
    words = pieces = 0
    chrome = False
    for j in range(i, stop):
        if (
            kinds[j] == GOOD
            and lines[j].words >= 15
            and (not worded or _paragraphs_go_on(lines, kinds, j, stop))
            and not (worded and _cut_excerpt(lines, families, kinds, j, stop))
        ):
            return True
        words += lines[j].words
        chrome = chrome or families[j] in _TAIL_FAMILIES
        pieces += kinds[j] != INERT and lines[j].text[:1] in _PIECE_STARTS
        seen = j - i + 1
        if seen >= _SOON_LINES and (
            chrome or pieces < 3 or words >= _SOON_WORDS or seen >= 3 * _SOON_LINES
        ):
            return False
    return False


_CUT_WORDS = 8


def _cut_excerpt(
    lines: list[Line], families: list[str | None], kinds: list[str], j: int, stop: int
) -> bool:
    """The prose from line j on is a teaser's excerpt: its run of paragraphs ends on a
    sentence cut off after a set number of words ("... and “exercising an"), a line of
    eight words or more that ends in a letter (not a heading in capitals, not a caption
    over its credit), with no piece of the sentence after it
    (the next line opens no lower-case continuation). A get_text dump that breaks a
    sentence at a link goes on with the rest of it on the next line."""
    k = j
    while k < stop and kinds[k] in (GOOD, NEAR):
        k += 1
    if k >= stop or k + 1 >= stop:
        return False
    cut = lines[k]
    return (
        kinds[k] == SHORT
        and cut.words >= _CUT_WORDS
        and cut.text[-1:].isalpha()
        and not cut.text.isupper()
        and not cut.terminal
        and not _continued_below(lines, k)
        and _excerpt_ends(families, kinds, k + 1, stop)
    )


def _excerpt_ends(families: list[str | None], kinds: list[str], i: int, stop: int) -> bool:
    """Line i, under a cut sentence, says the teaser is over: chrome (its byline, a date
    stamp, the next teaser's repeated headline; not a caption's credit, which closes a
    picture's caption), or the next teaser's headline over chrome. A sentence a link
    broke goes on in prose."""
    if families[i] is not None:
        return families[i] not in ("caption", "copyright")
    return kinds[i] == SHORT and i + 1 < stop and kinds[i + 1] == BAD


def _paragraphs_go_on(lines: list[Line], kinds: list[str], j: int, stop: int) -> bool:
    """The prose line j is longer than a teaser's summary, or more prose follows it (a
    paragraph, or the next piece of a sentence a link broke; or the page ends): the
    article going on. A teaser list prints one short summary under each headline, each
    on its own between short heads, topic tags and kickers."""
    if lines[j].words > _TEASER_SUMMARY_WORDS:
        return True
    k = j + 1
    while k < stop and kinds[k] == INERT:
        k += 1  # a footnote mark
    return k >= stop or kinds[k] in (GOOD, NEAR) or lines[k].text[:1] in _PIECE_STARTS


# How the second piece of a sentence broken by a link or a footnote mark starts.
_PIECE_STARTS = frozenset("abcdefghijklmnopqrstuvwxyzàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿ([,;")


def _sentence_runs_on(lines: list[Line], families: list[str | None], i: int) -> bool:
    """Line i is the first half of a sentence a link or a tag broke: the next line goes
    on in lower case or with a figure ("...sometime between" / "8 AM and 9 PM.") and ends
    the sentence."""
    if i + 1 >= len(lines) or families[i + 1] is not None:
        return False
    after = lines[i + 1]
    first = after.text[:1]
    return after.terminal and (first.islower() or first.isdigit())


_SENTENCE_PIECE_WORDS = 5


def _word_in_sentence(lines: list[Line], families: list[str | None], i: int) -> bool:
    """A word or two that a rule claims ("Response", "Share") printed on a line of its own
    in the middle of a sentence: get_text broke the sentence at an inline element (a code
    name, a link) on both sides, with no blank line, and the sentence runs on in lower
    case after it. A widget's label stands over its own line, or over other chrome."""
    line = lines[i]
    if line.words > 3 or line.blank_before or i == 0 or i + 1 >= len(lines):
        return False
    before, after = lines[i - 1], lines[i + 1]
    return (
        families[i - 1] is None
        and families[i + 1] is None
        and not after.blank_before
        and before.words >= _SENTENCE_PIECE_WORDS
        and not before.terminal
        and after.text[:1].islower()
    )


def _continued_below(lines: list[Line], i: int) -> bool:
    """The next line (past any footnote mark, on a line of its own or glued to the start
    of the next, "[181] and snails.") goes on with the same sentence: it opens in lower
    case or with a closing bracket, colon or semicolon ("(currently" / "Nightly) and
    Chrome 42"), or closes a quotation the link ended ('", exotic beauties'). A teaser
    headline stands alone; the piece of a sentence that a get_text dump cut at a link
    does not. (A dash opens an attribution, "— RT (@RT_com)"; a comma the list of
    outlets in an author's bio.)"""
    for j in range(i + 1, min(i + 3, len(lines))):
        text = lines[j].text
        if _REFERENCE_MARK.match(text):
            continue
        if text[:1] == "[":
            text = _LEADING_MARK.sub("", text)  # "[181] and snails.": the mark glued on
        elif text[:1] in _CLOSING_QUOTES:
            # '", exotic beauties': the link ended a quotation the sentence goes on after
            text = text[1:].lstrip()
            if text[:1] in ",.":
                return True
        return text[:1].islower() or text[:1] in _CONTINUATION_MARKS
    return False


_CONTINUATION_MARKS = frozenset(";:)]")
_CLOSING_QUOTES = frozenset('"”’»')
_LEADING_MARK = re.compile(r"^\[[^\[\]]{1,30}\]\s*")


_LIST_ITEMS = 3


def _in_headline_run(
    lines: list[Line], families: list[str | None], i: int, opts: TextOptions
) -> bool:
    """A long headline-shaped line among two more in a row, under a line that ends in
    a colon: the items of a list the article announces ("Tour dates:", "You will
    learn:"). A teaser inside the article stands alone between its paragraphs, or over
    one line of summary, and no sentence of the article announces it."""

    def item(j: int) -> bool:
        return 0 <= j < len(lines) and families[j] is None and _inline_related(lines[j], opts)

    first = last = i
    while first - 1 >= 0 and item(first - 1) and i - first < _LIST_ITEMS:
        first -= 1
    while item(last + 1) and last - i < _LIST_ITEMS:
        last += 1
    announced = first > 0 and lines[first - 1].text.rstrip().endswith(":")
    return last - first + 1 >= _LIST_ITEMS and announced


_PARAGRAPH_WORDS = 10


def _between_paragraphs(lines: list[Line], families: list[str | None], i: int) -> bool:
    """Line i is wedged, with no blank line on at least one side, between two paragraphs
    of full sentences: a subhead, a pull quote or a sentence the dump cut at a link. A
    teaser box stands apart, set off by blank lines from the article above and below it
    or among other chrome; in capitals, a line is set apart as a headline is."""
    line = lines[i]
    if line.text.isupper() or i + 1 >= len(lines):
        return False
    if line.blank_before and lines[i + 1].blank_before:
        return False

    def paragraph(j: int) -> bool:
        if j < 0 or families[j] is not None:
            return False
        other = lines[j]
        return other.terminal and other.sentences >= 1 and other.words >= _PARAGRAPH_WORDS

    return paragraph(i - 1) and paragraph(i + 1)


# Braces, a tag, a shell prompt, "name=value", "fetch()" or "snake_case": marks of program
# text, a command or markup, in any language; a teaser's headline carries none of them
# (tags are lower case: "<The Palace>" is a title in angle brackets).
_PROGRAM_TEXT = re.compile(
    r"[{}]|<[a-z][\w-]*[\s>]|^\$ |\w=[\w'\"]|\w\(\)|\w\(['\"]|(?<![\w/])[a-z]+_[a-z_]+(?![\w/])"
)
# a link's address ("?tag=a_b") is no program text: a shop widget's link carries one
_ADDRESS = re.compile(r"\S*://\S*")


def _program_text(line: Line) -> bool:
    """A code, command or protocol line in a technical article is headline-shaped (no
    full stop, no sentence) but no teaser for another story."""
    return _PROGRAM_TEXT.search(_ADDRESS.sub(" ", line.text)) is not None


def _in_program_text(lines: list[Line], i: int) -> bool:
    """Line i is program text, or sits within two lines of one: a command's output
    ("added 1 changesets with 1 changes", often two or three lines of it) or the unmarked
    middle of a listing."""
    return any(_program_text(lines[j]) for j in range(i - 2, i + 3) if 0 <= j < len(lines))


_AMID_LINES = 2
_AMID_ITEMS = (3, 8)


def _list_amid_prose(
    lines: list[Line], families: list[str | None], kinds: list[str], i: int
) -> bool:
    """Line i is an item of a list in the middle of the article: three to eight short lines
    without a sentence end in a row (line i among them), with two paragraphs of the
    article's prose over the list and two under it. A teaser box stands among chrome or
    on a paragraph's edge, its headlines in capitals or under a label ("Read more:")."""

    def item(j: int) -> bool:
        line = lines[j]
        return (
            families[j] is None
            and not line.terminal
            and line.words <= 30
            and not line.text.isupper()
            and ":" not in line.text
        )

    if not item(i):
        return False
    low, high = _AMID_ITEMS
    first = last = i
    while first > 0 and item(first - 1) and last - first < high:
        first -= 1
    while last + 1 < len(lines) and item(last + 1) and last - first < high:
        last += 1
    return low <= last - first + 1 <= high and _prose_around(families, kinds, first, last)


def _article_prose(families: list[str | None], kinds: list[str], j: int) -> bool:
    """Line j is on the page, unclaimed by any noise signal, and a paragraph of prose."""
    return 0 <= j < len(kinds) and families[j] is None and kinds[j] in (GOOD, NEAR)


def _prose_around(families: list[str | None], kinds: list[str], first: int, last: int) -> bool:
    """The two lines over lines[first:last + 1] and the two under them are all the
    article's prose."""
    around = [*range(first - _AMID_LINES, first), *range(last + 1, last + 1 + _AMID_LINES)]
    return all(_article_prose(families, kinds, j) for j in around)


_LONG_LIST = 8
_SHORT_ITEMS = 3


def _in_long_list(lines: list[Line], families: list[str | None], i: int, opts: TextOptions) -> bool:
    """Line i is an item of a long marked list ("+ ...", "* ...") of the article: eight or
    more bulleted lines without links in a row, at least three of them shorter than a
    headline (a changelog, a feature list). A teaser box lists headlines only, and its
    items are links."""

    def item(j: int) -> bool:
        return families[j] is None and lines[j].bullet and not lines[j].links

    if not item(i):
        return False
    first = last = i
    while first > 0 and item(first - 1):
        first -= 1
    while last + 1 < len(lines) and item(last + 1):
        last += 1
    short = sum(lines[j].words < opts.related_headline_words for j in range(first, last + 1))
    return last - first + 1 >= _LONG_LIST and short >= _SHORT_ITEMS


# "... the bare ice.Photograph by Doug Johnson": a caption with its credit glued on
_GLUED_SENTENCE = re.compile(r"[a-z]\.[A-Z][a-z]")


def _amid_prose(lines: list[Line], families: list[str | None], kinds: list[str], i: int) -> bool:
    """Line i stands alone in the middle of the article's prose: the two lines over it and
    the two under it are all paragraphs of it, blank lines or not. A list item, a caption,
    a subhead or the piece of a sentence a link cut: a teaser box stands among chrome, on
    one paragraph's edge or among other teasers, and its headline in capitals is set apart
    as a headline is. A picture's caption may stand there too: its credit ("Bild: ...",
    ".../dpa", "ice.Photograph by") or its label ("Left to right: ...") gives it away."""
    text = lines[i].text
    if text.isupper() or "/" in text or ":" in text or _GLUED_SENTENCE.search(text):
        return False
    return _prose_around(families, kinds, i, i)


def _inline_related(line: Line, opts: TextOptions) -> bool:
    """A headline-shaped line inside the body: a teaser for another story."""
    return (
        not line.terminal
        and line.sentences == 0
        and opts.related_headline_words <= line.words <= 30
        and not line.heading
    )


# --- comments ------------------------------------------------------------------------------


# "Kommentit (3)", "댓글 3", "3 comentarii": a word and a count, the shape of a
# thread's heading in any language; it opens the area only right over signed posts.
_COUNT_HEADING = re.compile(
    r"^(?:[^\W\d_]{2,20}(?:\s*[(（]\d{1,5}[)）]|\s+\d{1,5})|\d{1,5}\s+[^\W\d_]{2,20})$"
)


def _comment_zone_start(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    opts: TextOptions,
    body_start: int,
    stops: frozenset[str],
) -> int:
    """Index of the first line of the comment area, or len(lines) when there is none.

    Comment chrome opens the area only after some article text (a "12 comments" link
    under the headline must not cut the article) and only with a clear opener (house
    rules, "8 Comments", "Leave a reply"), so a lone "Reply" or time stamp does nothing.
    """
    body_words_needed = opts.min_body_words_before_comments
    body_words = 0
    for i in range(body_start, len(lines)):
        line = lines[i]
        if kinds[i] in (GOOD, NEAR):
            body_words += line.words
        if families[i] not in (None, *COMMENT_ZONE):
            continue
        # "网友评论（3）" over three signed posts: a thread under a short news item, whatever
        # its length (Chinese/Japanese briefs run to a few dozen words)
        if body_words and _COUNT_HEADING.match(line.text) and _thread_below(lines, i, stops, 3):
            break
        if body_words < body_words_needed // 2:
            continue
        if body_words >= body_words_needed and (
            families[i] == "comment-policy" or opens_thread(line.text)
        ):
            break  # "10 thoughts on “Title”" is no widget word, but opens all the same
        # "Yorumlar", "Kommentit (3)", "3 comentarii" right over signed posts: the posts
        # vouch for the heading, so a short news item's thread opens there too.
        if (families[i] in COMMENT_ZONE or _COUNT_HEADING.match(line.text)) and _thread_below(
            lines, i, stops
        ):
            break
        # "网友评论" (no count, no word list) right over three signed posts packed within
        # a dozen lines, under a brief too short for the word-count rules (CJK counts
        # about two signs a word) or any article; bylines and photo credits spread wider
        if line.words <= 6 and not line.terminal and _packed_thread_below(lines, i, stops):
            break
    else:
        i = len(lines)
    # Signed posts (name + stamp, again and again) need more article text above them; a
    # thread whose opener comes only after it ("Log in to comment" under the posts)
    # opens at its first post.
    signed = _first_signed_post(lines, families, body_start, 3 * body_words_needed, stops)
    if signed < i and _article_continues(lines, families, kinds, body_start, signed, i, stops):
        signed = len(lines)
    return min(i, signed)


def _packed_thread_below(lines: list[Line], i: int, stops: frozenset[str]) -> bool:
    """Three signed posts from the line right under `i` on, within a dozen lines, each
    with text of its own (a list of dated links, "Nr. 34 vom 8. November 2021", is none)."""
    if i + 1 >= len(lines) or not signed_header(lines, i + 1, stops):
        return False  # the first post must start right under the heading
    signed = [k for k in range(i + 1, min(i + 13, len(lines))) if signed_header(lines, k, stops)]
    posts = [k for k in signed if k + 1 not in signed or carries_text(lines[k], stops)]
    if not signed or signed[0] != i + 1 or len(posts) < 3:
        return False
    # A teaser box prints "Title / Author / Date" again and again: what follows each
    # "post" is the next headline, where a reader's post says something in sentences.
    return sum(_says_something(lines, k, signed, stops) for k in posts) >= 2


def _says_something(lines: list[Line], k: int, headers: list[int], stops: frozenset[str]) -> bool:
    """The post's first words, on header `k`'s own line ("Name Date| text" where a table
    row was flattened to one line) or on the first line after it past its stamp, are
    sentence-shaped."""
    header = lines[k]
    if (header.terminal or header.sentences >= 1) and carries_text(header, stops):
        return True
    for j in range(k + 1, min(k + 4, len(lines))):
        if j in headers or is_dateline(lines[j].text):
            continue
        line = lines[j]
        return line.terminal or line.sentences >= 1 or line.words >= 12
    return False


def _article_continues(
    lines: list[Line],
    families: list[str | None],
    kinds: list[str],
    body_start: int,
    signed: int,
    stop: int,
    stops: frozenset[str],
) -> bool:
    """Name + stamp shapes over a longer unbroken run of new prose than the article above
    them are photo credits and bylines inside the story, not a thread: a thread's text
    comes in posts, each cut off by its header, stamp or rating line, and no one post
    outgrows the article it sits under."""
    if any(
        families[j] in COMMENT_ZONE or opens_thread(lines[j].text)
        for j in range(max(body_start, signed - 4), signed)
    ):
        return False  # "167 comments" / "Kommentare" right over the posts vouches for them
    above = sum(lines[j].words for j in range(body_start, signed) if kinds[j] in (GOOD, NEAR))
    seen = {_key(lines[j].text) for j in range(body_start, signed)}
    run = 0
    for j in range(signed, stop):
        key = _key(lines[j].text)
        if kinds[j] == SHORT and families[j] is None and _subheading(lines, j, stops):
            continue  # "Here be data": a section heading inside one long text
        if kinds[j] not in (GOOD, NEAR) or key in seen:
            run = 0  # a post's header, stamp or rating line ends the post's text
            continue
        seen.add(key)
        run += lines[j].words
        if run > above:
            return True
    return False


def _subheading(lines: list[Line], j: int, stops: frozenset[str]) -> bool:
    """A short line that is neither a post's header nor a stamp and has words in lower
    case (a name is capitalised throughout): a section heading of the text it sits in,
    which a reader's post does not have."""
    line = lines[j]
    return (
        line.words >= 2
        and not line.terminal
        and any(w[:1].islower() for w in line.text.split()[1:])
        and not is_dateline(line.text)
        and not signed_header(lines, j, stops)
    )


def _thread_below(lines: list[Line], i: int, stops: frozenset[str], posts: int = 2) -> bool:
    """A signed post within three lines under line `i`, and `posts - 1` more soon after
    it, each with lines of its own: a thread, not a byline under a "Login" link."""
    first = next(
        (k for k in range(i + 1, min(i + 4, len(lines))) if signed_header(lines, k, stops)), None
    )
    found = [first] if first is not None else []
    k = (first or 0) + (1 if first is not None and carries_text(lines[first], stops) else 2)
    while found and len(found) < posts and k < min(found[-1] + 16, len(lines)):
        if signed_header(lines, k, stops):
            found.append(k)
            k += 0 if carries_text(lines[k], stops) else 1
        k += 1
    return len(found) >= posts


def _first_signed_post(
    lines: list[Line],
    families: list[str | None],
    body_start: int,
    body_words_needed: int,
    stops: frozenset[str],
) -> int:
    """A thread without an opener still shows itself: name line, then a date stamp,
    again and again. The first of at least two such signed posts opens the area."""
    body_words = 0
    signed: list[int] = []
    last_signer = ""  # the line that named the last post's author
    box = False  # a teaser box passed for a thread: its headlines still come
    for i in range(body_start, len(lines) - 1):
        if (
            body_words >= body_words_needed // 3
            and (
                families[i] in (None, "dateline", "byline", "fragment", "repeated", AUTHOR_NAME)
                or (families[i] == "nav" and lines[i].links == 1)  # a linked author name
            )
            and _may_sign(lines[i])
            and not _EMBED_SIGNATURE.match(lines[i].text)
            and (start := post_start(lines, i, stops)) is not None
            and not _EMBED_SIGNATURE.match(lines[start].text)
            # a "post" whose name sits above the article's best run and whose stamp below
            # it is the article itself, signed at its foot ("Posted by Margaret at 09:40 PM")
            and not start < body_start <= i
            and (not signed or start != signed[-1])  # a name and its stamp line: one post
            and not _lone_says_heading(lines, start)
            and not _under_linked_headline(lines, families, start)
            and _has_text_after(lines, families, start + 1)
        ):
            # "Do" / "27.04." / "2023" / "15:17 Uhr": one stamp broken over lines is one
            # header, not posts; a post has words of its own before the next one
            # A post signed by the same name as the one before it adds no post: a live
            # blog's entries each come under their one author's name and a time stamp.
            signer = _key(lines[i].text) if _PERSON_NAME.match(lines[i].text) else ""
            if box and start and _headline_shaped(lines[start - 1]):
                pass  # the box's last teaser: its "text" is the article going on
            elif (not signed or _words_between(lines, signed[-1] + 1, start)) and (
                not signer or signer != last_signer
            ):
                signed.append(start)
            last_signer = signer
            # Two posts need the full amount of article above them, three a sixth of it,
            # one paragraph of a short news item (a thread of three signed posts is no
            # byline block).
            if (
                signed
                and signed[-1] - signed[0] <= 60
                and (len(signed) >= 3 or (len(signed) >= 2 and body_words >= body_words_needed))
            ):
                if not (
                    _teaser_box(lines, signed)
                    and _article_resumes(lines, families, signed[-1], body_words_needed)
                ):
                    return signed[0]
                signed, box = [], True  # a teaser box inside the article: no thread
        if families[i] is None and lines[i].words >= 8:
            body_words += lines[i].words
    return len(lines)


def _under_linked_headline(lines: list[Line], families: list[str | None], start: int) -> bool:
    """A name and stamp right under a linked headline (one link, a headline's length):
    a teaser's byline in a box of them ("Recommended": headline, author, date), as a
    markdown dump shows it; a reader's post is not headed by a link to another story."""
    if start == 0:
        return False
    above = lines[start - 1]
    return families[start - 1] == "related" and above.links == 1 and _headline_shaped(above)


# "Jon King", "Anna-Lena Müller": a person's name alone on its line.
_PERSON_NAME = re.compile(r"^[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){1,3}$")


def _teaser_box(lines: list[Line], signed: list[int]) -> bool:
    """Signed "posts" none of which says anything in sentences: each name and stamp is
    followed by the next headline of a box of story teasers ("Recommended": title,
    author, date, three times), not by a reader's words."""
    return not any(
        _sentence_shaped(lines[j])
        for k in signed
        for j in range(k, min(k + 4, len(lines)))
        if j == k or j not in signed
    )


def _sentence_shaped(line: Line) -> bool:
    return line.words >= 12 or (line.words >= 5 and (line.terminal or line.sentences >= 1))


def _article_resumes(
    lines: list[Line], families: list[str | None], last: int, words_needed: int
) -> bool:
    """Right under the box's last teaser (within a few lines: its headline, name and
    stamp), a run of at least `words_needed` words of sentence-shaped paragraphs: the
    article goes on, so the box stood inside it; a box that ends the page has more
    teasers, links or chrome under it."""
    for j in range(last + 1, min(last + 8, len(lines))):
        run = 0
        for k in range(j, len(lines)):
            line = lines[k]
            if families[k] is not None or line.words < 15 or not (line.terminal or line.sentences):
                break
            run += line.words
        if run >= words_needed:
            return True
    return False


def _headline_shaped(line: Line) -> bool:
    return 3 <= line.words <= 20 and not line.terminal and not line.sentences


def _lone_says_heading(lines: list[Line], i: int) -> bool:
    """ "He said, she said": a line shaped like "Jane says" with no stamp on it or under
    it, and no other such line after it, is a subheading. Posts signed only by "says"
    come in a run of them; a thread that stamps its posts stamps the first one too."""
    if not strip_says(lines[i].text)[1]:
        return False
    near = range(i, min(i + 4, len(lines)))
    if any(is_dateline(lines[j].text) or is_date_like(lines[j].text) for j in near):
        return False
    later = range(i + 1, min(i + 61, len(lines)))
    return not any(_may_sign(lines[j]) and strip_says(lines[j].text)[1] for j in later)


# A post's header line is a name (at most five words once "by", "says", avatar and action
# words are stripped, each at most a few words) or a name + stamp line (at most 14 words):
# longer lines cannot open one, and asking would shape the thirteen lines around each.
_MAX_HEADER_TOKENS = 20
# "— Jane Doe (@janedoe) November 18, 2019": the signature under an embedded social post,
# which sits inside the article; a reader's post is headed by its name, never signed so.
_EMBED_SIGNATURE = re.compile(r"^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)")


def _may_sign(line: Line) -> bool:
    # a name has letters: "[12]" is a footnote mark over a list item, not a signature
    return len(line.text.split()) <= _MAX_HEADER_TOKENS and any(map(str.isalpha, line.text))


def _words_between(lines: list[Line], i: int, j: int) -> bool:
    return any(lines[k].alpha_words >= 3 for k in range(i, j))


def _has_text_after(lines: list[Line], families: list[str | None], i: int) -> bool:
    """A signed post has its own text soon after the header (skipping stamp and chrome)."""
    for j in range(i, min(i + 5, len(lines))):
        if families[j] is None and lines[j].words >= 3 and not signed_header(lines, j, frozenset()):
            return True
    return False


# --- title and metadata --------------------------------------------------------------------


@lru_cache(maxsize=1 << 14)  # asked of each line by several steps
def _key(text: str) -> str:
    return " ".join(text.split()).casefold()  # str.split's whitespace is `\s`'s


def _find_title(lines: list[Line], families: list[str | None], body_start: int) -> int | None:
    """Best headline-shaped line above the body: prose-free, 3-30 words, no full stop;
    a headline repeated (or echoed in a "Headline - Site" line) wins, then the longest."""
    head = lines[:body_start]
    keys = [_key(line.text) for line in head]
    counts = Counter(keys)
    tops = keys[:3]  # where a get_text dump prints <title>: "Headline | Site"
    best, best_score = None, 0.0
    for i, line in enumerate(head):
        family = families[i]
        if family not in (None, "repeated"):
            continue
        if not 3 <= line.words <= 30 or len(line.text) > 220 or line.link_density > 0.5:
            continue
        if re.search(r"[.:;,]\s*$", line.text):
            continue
        if line.words <= 12 and (find_date(line.text) or _NUMERIC_DATE.search(line.text)):
            continue  # "Posted on February 2, 2026 by Helen", "12.03.2026, 14:20 Uhr"
        echoed = counts[keys[i]] > 1 or any(keys[i] in top for j, top in enumerate(tops) if j != i)
        score = min(line.words, 15) + 10 * echoed + 8 * line.heading + 0.01 * i
        if score > best_score:
            best, best_score = i, score
    return best


def _metadata(
    head: list[Line], url: str | None, families: list[str | None], language: str | None
) -> tuple[Metadata, dict[int, str]]:
    """Byline, date and site name from the lines above the body."""
    authors: list[str] = []
    published = None
    site = None
    used: dict[int, str] = {}
    for i, line in enumerate(head):
        if families[i] not in (
            None,
            "repeated",
            "tags",
            "nav",
            "bio",
            "dateline",
            "byline",
            AUTHOR_NAME,
        ):
            continue
        if not authors and (names := find_byline(line.text)):
            authors = names
            used[i] = "byline"
            continue
        date = find_date(line.text)
        if date and line.words <= 12:
            if published is None:
                published = date
                site = site or find_site(line.text)
            used[i] = "dateline"
    metadata = Metadata(
        authors=authors,
        published=published,
        language=language,
        site_name=site,
        canonical_url=url,
    )
    return metadata, used
