"""Train clean_html's paragraph model on the four HTML development sets.

Writes cleaning/html_paragraph_model.json (the weights cleaning/html_paragraphs.py reads).

Reproducible from ../shared data alone: clean_html runs on every page with the model step
recorded (its input paragraphs and their features), each paragraph is labelled by the
set's gold, a weighted L2-regularised logistic regression is fitted (scipy L-BFGS), and the
drop threshold is the one with the best page-weighted body F1 over the sets, replayed.

Labels: on the sets with a gold body, a paragraph is article text when at least half of
its 4-token shingles are in the gold body; on trafilatura-eval-dev, when it holds (or is
part of) a `with` snippet, not when it holds a `without` snippet, unlabelled otherwise.
Each page's labelled paragraphs weigh 1 in all, shared by shingle count (what the body
metric counts), so every page counts alike, as in the per-page P/R means.

Class/id words enter the model only when they occur on pages of at least two sets and on
at least `MIN_PAGES` pages: a word one site uses is not a signal about unseen sites.

    .venv/bin/python bench/train_paragraph_model.py            # writes the weights file
    .venv/bin/python bench/train_paragraph_model.py --check    # differs from shipped? exit 1
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "RESULTS.md"
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from scipy import optimize, sparse  # noqa: E402

import cleaning.html  # noqa: E402
from bench.html_sets import SETS, TRAFILATURA, Page, load_set  # noqa: E402
from cleaning import clean_html  # noqa: E402
from cleaning.html import HtmlOptions  # noqa: E402
from cleaning.html_paragraphs import (  # noqa: E402
    MODEL_PATH,
    ParagraphModel,
    load_model,
    paragraph_features,
)
from cleaning.scoring import collapse, shingles  # noqa: E402

_TOKEN = re.compile(r"\w+")

L2 = 1.0  # on the summed page weights (one per page)
MIN_PAGES = 8
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
NAME_PREFIXES = ("own:", "up:")


@dataclass
class Seen:
    """What the paragraph model step saw on one page."""

    set: str
    page: str
    paragraphs: list[str]
    rows: list[dict[str, float]]


class ModelRecorder:
    """Installed in place of cleaning.html.drop_unlike_article: records the paragraphs and
    their features, then applies `model` (None: keeps every paragraph)."""

    def __init__(self, model: ParagraphModel | None) -> None:
        self.model = model
        self.last: tuple[list[str], list[dict[str, float]]] | None = None

    def __call__(self, paragraphs: list[str], tree) -> list[str]:
        rows = paragraph_features(paragraphs, tree)
        self.last = (paragraphs, rows)
        return self.model.keep_rows(paragraphs, rows) if self.model else paragraphs


def collect(by_set: dict[str, list[Page]]) -> tuple[dict[str, Seen], dict]:
    """Run clean_html (without the model) on every page, recording the model step's input;
    also its outputs by "set/page id"."""
    from bench.html_bench import Output

    options = HtmlOptions(paragraph_model=True)  # the step runs (and is recorded) here
    recorder = ModelRecorder(None)
    original = cleaning.html.drop_unlike_article
    cleaning.html.drop_unlike_article = recorder
    seen: dict[str, Seen] = {}
    outputs = {}
    try:
        for set_name, pages in by_set.items():
            for page in pages:
                recorder.last = None
                outputs[f"{set_name}/{page.id}"] = _clean(page, options, Output)
                if recorder.last is not None:
                    paragraphs, rows = recorder.last
                    seen[f"{set_name}/{page.id}"] = Seen(set_name, page.id, paragraphs, rows)
            print(f"collected {set_name}", file=sys.stderr, flush=True)
    finally:
        cleaning.html.drop_unlike_article = original
    return seen, outputs


def _clean(page: Page, options: HtmlOptions, output: type):
    """clean_html's output as the bench records it (an empty one where it crashes)."""
    try:
        article = clean_html(page.html, page.url, options=options)
    except Exception:
        return output()
    meta = article.metadata
    return output(article.body, article.title, list(meta.authors))


