"""Turn flattened page text into `Line`s: markdown unwrapped, broken paragraphs rejoined,
and the per-line features the body/comment classifier uses.

Two flattening styles reach us: plain `get_text("\\n")` dumps, where every inline tag
splits a paragraph over several lines, and markdown-ish dumps (`[text](url)` links,
`* ` bullets, `#` headings), where a paragraph stays on one line but link chrome is
visible. Both become the same `Line` objects.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from cleaning.comment_signals import is_date_like
from cleaning.rules import classify_line

__all__ = [
    "Line", "split_lines", "stopword_density", "pick_language", "pick_stoplist", "TERMINAL",
    "mostly_cjk",
]  # fmt: skip

# Markdown shapes. Images first (they contain the link shape), then links; `<url>`
# autolinks are kept as text because they are what a donation/contact line shows.
# An inline placeholder ("data:image/svg+xml,%3Csvg xmlns='...' viewBox='0 0 1200 675'...")
# may hold spaces and quotes, which no URL does.
_IMAGE = re.compile(
    r"!\[([^\]]*)\]\((?:data:[^()]*+|[^()\s]*(?:\([^()]*\))?[^()\s]*)(?:\s+\"[^\"]*\")?\)"
)
# A link's target: a URL (maybe with one "(...)" in it) and a title; or, failing that, any
# text up to the closing bracket, since a share button's href may hold spaces and quotes
# ("[ ](whatsapp://send?text=Title of the story+https:…)"). Possessive: no backtracking.
_LINK = re.compile(
    r"\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]\("
    r"(?:[^()\s]*+(?:\([^()]*+\)[^()\s]*+)?(?:\s+\"[^\"]*+\")?|[^()]*+(?:\([^()]*+\)[^()]*+)?)\)"
)
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
# "2. März 2024" / "3. května 2024" (day-first dates) are no numbered list items.
_BULLET = re.compile(
    r"^\s*(?:[*+\-•·▪►▸◦]|\d{1,3}[.)](?!\s+[^\W\d_]{3,12}\.?,?\s+(?:19|20)\d\d\b))\s+"
)
_BULLET_MARKS = frozenset("*+-•·▪►▸◦")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
# html2text leaves an element's closing space inside its marks ("**Klima **", "_quote _"):
# the space is kept, outside, and the marks go.
_EMPHASIS = re.compile(
    r"(\*\*|__)(?=\S)(.+?\s*)\1"
    r"|(?<![\w*])\*(?=\S)([^*]+?\s*)\*(?![\w*])"
    r"|(?<![\w_])_(?=\S)([^_]+?\s*)_(?![\w_])"
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
# `inline code`: the backticks are markup, the words are the text ("your `Dockerfile`").
_CODE_SPAN = re.compile(r"(?<!\\)`([^`\\]+)`")
_RULE_LINE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_RULE_MARKS = frozenset("-*_=")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_WORD = re.compile(r"\w+", re.UNICODE)
_ALPHA_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# A line that ends a sentence (or a quotation of one); used for rejoining and shape.
TERMINAL = re.compile(r"[.!?…。！？:;]['\"”’»)\]]*\s*$")
# A Chinese / Japanese full stop, its closing bracket or quote with it, needs no space
# after it: the next sentence follows on. text.py counts sentences of any script with it.
CJK_SENTENCE_END = r"[。！？][」』”’）)]*"
_SENTENCE_END = re.compile(r"[.!?…]['\"”’»)\]]*(?:\s|$)|" + CJK_SENTENCE_END)
_HANDLE = re.compile(r"^[^\W\d_][\w.-]*(?:_|\d)[\w.-]*$", re.UNICODE)
_CONTINUES = re.compile(r"^[a-zà-ÿ,.;:!?)\]»”’%]")
_OPENS = re.compile(
    r"[(\[«“‘,;–—-]\s*$|\b(?:the|a|an|and|or|of|to|in|for|with|on|at|by|"
    r"from|that|which|who|is|are|was|were|de|la|le|et|und|der|die|das)\s*$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Line:
    """One logical line of the page (a paragraph after rejoining)."""

    text: str  # cleaned text: markdown unwrapped, whitespace collapsed
    raw: str  # the source line(s), for removals and site-profile matching
    index: int  # position in the page, after rejoining
    blank_before: bool = False
    depth: int = 0  # quote / list nesting, used for comment threading
    indent: int = 0  # leading spaces of the source line (nesting in plain-text threads)
    bullet: bool = False
    heading: bool = False
    formula: bool = False  # a MathML formula a get_text dump printed sign by sign
    links: int = 0
    link_chars: int = 0
    words: int = 0
    alpha_words: int = 0
    sentences: int = 0
    terminal: bool = False
    stop_density: float = 0.0
    features: dict[str, float] = field(default_factory=dict)

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def split_lines(text: str) -> list[Line]:
    """Split flattened page text into rejoined, markdown-free `Line`s with features."""
    pieces = _physical_lines(text)
    lines = _rejoin(pieces)
    for i, line in enumerate(lines):
        line.index = i
        _measure(line)
    return lines


@dataclass(slots=True)
class _Piece:
    raw: str
    text: str
    blank_before: bool
    depth: int
    bullet: bool
    heading: bool
    links: int
    link_chars: int
    lead_space: bool
    trail_space: bool
    indent: int
    glued: bool = False  # joins the piece before with no space (a CJK sentence cut)


def _physical_lines(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    blank = True
    fence = False  # inside a ``` code fence: its lines are the listing's, markup and all
    # A markdown dump (its links show) prints an article's HTML listing as a code block;
    # a get_text dump prints it as it is, flush left.
    markdown = "](" in text
    raws = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if markdown:
        raws = _join_broken_links(raws)
    for raw in raws:
        # Each markdown shape opens with its mark after any spaces (str.lstrip and the
        # patterns' \s agree on what a space is): most lines open with a letter, and are
        # matched against none of them.
        lead = raw.lstrip()[:1]
        if lead == "`" and raw.lstrip().startswith("```"):
            fence = not fence
        if not lead or (lead in _RULE_MARKS and _RULE_LINE.match(raw)):
            blank = True
            continue
        if lead == "<" and markdown and not fence and _raw_html(raw):
            blank = True  # markup a markdown dump passed through: no text of the page
            continue
        indent = len(raw) - len(raw.lstrip(" \t"))
        body = raw
        depth = 0
        quote = _QUOTE.match(body) if lead == ">" else None
        if quote:
            depth = quote.group(0).count(">")
            body = body[quote.end() :]
            lead = body.lstrip()[:1]
        heading = lead == "#" and bool(_HEADING.match(body))
        if heading:
            body = _HEADING.sub("", body, count=1)
            lead = body.lstrip()[:1]
        bullet = (lead in _BULLET_MARKS or lead.isdecimal()) and bool(_BULLET.match(body))
        if bullet:
            body = _BULLET.sub("", body, count=1)
        body, links, link_chars = _unwrap_markdown(body)
        if "{\\" in body and not _TEX_SOURCE.match(body.strip()):
            body = _drop_inline_tex(body)  # (get_text prints the source on a line of its own)
        # (an ASCII line without a tab or two spaces in a row has no run for _SPACE to
        # fold: most lines, and the substitution would be tried at each of its spaces)
        if body.isascii() and "  " not in body and "\t" not in body:
            cleaned = body.strip()
        else:
            cleaned = _SPACE.sub(" ", body).strip()
        if not cleaned:
            blank = True
            continue
        pieces.append(
            _Piece(
                raw=raw,
                text=cleaned,
                blank_before=blank,
                depth=depth + indent // 4 if bullet or depth else depth,
                bullet=bullet,
                heading=heading,
                links=links,
                link_chars=link_chars,
                lead_space=raw[:1] in (" ", "\t"),
                trail_space=raw[-1:] in (" ", "\t"),
                indent=indent,
            )
        )
        blank = False
    return pieces


_LINK_BREAK_LINES = 4  # a link's text broken by <br> over at most this many lines


def _join_broken_links(raws: list[str]) -> list[str]:
    """A markdown link whose text holds line breaks ("[Spring sale  " / "20% off](url)":
    html2text ends each broken line with two spaces) is one link: its lines are joined,
    so that it unwraps and counts as link text."""
    out: list[str] = []
    i, n = 0, len(raws)
    while i < n:
        raw = raws[i]
        if raw.endswith("  ") and "[" in raw and raw.count("[") > raw.count("]"):
            j = i + 1
            while j < n and j - i <= _LINK_BREAK_LINES and raws[j].strip() and "](" not in raws[j]:
                j += 1
            if j < n and j - i <= _LINK_BREAK_LINES and "](" in raws[j] and raws[j].strip():
                out.append(" ".join(part.strip() for part in raws[i : j + 1]))
                i = j + 1
                continue
        out.append(raw)
        i += 1
    return out


# An HTML element's tag at the start of a line ("<div style=...>", "<img src=...>",
# "</p>"): a markdown converter passes the markup of a <noscript> or an ad slot through
# as it is. Not "<The Palace: Jang Noksu>" (a title in angle brackets) nor "<module>".
_HTML_LINE = re.compile(
    r"^<(?:/?(?:a|b|i|p|br|div|span|img|iframe|script|noscript|style|link|meta|em|strong|"
    r"small|ins|table|tr|td|ul|ol|li|form|input|button|section|video|source|object|embed|"
    r"param|center|font|h[1-6]|html|head|body|title)(?=[\s>/])|!--)",
    re.IGNORECASE,
)


def _raw_html(raw: str) -> bool:
    """A line that opens with an HTML tag, and is not indented as a code block (a
    listing of HTML in an article is set four spaces in)."""
    indent = len(raw) - len(raw.lstrip(" \t"))
    return indent < 4 and bool(_HTML_LINE.match(raw.lstrip()))


def _unwrap_markdown(text: str) -> tuple[str, int, int]:
    """Replace `[x](url)` by `x`, drop images; count links and their visible characters."""
    links = 0
    link_chars = 0
    if "](" in text or "][" in text:
        # Each pattern is only run where its brackets are: `_IMAGE` and `_LINK` need
        # "](", `_REF_LINK` "][" (a markdown line holds one or the other, rarely both).
        if "](" in text:
            text = _IMAGE.sub("", text)

        def keep(m: re.Match[str]) -> str:
            nonlocal links, link_chars
            label = _IMAGE.sub("", m.group(1)) if "](" in m.group(1) else m.group(1)
            inner = label.strip()
            links += 1
            link_chars += len(inner)
            if not inner or inner == label:
                return inner
            # "the[ Go Fund Me ](url)page": the spaces inside the brackets part the words
            lead = " " if label[:1].isspace() else ""
            return lead + inner + (" " if label[-1:].isspace() else "")

        for _ in range(2):  # nested [![img](src) caption](href)
            if "](" in text:
                text = _LINK.sub(keep, text)
        if "][" in text:
            text = _REF_LINK.sub(keep, text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(_emphasized, text)
    if "`" in text:
        text = _CODE_SPAN.sub(r"\1", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text, links, link_chars


def _emphasized(m: re.Match[str]) -> str:
    """The text inside emphasis marks, itself unwrapped: "**_Light a Wish_ **" (bold
    italics) would leave "_Light" and "Wish_" as words."""
    inner = m.group(2) or m.group(3) or m.group(4) or ""
    return _EMPHASIS.sub(_emphasized, inner) if "*" in inner or "_" in inner else inner


def _rejoin(pieces: list[_Piece]) -> list[Line]:
    """Glue fragments of one paragraph back together.

    Inline tags (links, emphasis) split a `get_text` paragraph into lines with no blank
    line between them, and some scrapers break a paragraph over a blank line. A piece
    joins the previous one when the previous one does not end a sentence and this one
    visibly continues it (starts lowercase or with closing punctuation, or the previous
    piece ends mid-phrase / with the space an inline tag left behind).

    A formula in the text (MathML, one sign per line) becomes a line of its own after
    the paragraph, which goes on after it where the next piece continues the sentence.
    """
    formula = _formula_pieces(pieces)
    groups: list[list[_Piece]] = []
    in_formula: list[bool] = []
    paragraph = -1  # the last group of text; only formulas stand after it
    length = 0  # characters in the current paragraph, for the length conditions
    # the paragraph holds a Chinese / Japanese full stop, so it runs in sentences (a
    # caption, a subheading or a teaser title may hold a comma, rarely a full stop)
    cjk_open = False
    for piece, sign in zip(pieces, formula, strict=True):
        if sign:
            if in_formula and in_formula[-1]:
                groups[-1].append(piece)
            else:
                groups.append([piece])
                in_formula.append(True)
            continue
        over_formula = paragraph < len(groups) - 1
        cut = cjk_open and not over_formula and _cjk_goes_on(groups[paragraph][-1], piece)
        if cut:  # no space between two ideographs or kana; a Latin word keeps its spaces
            piece.glued = bool(_CJK.match(groups[paragraph][-1].text[-1])) and bool(
                _CJK.match(piece.text[0])
            )
        if paragraph >= 0 and (
            cut or _continues(groups[paragraph][-1], piece, length, over_formula)
        ):
            groups[paragraph].append(piece)
            length += len(piece.text) + 1
        else:
            groups.append([piece])
            in_formula.append(False)
            paragraph = len(groups) - 1
            length = len(piece.text)
            # an ideographic space opens a paragraph of running text (the indent of
            # Chinese and Japanese typesetting)
            cjk_open = piece.raw.lstrip(" \t")[:1] == "\u3000"
        if not cjk_open and not piece.text.isascii():
            cjk_open = "。" in piece.text
    return [
        _line_from(group, i, formula=sign)
        for i, (group, sign) in enumerate(zip(groups, in_formula, strict=True))
    ]


def _cjk_goes_on(prev: _Piece, piece: _Piece) -> bool:
    """A Chinese / Japanese sentence that an inline tag (a link, a ruby, a bold word)
    cut: the paragraph already runs in sentences, its last piece ends in the middle of
    a word run and the next piece, on the next line (no blank line), goes on with one,
    one side of the cut being an ideograph or kana ("...发表在" / "科学" / "刊物《自然》").
    Chinese and Japanese put no space between words, so no case or space tells; a
    bracket, a list mark or a closing paren on either side is a line of its own."""
    if piece.blank_before or piece.bullet or piece.heading or piece.depth != prev.depth:
        return False
    left, right = prev.text[-1], piece.text[0]
    return (
        left.isalnum()
        and right.isalnum()
        and bool(_CJK.match(left) or _CJK.match(right))
        and not TERMINAL.search(prev.text)
    )


# "{\displaystyle A^{\mathsf {H}}}": the TeX source a MathML formula carries, printed
# under the signs of the formula.
_TEX_SOURCE = re.compile(r"^\{\\[A-Za-z]+.*\}$")
# Signs of a formula printed one per line (no arrows, dots or brackets: menus use them).
_MATH_SIGNS = frozenset("=+−±×÷≠≈≡≤≥∑∏∫∂√∞⟺⇔⇒∈∉⊂⊆∪∩∀∃∇⋅˙¯′†∗⟨⟩")
_FORMULA_TOKENS = 4  # a run of at least this many one- or two-sign pieces ...
_FORMULA_SIGNS = 2  # ... at least this many of them signs of a formula


def _formula_pieces(pieces: list[_Piece]) -> list[bool]:
    """Per piece: part of a formula that get_text printed one sign or letter per line
    ("A" / "=" / "A" / "H"), with or without its TeX source under it."""
    n = len(pieces)
    flags = [False] * n
    i = 0
    while i < n:
        if len(pieces[i].text) > 2:
            text = pieces[i].text
            if text[:2] == "{\\" and _TEX_SOURCE.match(text):
                flags[i] = True
                j = i - 1  # the formula's signs over it, and words the source names
                names = _tex_names(text)
                while j >= 0 and (flags[j] or _formula_token(pieces[j].text, names)):
                    flags[j] = True
                    j -= 1
            i += 1
            continue
        j = i
        while j < n and len(pieces[j].text) <= 2:
            j += 1
        signs = sum(pieces[k].text[0] in _MATH_SIGNS for k in range(i, j))
        if j - i >= _FORMULA_TOKENS and signs >= _FORMULA_SIGNS:
            flags[i:j] = [True] * (j - i)
        i = j
    return flags


def _formula_token(text: str, names: frozenset[str]) -> bool:
    """A sign of the formula, or a letter or word its TeX source names ("j", "Hermitian")."""
    return text[0] in _MATH_SIGNS or text in names or (len(text) == 2 and set(text) <= names)


_TEX_COMMAND = re.compile(r"\\[A-Za-z]+")


def _tex_names(source: str) -> frozenset[str]:
    """The words and signs a TeX source names ("det" for "\\det", "j" in "a_{ij}")."""
    printed = _TEX_COMMAND.sub(" ", source)
    return frozenset(_WORD.findall(source)) | frozenset(printed.replace(" ", ""))


def _drop_inline_tex(text: str) -> str:
    """A markdown dump keeps a formula inside its sentence: the signs MathML prints, then
    its TeX source ("a matrix  A  {\\displaystyle A}  is denoted by"). Both go; the
    sentence stays."""
    kept: list[str] = []
    pos = 0
    while (start := text.find("{\\", pos)) >= 0:
        end = _brace_end(text, start)
        if end < 0:
            break
        names = _tex_names(text[start:end])
        words = text[pos:start].split()
        while words and _formula_token(words[-1], names):
            words.pop()
        kept.append(" ".join(words))
        pos = end
    if not kept:
        return text
    kept.append(text[pos:])
    return " ".join(part for part in kept if part.strip())


def _brace_end(text: str, start: int) -> int:
    """The index after the brace that closes the one at `start`, or -1."""
    depth = 0
    for k in range(start, min(len(text), start + _TEX_MAX_CHARS)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k + 1
    return -1


_TEX_MAX_CHARS = 2000


def _line_from(group: list[_Piece], index: int, *, formula: bool = False) -> Line:
    head = group[0]
    if len(group) == 1:  # most lines: nothing to glue
        text, raw, links, link_chars = head.text, head.raw, head.links, head.link_chars
    else:
        parts = [head.text]
        for piece in group[1:]:
            glued = piece.text[:1] in ",.;:!?)]»”’%"  # no space before closing punctuation
            glued = glued or piece.glued
            parts.append(piece.text if glued else " " + piece.text)
        text, raw = "".join(parts), "\n".join(p.raw for p in group)
        links, link_chars = sum(p.links for p in group), sum(p.link_chars for p in group)
    return Line(
        text=text,
        raw=raw,
        index=index,
        blank_before=head.blank_before,
        depth=head.depth,
        bullet=head.bullet,
        heading=head.heading,
        formula=formula,
        links=links,
        link_chars=link_chars,
        indent=head.indent,
    )


def _continues(prev: _Piece, piece: _Piece, length: int, over_formula: bool = False) -> bool:
    """Whether `piece` continues the paragraph whose last piece is `prev` (`length`
    characters so far). Only the end of the paragraph is looked at, so long runs of
    fragments rejoin in linear time. Over a formula (`over_formula`) only the piece's
    own start tells: the blank lines around a formula are its layout, and the end of
    the text before it is no longer where the piece goes on."""
    if piece.bullet or piece.heading or prev.heading or piece.depth != prev.depth:
        return False
    if piece.text[:1] == "[" and not piece.blank_before and _NOTE_MARK.match(piece.text):
        return True  # "... North Island." + "[18]": the sentence's footnote mark
    if TERMINAL.search(prev.text):
        return False
    if over_formula:
        return _goes_on(piece.text)
    if not _continuation_shape(prev, piece, length):
        return False
    # Comment threads: a user handle ("tom_reads", "leseratte77") opens the next post,
    # and nothing continues a bare date stamp ("March 2, 2024 at 10:15 am").
    if _HANDLE.match(piece.text) or is_date_like(prev.text):
        return False
    # Widget words stacked on lines ("Notify of" / "guest") are separate chrome, not prose.
    # A lowercase piece ("... sending / shares / lower ahead") is prose whatever it says.
    # A sentence well under way that a rule's words ("Terms of Service") happen to end
    # on, with a lowercase piece after it, is prose cut at a link, not a widget's label.
    if piece.text[0].islower() and len(prev.text.split()) >= _SENTENCE_UNDER_WAY:
        return True
    return not (_is_chrome(prev.text) or (not piece.text[0].islower() and _is_chrome(piece.text)))


_SENTENCE_UNDER_WAY = 8


def _is_chrome(text: str) -> bool:
    family = classify_line(text)
    return family is not None and family != "fragment"


# "di Paolo Ventura" under an Italian headline starts lowercase, yet is a line of its own.
_BYLINE_LEAD = re.compile(
    r"^(?:by|di|von|par|por|door|przez|autor:?|de)\s+[A-ZÀ-ÞĀ-ŽА-Я][\w'’.-]+(?:\s+[A-ZÀ-ÞĀ-ŽА-Я][\w'’.-]+){0,3}$"
)

# "[18]", "[n 7]", "[update]": a footnote mark a get_text dump put on a line of its own.
_NOTE_MARK = re.compile(r"^\[[^\[\]]{1,30}\]$")
# "(the fish of" / "(MMP) has been used.": a bracket a sentence opens after a link; a
# note in brackets of its own ("(PDF)", "(English)") closes with nothing after it.
_OPEN_ASIDE = re.compile(r"^\((?:[^()]*$|[^()]*\)\s*\S)")
# "i" + "-th row": a word an inline tag cut at its hyphen; "—that is": a dash in the sentence
_DASH_JOINED = re.compile(r"^[-‐–—][a-zà-ÿ]")


def _goes_on(text: str) -> bool:
    """The piece opens as the rest of a sentence: lower case, closing punctuation, a
    bracket opened after a link, a word cut at its hyphen."""
    return bool(_CONTINUES.match(text) or _OPEN_ASIDE.match(text) or _DASH_JOINED.match(text))


def _continuation_shape(prev: _Piece, piece: _Piece, length: int) -> bool:
    if _BYLINE_LEAD.match(piece.text):
        return False
    first = piece.text[:1]
    starts_lower = bool(_CONTINUES.match(first))
    if piece.blank_before:
        # A paragraph broken over a blank line: long sentence start, lowercase continuation.
        return starts_lower and first.isalpha() and length >= 40 and not prev.bullet
    if starts_lower or _goes_on(piece.text):
        return True
    if piece.indent == 1 and piece.raw[:1] == " " and _NOTE_MARK.match(prev.text):
        return True  # "[18]" + " Māori had ...": the paragraph goes on after its mark
    if prev.trail_space and not piece.lead_space:
        return True  # "text <a>Link</a>": the space before the tag stayed on the left
    return bool(_OPENS.search(prev.text)) and length >= 20


@lru_cache(maxsize=1 << 14)  # each line's words are counted, sampled and weighed
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text))


def mostly_cjk(text: str) -> bool:
    """Chinese / Japanese text, whose "words" `_measure` estimates from its signs."""
    return not text.isascii() and len(_CJK.findall(text)) > len(text) // 3


def _measure(line: Line) -> None:
    text = line.text
    tokens = _tokens(text)
    line.words = len(tokens)
    # Chinese and Japanese write no spaces: count about two characters as a word so
    # that length thresholds mean the same in every script.
    cjk = 0 if text.isascii() else len(_CJK.findall(text))
    if cjk > len(text) // 3:
        line.words = max(line.words, cjk // 2)
    line.alpha_words = len(_ALPHA_WORD.findall(text))
    line.sentences = len(_SENTENCE_END.findall(text))
    line.terminal = bool(TERMINAL.search(text))


# --- stop words ---------------------------------------------------------------------------
# jusText's stop lists (a trafilatura dependency) give the "is this running prose?" signal
# in many languages; we pick the list that best fits the page.

_CANDIDATE_LANGUAGES = (
    "English",
    "German",
    "French",
    "Spanish",
    "Portuguese",
    "Italian",
    "Dutch",
    "Russian",
    "Polish",
    "Swedish",
    "Danish",
    "Norwegian_Bokmal",
    "Finnish",
    "Czech",
    "Turkish",
    "Ukrainian",
    "Romanian",
    "Hungarian",
    "Greek",
    "Indonesian",
    "Catalan",
)


@lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    try:
        import justext
    except ImportError:  # optional: without it, prose is recognised by shape alone
        return {}
    available = justext.get_stoplists()
    return {
        lang: frozenset(w.casefold() for w in justext.get_stoplist(lang))
        for lang in _CANDIDATE_LANGUAGES
        if lang in available
    }


@lru_cache(maxsize=1)
def _lists_holding() -> dict[str, tuple[str, ...]]:
    """Stop word -> the stop lists (in `_stoplists` order) that hold it."""
    holding: dict[str, list[str]] = {}
    for lang, stops in _stoplists().items():
        for word in stops:
            holding.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in holding.items()}


# jusText list name -> ISO 639-1, for Metadata.language.
ISO_639_1 = {
    "English": "en", "German": "de", "French": "fr", "Spanish": "es", "Portuguese": "pt",
    "Italian": "it", "Dutch": "nl", "Russian": "ru", "Polish": "pl", "Swedish": "sv",
    "Danish": "da", "Norwegian_Bokmal": "nb", "Finnish": "fi", "Czech": "cs", "Turkish": "tr",
    "Ukrainian": "uk", "Romanian": "ro", "Hungarian": "hu", "Greek": "el", "Indonesian": "id",
    "Catalan": "ca",
}  # fmt: skip


def pick_stoplist(lines: Iterable[Line]) -> frozenset[str]:
    """The stop list that covers the largest share of the page's longer lines' words."""
    return pick_language(lines)[1]


def pick_language(lines: Iterable[Line]) -> tuple[str | None, frozenset[str]]:
    """(ISO 639-1 code, stop list) of the language whose stop words cover the largest
    share of the page's longer lines; (None, empty) when none fits well."""
    sample: list[str] = []
    for line in lines:
        if line.words >= 8:
            sample.extend(map(str.casefold, _tokens(line.text)))
            if len(sample) > 1000:
                break
    lists = _stoplists()
    if not sample or not lists:
        return None, frozenset()
    # Each word's count is added to the lists that hold it (one pass over the page's
    # words, not one per list); the lists are then compared in their order, as before.
    hits = dict.fromkeys(lists, 0)
    lists_of = _lists_holding()
    for word, n in Counter(sample).items():
        for lang in lists_of.get(word, ()):
            hits[lang] += n
    best, best_lang, best_share = frozenset(), None, 0.0
    for lang, stops in lists.items():
        share = hits[lang] / len(sample)
        if share > best_share:
            best, best_lang, best_share = stops, lang, share
    if best_share < 0.12:
        return None, frozenset()
    return ISO_639_1.get(best_lang or ""), best


def stopword_density(text: str, stops: frozenset[str]) -> float:
    tokens = _tokens(text)
    if not tokens or not stops:
        return 0.0
    return sum(map(stops.__contains__, map(str.casefold, tokens))) / len(tokens)
