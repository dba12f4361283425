"""A learned check of each body paragraph: is it article text, or a block inside the
article's container that is not (a caption, a subscription teaser, a promo, an author bio,
a "read more" link)?

Each paragraph is found again in the page (the element whose text it starts with) and
described by features that carry across languages and layouts: its length and sentence
shape, its link text, its element and the elements around it, whether it sits under the
same parent as the body's main run of paragraphs, its place in the body, whether the page
repeats it, and the class/id words of its element and ancestors (split into words, so
`article-body__caption` gives `article`, `body`, `caption`). A logistic regression over
those features gives the probability that the paragraph is article text; paragraphs under
the model's threshold are dropped.

The weights (`html_paragraph_model.json`) are trained on the four HTML development sets by
bench/train_paragraph_model.py, which reproduces the file from ../shared data; the bench
(bench/html_bench.py) reports the model trained without each set, scored on it. Inference
is a sparse dot product in pure Python (no numpy/scikit-learn at run time).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

from lxml.html import HtmlElement

__all__ = ["ParagraphModel", "load_model", "paragraph_features"]

MODEL_PATH = Path(__file__).with_name("html_paragraph_model.json")

# Elements a body paragraph comes from (trafilatura's paragraphs, headings, list items,
# table rows/cells, quotes, captions).
_SOURCE_TAGS = frozenset(
    "p li h1 h2 h3 h4 h5 h6 td th dd dt blockquote pre figcaption caption".split()
)
# Ancestors whose presence says something about a block, whatever the site.
_CONTEXT_TAGS = frozenset(
    "figure figcaption aside footer header nav form li ul ol table blockquote article main "
    "section address".split()
)
_ANCESTOR_LEVELS = 5  # class/id words and context tags are read this far up
_KEY_CHARS = 60  # a paragraph is found again by this prefix of its collapsed text
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_NAME_PART = re.compile(r"[a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f\u0964](?:[\"'\u201d\u2019)\]]*)(?:\s|$)")
_SEPARATORS = frozenset("|\u2022\u00b7\u00bb\u203a\u00a9/")


def _bin(value: float, edges: tuple[float, ...]) -> int:
    for i, edge in enumerate(edges):
        if value < edge:
            return i
    return len(edges)


_WORD_EDGES = (3, 6, 10, 16, 25, 40, 70)
_SHARE_EDGES = (0.05, 0.3, 0.6, 0.9)
_POSITION_EDGES = (0.1, 0.3, 0.7, 0.9)
_END_EDGES = (0.01, 0.05, 0.2)


def _name_words(el: HtmlElement) -> set[str]:
    """The words of an element's class and id (`articleBody__photo-caption2` ->
    article, body, photo, caption)."""
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not names.strip():
        return set()
    return {w for w in _NAME_PART.findall(_CAMEL.sub(" ", names).lower()) if len(w) >= 3}


class _Sources:
    """The page's paragraph-like elements by the prefix of their collapsed text."""

    def __init__(self, tree: HtmlElement) -> None:
        self.by_key: dict[str, HtmlElement] = {}
        self.count: Counter[str] = Counter()
        for el in tree.iter(*_SOURCE_TAGS):
            text = _SPACE.sub(" ", el.text_content()).strip()
            if not text:
                continue
            key = text[:_KEY_CHARS]
            self.count[key] += 1
            # the innermost element with this text (a <p> inside an <li> with the same text)
            self.by_key[key] = el

    def find(self, paragraph: str) -> HtmlElement | None:
        """The element `paragraph` was read from (None: not found, e.g. a paragraph the
        extractor assembled from inline text; that is a feature of its own)."""
        return self.by_key.get(paragraph[:_KEY_CHARS])


