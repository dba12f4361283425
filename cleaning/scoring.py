"""Quality measures shared by tests and bench/ (definitions in DESIGN.md).

Body F1 is the article-extraction-benchmark metric, written out here because that
project ships it only as a script: `\\w+` tokens (case kept), multisets of 4-token
shingles, per-document precision/recall, corpus P and R as means, F1 from those means.
"""

from __future__ import annotations

import re
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