def labels(page: Page, paragraphs: list[str]) -> list[tuple[int, float] | None]:
    """(label, weight) per paragraph, None where the gold says nothing about it."""
    out: list[tuple[int, float] | None] = []
    if page.set == TRAFILATURA:
        with_ = [collapse(s) for s in page.with_snippets if collapse(s)]
        without = [collapse(s) for s in page.without_snippets if collapse(s)]
        for paragraph in paragraphs:
            text = collapse(paragraph)
            if any(s in text or (len(text) > 20 and text in s) for s in with_):
                out.append((1, 1.0))
            elif any(s in text or (len(text) > 20 and text in s) for s in without):
                out.append((0, 1.0))
            else:
                out.append(None)
    else:
        gold = shingles(page.body or "")
        gold_text = f" {' '.join(_TOKEN.findall(page.body or ''))} "
        for paragraph in paragraphs:
            own = shingles(paragraph)
            total = sum(own.values())
            tokens = _TOKEN.findall(paragraph)
            if not total:
                out.append(None)
            elif len(tokens) < 4:  # one short "shingle": look for its words in the gold
                out.append((int(f" {' '.join(tokens)} " in gold_text), float(total)))
            else:
                found = sum((own & gold).values())
                out.append((int(found >= 0.5 * total), float(total)))
    page_weight = sum(item[1] for item in out if item is not None)
    return [None if item is None else (item[0], item[1] / page_weight) for item in out]


def examples(seen: dict[str, Seen], pages: dict[str, Page], sets: list[str]):
    """Feature rows, labels and weights of the labelled paragraphs of `sets`."""
    rows, ys, ws, where = [], [], [], []
    for key, item in seen.items():
        if item.set not in sets:
            continue
        for row, label in zip(item.rows, labels(pages[key], item.paragraphs), strict=True):
            if label is None:
                continue
            rows.append(row)
            ys.append(label[0])
            ws.append(label[1])
            where.append(key)
    return rows, np.array(ys, dtype=float), np.array(ws, dtype=float), where


def vocabulary(seen: dict[str, Seen], sets: list[str]) -> list[str]:
    """Feature names the model may use: every structural feature, and class/id words found
    on pages of at least two of `sets` and on at least MIN_PAGES pages."""
    pages_with: dict[str, set[str]] = defaultdict(set)
    sets_with: dict[str, set[str]] = defaultdict(set)
    for key, item in seen.items():
        if item.set not in sets:
            continue
        for row in item.rows:
            for name in row:
                pages_with[name].add(key)
                sets_with[name].add(item.set)
    return sorted(
        name
        for name in pages_with
        if not name.startswith(NAME_PREFIXES)
        or (len(sets_with[name]) >= 2 and len(pages_with[name]) >= MIN_PAGES)
    )