def paragraph_features(paragraphs: list[str], tree: HtmlElement) -> list[dict[str, float]]:
    """One sparse feature dict per paragraph of a body extracted from `tree`."""
    sources = _Sources(tree)
    elements = [sources.find(p) for p in paragraphs]
    parents = Counter(el.getparent() for el in elements if el is not None)
    main_parent = parents.most_common(1)[0][0] if parents else None
    grand = Counter(
        el.getparent().getparent()
        for el in elements
        if el is not None and el.getparent() is not None
    )
    main_grand = grand.most_common(1)[0][0] if grand else None
    lengths = sorted(len(p.split()) for p in paragraphs)
    median = lengths[len(lengths) // 2] if lengths else 1
    n = len(paragraphs)
    counts = [len(p.split()) for p in paragraphs]
    total = max(sum(counts), 1)
    before = 0
    parent_texts: dict[HtmlElement, tuple[int, int]] = {}
    rows = []
    for i, (paragraph, el) in enumerate(zip(paragraphs, elements, strict=True)):
        f: dict[str, float] = {"bias": 1.0}
        words = paragraph.split()
        nw = len(words)
        wb = _bin(nw, _WORD_EDGES)
        f[f"words{wb}"] = 1.0
        f["relative_length"] = min(nw / max(median, 1), 4.0)
        ends = bool(_SENTENCE_END.search(paragraph[-3:] + " "))
        f[f"ends_sentence{int(ends)}_words{wb}"] = 1.0
        sentences = len(_SENTENCE_END.findall(paragraph + " "))
        f["sentences_per_10_words"] = min(10 * sentences / max(nw, 1), 3.0)
        capitalised = sum(1 for w in words if w[:1].isupper())
        f["capitalised_share"] = capitalised / max(nw, 1)
        tokens = _WORD.findall(paragraph)
        f["digit_share"] = sum(1 for t in tokens if t.isdigit()) / max(len(tokens), 1)
        if any(ch in _SEPARATORS for ch in paragraph):
            f["separator"] = 1.0
        if paragraph.endswith(":"):
            f["ends_colon"] = 1.0
        position = i / max(n - 1, 1)
        f[f"position{_bin(position, _POSITION_EDGES)}"] = 1.0
        if i == 0:
            f["first"] = 1.0
        if i == n - 1:
            f["last"] = 1.0
        f[f"body_size{_bin(n, (3, 8, 20, 50))}"] = 1.0
        # words of the body before and after it: chrome sits at the ends, after the text
        after = (total - before - nw) / total
        f[f"before{_bin(before / total, _END_EDGES)}_words{wb}"] = 1.0
        f[f"after{_bin(after, _END_EDGES)}_words{wb}"] = 1.0
        before += nw
        if el is None:
            f["unmatched"] = 1.0
            f[f"unmatched_words{wb}"] = 1.0
            rows.append(f)
            continue
        text_length = max(len(el.text_content()), 1)
        linked = sum(len(a.text_content()) for a in el.iter("a"))
        share = min(linked / text_length, 1.0)
        f[f"links{_bin(share, _SHARE_EDGES)}_words{wb}"] = 1.0
        f[f"tag_{_tag_group(el.tag)}"] = 1.0
        if sources.count[paragraph[:_KEY_CHARS]] > 1:
            f["repeated"] = 1.0
        parent = el.getparent()
        if parent is not None:
            if parent not in parent_texts:  # most paragraphs share a few parents
                parent_texts[parent] = (
                    max(len(parent.text_content()), 1),
                    sum(len(a.text_content()) for a in parent.iter("a")),
                )
            parent_text, parent_linked = parent_texts[parent]
            f[f"parent_links{_bin(min(parent_linked / parent_text, 1.0), _SHARE_EDGES)}"] = 1.0
            f[f"parent_share{_bin(text_length / parent_text, _SHARE_EDGES)}"] = 1.0
        same_parent = parent is not None and parent is main_parent
        same_grand = parent is not None and parent.getparent() is main_grand
        place = "parent" if same_parent else "grand" if same_grand else "elsewhere"
        f[f"main_{place}"] = 1.0
        f[f"main_{place}_words{wb}"] = 1.0
        f[f"main_{place}_ends{int(ends)}"] = 1.0
        for word in _name_words(el):
            f[f"own:{word}"] = 1.0
        node = parent
        for _ in range(_ANCESTOR_LEVELS):
            if node is None or not isinstance(node.tag, str) or node.tag in ("body", "html"):
                break
            if node.tag in _CONTEXT_TAGS:
                f[f"in_{node.tag}"] = 1.0
            for word in _name_words(node):
                f[f"up:{word}"] = 1.0
            node = node.getparent()
        rows.append(f)
    return rows


def _tag_group(tag: object) -> str:
    if not isinstance(tag, str):
        return "other"
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "h"
    if tag in ("td", "th"):
        return "cell"
    if tag in ("dd", "dt"):
        return "dl"
    return tag


class ParagraphModel:
    """Logistic regression weights by feature name, and the threshold under which a
    paragraph's probability of being article text drops it."""

    def __init__(self, weights: dict[str, float], threshold: float) -> None:
        self.weights = weights
        self.threshold = threshold

    @classmethod
    def from_json(cls, data: dict) -> ParagraphModel:
        return cls(dict(data["weights"]), float(data["threshold"]))

    def to_json(self) -> dict:
        return {"threshold": self.threshold, "weights": self.weights}

    def probability(self, features: dict[str, float]) -> float:
        weights = self.weights
        z = sum(weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def keep(self, paragraphs: list[str], tree: HtmlElement) -> list[str]:
        """The paragraphs the model takes for article text (all of them when it would
        drop every one: an empty body is never better than the extractor's)."""
        if len(paragraphs) < 2:
            return paragraphs
        return self.keep_rows(paragraphs, paragraph_features(paragraphs, tree))

    def keep_rows(self, paragraphs: list[str], rows: list[dict[str, float]]) -> list[str]:
        """`keep` with the paragraphs' features already computed."""
        if len(paragraphs) < 2:
            return paragraphs
        kept = [
            p
            for p, f in zip(paragraphs, rows, strict=True)
            if self.probability(f) >= self.threshold
        ]
        return kept or paragraphs


@cache
def load_model(path: Path = MODEL_PATH) -> ParagraphModel | None:
    """The shipped model (None when the weights file is missing)."""
    if not path.exists():
        return None
    return ParagraphModel.from_json(json.loads(path.read_text(encoding="utf-8")))
