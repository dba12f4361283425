"""Quality measures shared by tests and bench/ (definitions in DESIGN.md).

Body F1 is the article-extraction-benchmark metric, written out here because that
project ships it only as a script: `\\w+` tokens (case kept), multisets of 4-token
shingles, per-document precision/recall, corpus P and R as means, F1 from those means.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    # Whether the document counts towards the corpus precision / recall means: the
    # benchmark's evaluate.py skips documents with TP+FP == 0 (resp. TP+FN == 0).
    has_predicted: bool = True
    has_truth: bool = True

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def body_score(predicted: str, truth: str) -> Score:
    """Per-document precision and recall of `predicted` against `truth`."""
    pred, gold = shingles(predicted), shingles(truth)
    tp = sum((pred & gold).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if not fp else 0.0)
    return Score(precision, recall, tp + fp > 0, tp + fn > 0)


def corpus_score(scores: Iterable[Score]) -> Score:
    """Mean precision and mean recall over documents; F1 from the two means."""
    scores = list(scores)
    precisions = [s.precision for s in scores if s.has_predicted]
    recalls = [s.recall for s in scores if s.has_truth]
    return Score(
        sum(precisions) / len(precisions) if precisions else 0.0,
        sum(recalls) / len(recalls) if recalls else 0.0,
    )


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def comment_matches(
    predicted: Sequence[tuple[str | None, str]], gold: Sequence[tuple[str | None, str]]
) -> int:
    """How many gold (author, text) comments are found: same author (case-insensitive,
    whitespace collapsed) and body F1 >= 0.9. Each predicted comment matches at most once."""
    used: set[int] = set()
    found = 0
    for g_author, g_text in gold:
        for i, (p_author, p_text) in enumerate(predicted):
            if i in used:
                continue
            if collapse(p_author or "").casefold() != collapse(g_author or "").casefold():
                continue
            if body_score(p_text, g_text).f1 >= 0.9:
                used.add(i)
                found += 1
                break
    return found


def leaked_noise(noise_lines: Iterable[str], texts: Iterable[str]) -> list[str]:
    """Gold noise lines that leak: equal to a whole extracted line, or (4+ word tokens)
    contained anywhere in the extracted text."""
    texts = [t for t in texts if t]
    lines = {collapse(line) for t in texts for line in t.splitlines() if line.strip()}
    joined = "\n".join(collapse(t) for t in texts)
    leaks = []
    for noise in noise_lines:
        n = collapse(noise)
        if not n:
            continue
        if n in lines or (len(_TOKEN.findall(n)) >= 4 and n in joined):
            leaks.append(noise)
    return leaks


# --- snippet gold (trafilatura's evaluation set) -------------------------------------------


@dataclass(frozen=True, slots=True)
class SnippetCounts:
    """trafilatura's evaluation: a `with` snippet found in the output is a true positive
    (missing: a false negative), a `without` snippet found is a false positive."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(
            self.tp + other.tp, self.fn + other.fn, self.fp + other.fp, self.tn + other.tn
        )

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def snippet_counts(predicted: str, with_: Iterable[str], without: Iterable[str]) -> SnippetCounts:
    """Snippet containment with whitespace collapsed on both sides (extractors differ in
    how they lay out lines; the words are what is scored)."""
    text = collapse(predicted)
    found = [collapse(s) in text for s in with_ if collapse(s)]
    leaked = [collapse(s) in text for s in without if collapse(s)]
    return SnippetCounts(
        tp=sum(found),
        fn=len(found) - sum(found),
        fp=sum(leaked),
        tn=len(leaked) - sum(leaked),
    )


# --- metadata ------------------------------------------------------------------------------

_BY = re.compile(r"^\s*(?:by|von|par|por|di|door|av)\b\s*:?", re.IGNORECASE)


def _name_tokens(names: Iterable[str]) -> set[str]:
    return {t.casefold() for name in names for t in _TOKEN.findall(_BY.sub("", name or ""))}


def authors_score(predicted: Sequence[str], gold: Sequence[str]) -> Score:
    """Per-page precision/recall of the author names' word tokens (case folded, a leading
    "By" dropped): a byline string and a list of names score alike."""
    pred, true = _name_tokens(predicted), _name_tokens(gold)
    tp = len(pred & true)
    precision = tp / len(pred) if pred else 0.0
    recall = tp / len(true) if true else 1.0
    return Score(precision, recall, True, bool(true))


def same_title(predicted: str | None, gold: str | None) -> bool:
    return collapse(predicted or "").casefold() == collapse(gold or "").casefold()


# --- glued words ---------------------------------------------------------------------------


def word_tokens(text: str) -> list[str]:
    """`\\w+` tokens, NFKC-normalised and case-folded (extractors differ in both)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text or "").casefold())


def glued_tokens(predicted: str, page_vocabulary: set[str]) -> list[str]:
    """Output tokens that do not occur in the page's own text: words joined across an
    element boundary ("Cell oneinner para") or otherwise invented."""
    return [t for t in word_tokens(predicted) if t not in page_vocabulary]


# Elements a browser renders inside a line of text: no word boundary at their edges.
_INLINE = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd label mark nobr q s samp "
    "small span strike strong sub sup time tt u var wbr".split()
)
_NO_TEXT = frozenset({"script", "style", "template", "noscript"})


def page_vocabulary(html: bytes | str) -> set[str]:
    """Every word token of the page as a reader sees it: inline elements joined, every
    other element boundary a word break; plus each text node on its own (an extractor may
    break at inline elements too). Bytes are read under every plausible decoding, so an
    extractor's choice of charset is not counted as glue."""
    import lxml.html
    from w3lib.encoding import html_to_unicode

    if isinstance(html, bytes):
        texts = {
            html_to_unicode(None, html)[1],
            html.decode("utf-8", "replace"),
            html.decode("cp1252", "replace"),
        }
    else:
        texts = {html}
    vocabulary: set[str] = set()
    parser = lxml.html.HTMLParser(encoding="utf-8")
    for text in texts:
        try:
            root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
        except (ValueError, TypeError, lxml.etree.ParserError):
            continue
        chunks: list[str] = []
        for el in root.iter():
            if not isinstance(el.tag, str) or el.tag in _NO_TEXT:
                vocabulary.update(word_tokens(el.tail or ""))
                continue
            vocabulary.update(word_tokens(el.text or ""))
            vocabulary.update(word_tokens(el.tail or ""))
        _render(root, chunks)
        vocabulary.update(word_tokens("".join(chunks)))
        for attr in ("alt", "title", "content"):  # extractors may output these
            for value in root.xpath(f"//@{attr}"):
                vocabulary.update(word_tokens(value))
    return vocabulary


def _render(el, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is not None and tag not in _NO_TEXT:
        inline = tag in _INLINE
        if not inline:
            out.append(" ")
        out.append(el.text or "")
        for child in el:
            _render(child, out)
        if not inline:
            out.append(" ")
    out.append(el.tail or "")