def fit(seen: dict[str, Seen], pages: dict[str, Page], sets: list[str]) -> dict[str, float]:
    """Logistic-regression weights by feature name, trained on the pages of `sets`."""
    names = vocabulary(seen, sets)
    column = {name: i for i, name in enumerate(names)}
    rows, y, w, _ = examples(seen, pages, sets)
    data, indices, pointers = [], [], [0]
    for row in rows:
        for name, value in row.items():
            if name in column:
                indices.append(column[name])
                data.append(value)
        pointers.append(len(indices))
    x = sparse.csr_matrix((data, indices, pointers), shape=(len(rows), len(names)))
    penalty = np.full(len(names), L2)
    penalty[column["bias"]] = 0.0

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ beta
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        eps = 1e-12
        value = -np.sum(w * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
        value += 0.5 * np.sum(penalty * beta * beta)
        grad = x.T @ (w * (p - y)) + penalty * beta
        return value, grad

    result = optimize.minimize(
        loss, np.zeros(len(names)), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    return {
        name: round(float(b), 4) for name, b in zip(names, result.x, strict=True) if abs(b) >= 1e-4
    }


def choose_threshold(
    weights: dict[str, float],
    sets: list[str],
    score: Callable[[ParagraphModel, list[str]], float],
) -> float:
    """The threshold with the best page-weighted F1 on `sets` (`score` replays a model)."""
    return max(THRESHOLDS, key=lambda t: score(ParagraphModel(weights, t), sets))


def train(
    seen: dict[str, Seen],
    pages: dict[str, Page],
    sets: list[str],
    score: Callable[[ParagraphModel, list[str]], float],
) -> ParagraphModel:
    weights = fit(seen, pages, sets)
    return ParagraphModel(weights, choose_threshold(weights, sets, score))


def replay_scorer(by_set: dict[str, list[Page]], seen: dict[str, Seen], ours: dict):
    """A `score(model, sets)` for `train`: page-weighted body F1 of clean_html's outputs with
    the model step replayed (`ours`: clean_html's outputs, key "set/page id")."""
    from bench.html_bench import replay_paragraph_model

    def score(model: ParagraphModel, sets: list[str]) -> float:
        scores = replay_paragraph_model({s: by_set[s] for s in sets}, seen, ours, model)
        n = sum(sc.pages for sc in scores.values())
        return sum(sc.f1 * sc.pages for sc in scores.values()) / n

    return score


def loso_table(by_set: dict[str, list[Page]], seen: dict[str, Seen], ours: dict) -> str:
    """Markdown: for each set, the model trained (weights and threshold) on the other
    three, scored on it, beside the shipped model and no model step."""
    from bench.html_bench import loso_rows, replay_paragraph_model

    pages = {f"{p.set}/{p.id}": p for ps in by_set.values() for p in ps}
    score = replay_scorer(by_set, seen, ours)
    shipped = replay_paragraph_model(by_set, seen, ours, load_model())
    none = replay_paragraph_model(by_set, seen, ours, None)
    lines = [
        "Leave-one-set-out check of the paragraph model (cleaning/html_paragraphs.py, "
        "trained by bench/train_paragraph_model.py): for each set, weights and drop threshold "
        "trained on the *other three* sets only (class/id words kept only when found on two "
        "of them), scored on it; beside the shipped weights (trained on all four) and no "
        "model step.",
        "",
        "| left-out set | trained without it | F1 there | shipped weights F1 | no model F1 |",
        "|---|---|---|---|---|",
    ]
    held = {}
    for held_out in by_set:
        rest = [s for s in by_set if s != held_out]
        model = train(seen, pages, rest, score)
        f1 = replay_paragraph_model({held_out: by_set[held_out]}, seen, ours, model)[held_out].f1
        held[held_out] = (f"{len(model.weights)} weights, threshold {model.threshold}", f1)
    return "\n".join(lines + loso_rows(by_set, held, shipped, none)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    parser.add_argument(
        "--loso",
        action="store_true",
        help="also train with each set left out; write the table to RESULTS.md",
    )
    args = parser.parse_args(argv)
    by_set = {s: load_set(s) for s in SETS}
    pages = {f"{p.set}/{p.id}": p for ps in by_set.values() for p in ps}
    seen, ours = collect(by_set)
    model = train(seen, pages, list(SETS), replay_scorer(by_set, seen, ours))
    text = json.dumps(model.to_json(), indent=0, sort_keys=True) + "\n"
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("same as shipped" if same else "differs from shipped")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    load_model.cache_clear()
    print(f"wrote {args.out} ({len(model.weights)} weights, threshold {model.threshold})")
    if args.loso:
        table = loso_table(by_set, seen, ours)
        print(table)
        write_section(table)
    return 0


def write_section(table: str) -> None:
    import time

    from bench import results

    results.write_section(
        "## HTML paragraph model\n\n"
        f"Command: `.venv/bin/python bench/train_paragraph_model.py --loso`, "
        f"{time.strftime('%Y-%m-%d %H:%M')}. The model is off by default "
        "(HtmlOptions.paragraph_model): trained on all four sets it scores above clean_html "
        "without it, but trained without a set it does not gain on that set, i.e. what it "
        "learns are the sets' own gold conventions (which captions, info boxes, teasers "
        "and quotes count as article text), not what carries to unseen pages.\n\n" + table,
        RESULTS,
    )


if __name__ == "__main__":
    raise SystemExit(main())
