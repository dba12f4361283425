"""Body extraction, metadata, glued words and speed of clean_html against its peers, on all
four HTML development sets (../shared/benchmarks, see bench/html_sets.py), in one run.

Extractors: clean_html; trafilatura.extract default (comments included, as a user gets it),
with include_comments=False, and with favor_precision=True; readability-lxml; jusText
(stop list from the page's <html lang>, language-independent mode otherwise).

Scores, per set and page-weighted over all sets:
- body P/R/F1: 4-token-shingle metric (cleaning.scoring.body_score, corpus P and R as means
  of per-page values); on trafilatura-eval-dev the set's own snippet P/R/F1 (a `with`
  snippet found is a TP, a `without` snippet found an FP, counts summed over the set);
- metadata where a set has gold: title (exact, case-folded), authors (mean per-page F1 of
  name tokens), date (same day);
- glued tokens: output word tokens found nowhere in the page's own text
  (cleaning.scoring.page_vocabulary), summed over the set;
- leave-one-set-out: the settings of clean_html's candidate comparison (and of the vote,
  when it is on) replayed over a grid from what clean_html compared on each page, chosen on
  three sets and scored on the fourth;
- speed: CPU time of clean_html vs trafilatura.bare_extraction(with_metadata=True) on the
  same pages, interleaved page by page in this process.

Peers' outputs are cached under bench/.cache/ (gitignored; keyed by the library versions),
so iterating on clean_html re-runs only clean_html (and the timing).

    .venv/bin/python bench/html_bench.py                 # all sets, updates RESULTS.md ## HTML
    .venv/bin/python bench/html_bench.py --sets fundus-dev --limit 30 --no-speed
    .venv/bin/python bench/html_bench.py --dump per-page.json
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import cleaning.html  # noqa: E402
from bench import results  # noqa: E402
from bench.html_sets import SETS, TRAFILATURA, Page, load_set, set_dir  # noqa: E402
from bench.timing import frozen_heap  # noqa: E402
from bench.train_paragraph_model import ModelRecorder, Seen, loso_table  # noqa: E402
from cleaning import clean_html  # noqa: E402
from cleaning.html import (  # noqa: E402
    HEADLINE_FEWEST_WORDS,
    HtmlOptions,
    drop_headline_repeat,
    drop_noise_paragraphs,
    fill_gaps,
    prefer_alternative,
    standfirst,
    standfirst_block,
)
from cleaning.html_paragraphs import ParagraphModel, load_model  # noqa: E402
from cleaning.html_vote import VoteSettings, vote  # noqa: E402
from cleaning.scoring import (  # noqa: E402
    Score,
    SnippetCounts,
    authors_score,
    body_score,
    corpus_score,
    glued_tokens,
    page_vocabulary,
    same_title,
    snippet_counts,
)
from cleaning.types import Metadata  # noqa: E402

CACHE = REPO / "bench" / ".cache"
RESULTS = REPO / "bench" / "RESULTS.md"


@dataclass
class Output:
    body: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None  # YYYY-MM-DD
    has_metadata: bool = False
    title_only: bool = False  # readability-lxml reads a title, no authors or date
    description: str | None = None  # clean_html's meta description (the standfirst replay)


# --- extractors: (html bytes, url) -> Output ------------------------------------------------


def run_clean_html(html: bytes, url: str | None) -> Output:
    article = clean_html(html, url)
    meta = article.metadata
    return Output(
        article.body,
        article.title,
        list(meta.authors),
        (meta.published or "")[:10] or None,
        True,
        description=meta.description,
    )


def _trafilatura_output(doc, with_comments: bool) -> Output:
    if doc is None:
        return Output(has_metadata=True)
    body = doc.text or ""
    if with_comments and doc.comments:
        body = f"{body}\n{doc.comments}"
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Output(body, doc.title, authors, (doc.date or "")[:10] or None, True)


def run_trafilatura_metadata(html: bytes, url: str | None) -> Output:
    """trafilatura as a user calls it for body + metadata: the speed reference."""
    from trafilatura import bare_extraction

    return _trafilatura_output(bare_extraction(html, url=url, with_metadata=True), True)


def run_trafilatura_no_comments(html: bytes, url: str | None) -> Output:
    from trafilatura import bare_extraction

    doc = bare_extraction(html, url=url, include_comments=False)
    return Output(doc.text or "" if doc is not None else "")


def run_trafilatura_precision(html: bytes, url: str | None) -> Output:
    from trafilatura import bare_extraction

    doc = bare_extraction(html, url=url, favor_precision=True)
    return Output(_trafilatura_output(doc, True).body)


def run_readability(html: bytes, url: str | None) -> Output:
    import lxml.html
    from readability import Document
    from w3lib.encoding import html_to_unicode

    from cleaning.html_select import block_text

    doc = Document(html_to_unicode(None, html)[1], url=url)  # it takes text only
    summary = doc.summary(html_partial=True)
    body = block_text(lxml.html.fromstring(summary)) if summary.strip() else ""
    return Output(body, doc.short_title() or None, has_metadata=True, title_only=True)


_JUSTEXT_LANGUAGES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "nl": "Dutch",
    "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian",
    "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese",
}  # fmt: skip


def run_justext(html: bytes, url: str | None) -> Output:
    import re

    import justext

    match = re.search(rb"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", html[:5000], re.IGNORECASE)
    language = _JUSTEXT_LANGUAGES.get(match.group(1).decode().lower()) if match else None
    if language:
        paragraphs = justext.justext(html, justext.get_stoplist(language))
    else:  # jusText's documented language-independent mode
        paragraphs = justext.justext(html, frozenset(), stopwords_low=0, stopwords_high=0)
    return Output("\n\n".join(p.text for p in paragraphs if not p.is_boilerplate))


OURS = "clean_html"
REFERENCE = "trafilatura"  # speed reference and metadata peer
EXTRACTORS: dict[str, Callable[[bytes, str | None], Output]] = {
    OURS: run_clean_html,
    REFERENCE: run_trafilatura_metadata,
    "trafilatura comments off": run_trafilatura_no_comments,
    "trafilatura favor_precision": run_trafilatura_precision,
    "readability-lxml": run_readability,
    "jusText": run_justext,
}


def _versions() -> str:
    from importlib.metadata import version

    return "-".join(version(p) for p in ("trafilatura", "readability-lxml", "justext", "lxml"))


def _safe(extract: Callable[[bytes, str | None], Output], page: Page) -> Output:
    try:
        return extract(page.html, page.url)
    except Exception:  # a peer crashing on one page scores as an empty prediction
        return Output()


def peer_outputs(name: str, set_name: str, pages: list[Page]) -> dict[str, Output]:
    """A peer's outputs for the pages, from the cache where present."""
    path = CACHE / f"{name.replace(' ', '_')}-{_versions()}" / f"{set_name}.pickle"
    cached: dict[str, Output] = pickle.loads(path.read_bytes()) if path.exists() else {}
    missing = [p for p in pages if p.id not in cached]
    for page in missing:
        cached[page.id] = _safe(EXTRACTORS[name], page)
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(cached))
    return {p.id: cached[p.id] for p in pages}


def vocabularies(set_name: str, pages: list[Page]) -> dict[str, set[str]]:
    path = CACHE / "vocabulary" / f"{set_name}.pickle"
    cached: dict[str, set[str]] = pickle.loads(path.read_bytes()) if path.exists() else {}
    missing = [p for p in pages if p.id not in cached]
    for page in missing:
        cached[page.id] = page_vocabulary(page.html)
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(cached))
    return {p.id: cached[p.id] for p in pages}


# --- scoring --------------------------------------------------------------------------------


@dataclass
class SetScore:
    """One extractor on one set."""

    pages: int
    precision: float
    recall: float
    f1: float
    glued: int
    title: float | None = None
    authors: float | None = None
    date: float | None = None
    per_page: dict[str, tuple[float, float]] = field(default_factory=dict)


def score_set(pages: list[Page], outputs: dict[str, Output], vocab: dict[str, set[str]] | None):
    per_page: dict[str, tuple[float, float]] = {}
    if pages and pages[0].set == TRAFILATURA:
        total = SnippetCounts()
        for page in pages:
            counts = snippet_counts(
                outputs[page.id].body, page.with_snippets, page.without_snippets
            )
            total += counts
            per_page[page.id] = (counts.precision, counts.recall)
        precision, recall, f1 = total.precision, total.recall, total.f1
    else:
        scores: list[Score] = []
        for page in pages:
            score = body_score(outputs[page.id].body, page.body or "")
            scores.append(score)
            per_page[page.id] = (score.precision, score.recall)
        corpus = corpus_score(scores)
        precision, recall, f1 = corpus.precision, corpus.recall, corpus.f1
    glued = sum(len(glued_tokens(outputs[p.id].body, vocab[p.id])) for p in pages) if vocab else -1
    result = SetScore(len(pages), precision, recall, f1, glued, per_page=per_page)
    if any(o.has_metadata for o in outputs.values()):
        with_title = [p for p in pages if p.title]
        with_authors = [p for p in pages if p.authors]
        with_date = [p for p in pages if p.date]
        if with_title:
            result.title = _mean(same_title(outputs[p.id].title, p.title) for p in with_title)
        full = not any(o.title_only for o in outputs.values())
        if with_authors and full:
            result.authors = _mean(
                authors_score(outputs[p.id].authors, p.authors or ()).f1 for p in with_authors
            )
        if with_date and full:
            result.date = _mean(outputs[p.id].date == p.date for p in with_date)
    return result


def _mean(values) -> float:
    values = [float(v) for v in values]
    return sum(values) / len(values) if values else 0.0


def overall(scores: dict[str, SetScore]) -> tuple[float, float, float]:
    """Page-weighted mean of the per-set P, R and F1."""
    n = sum(s.pages for s in scores.values())
    return tuple(  # type: ignore[return-value]
        sum(getattr(s, k) * s.pages for s in scores.values()) / n
        for k in ("precision", "recall", "f1")
    )


# --- speed ----------------------------------------------------------------------------------


def time_against_reference(pages: list[Page]) -> tuple[float, float, dict[str, Output]]:
    """CPU seconds of clean_html and of trafilatura with metadata on the same pages,
    interleaved (alternating who goes first), plus clean_html's outputs."""
    pairs = [(OURS, EXTRACTORS[OURS]), (REFERENCE, EXTRACTORS[REFERENCE])]
    for page in pages[:3]:  # warm-up: one-time initialisation is not per-page speed
        for _, extract in pairs:
            _safe(extract, page)
    seconds = {OURS: 0.0, REFERENCE: 0.0}
    ours: dict[str, Output] = {}
    with frozen_heap():
        for number, page in enumerate(pages):
            for name, extract in pairs if number % 2 == 0 else pairs[::-1]:
                start = time.process_time()
                output = _safe(extract, page)
                seconds[name] += time.process_time() - start
                if name == OURS:
                    ours[f"{page.set}/{page.id}"] = output
                    _keep_recorded(f"{page.set}/{page.id}")
    return seconds[OURS], seconds[REFERENCE], ours


# --- vote settings, chosen with each set left out --------------------------------------------

VOTE_GRID = [
    VoteSettings(min_votes=2, support=support, agree=agree)
    for support in (0.3, 0.5, 0.7)
    for agree in (0.9, 2.0)  # 2.0: no fast path
]


class VoteRecorder:
    """Keeps what clean_html's vote saw on each page, to replay other vote settings
    without re-running the extractors (installed in place of cleaning.html.vote)."""

    def __init__(self) -> None:
        self.last: tuple[dict[str, list[str]], list[str]] | None = None

    def __call__(self, voters, page_tokens, settings=None, base="trafilatura"):
        self.last = (voters, page_tokens)
        return vote(voters, page_tokens, settings, base)


RECORDER = VoteRecorder()
recorded: dict[str, tuple] = {}  # "set/page id" -> what the vote saw there


# --- candidate-comparison settings, chosen with each set left out ----------------------------

ALTERNATIVE_GRID = [
    (gain, shared) for gain in (0.8, 1.0, 1.5, 2.0, 3.0) for shared in (0.2, 0.35, 0.5, 0.65)
]


class AlternativeRecorder:
    """Keeps the two candidate bodies clean_html compared on each page, to replay other
    settings of the comparison (installed in place of cleaning.html.prefer_alternative)."""

    def __init__(self) -> None:
        self.last: tuple[list[str], list[str]] | None = None

    def __call__(self, chosen, alternative, options) -> bool:
        self.last = (chosen, alternative)
        return prefer_alternative(chosen, alternative, options)


ALTERNATIVES = AlternativeRecorder()
alternatives: dict[str, tuple] = {}  # "set/page id" -> the candidates compared there


# --- gap-filling settings, chosen with each set left out -------------------------------------

FILL_GRID = [(lead, inside) for lead in (None, 20, 25, 30, 40) for inside in (None, 0.3, 0.5, 1.01)]


class FillRecorder:
    """Keeps the chosen body, the recall-mode body and the page's link index clean_html's
    gap filling saw on each page (installed in place of cleaning.html.fill_gaps)."""

    def __init__(self) -> None:
        self.last: tuple | None = None

    def __call__(self, chosen, recall, links, options):
        self.last = (chosen, recall, links)
        return fill_gaps(chosen, recall, links, options)


FILLS = FillRecorder()
fills: dict[str, tuple] = {}  # "set/page id" -> what the gap filling saw there


def replay_fill(by_set, ours, lead: int | None, inside: float | None) -> dict[str, SetScore]:
    options = HtmlOptions(fill_lead_words=lead, fill_inside_links=inside)

    def body_of(seen: tuple) -> list[str]:
        return fill_gaps(*seen, options)

    return _replay(by_set, fills, ours, body_of)


def fill_leave_one_set_out(by_set, ours) -> str:
    grid = {cell: replay_fill(by_set, ours, *cell) for cell in FILL_GRID}
    shipped = HtmlOptions()
    default = grid[(shipped.fill_lead_words, shipped.fill_inside_links)]
    none = grid[(None, None)]
    lines = [
        "Leave-one-set-out check of the gap filling (cleaning.html.fill_gaps: add the "
        "recall-mode paragraphs inside the chosen body that are under *inside* link text, "
        "and the lead paragraph before it when it has at least *lead* words): for each set, "
        "the setting with the best page-weighted F1 on the *other* sets, scored on it; grid: "
        "lead {none, 20, 25, 30, 40} x inside {none, 0.3, 0.5, any}, replayed on the pages "
        "where the shipped trigger ran the recall extraction. " + _REPLAY_NOTE,
        "",
        "| left-out set | chosen without it | F1 there | shipped default F1 | no filling F1 |",
        "|---|---|---|---|---|",
    ]
    lines += _loso_rows(
        by_set, grid, default, none, lambda cell: f"lead {cell[0]}, inside {cell[1]}"
    )
    return "\n".join(lines) + "\n"


# --- paragraph model, trained with each set left out -----------------------------------------

PARAGRAPHS = ModelRecorder(load_model())
paragraph_steps: dict[str, tuple] = {}  # "set/page id" -> (paragraphs, feature rows)


def replay_paragraph_model(by_set, seen, ours, model: ParagraphModel | None):
    """Scores with the paragraph model step replayed with `model` (None: no model step);
    `seen`: "set/page id" -> Seen or (paragraphs, feature rows)."""
    store = {k: (v.paragraphs, v.rows) if hasattr(v, "rows") else v for k, v in seen.items()}

    def body_of(step: tuple) -> list[str]:
        return model.keep_rows(*step) if model is not None else step[0]

    return _replay(by_set, store, ours, body_of)


def paragraph_model_leave_one_set_out(by_set, ours) -> str:
    """The model trained (weights and threshold) on three sets, scored on the fourth."""
    seen = {
        key: Seen(key.split("/", 1)[0], key.split("/", 1)[1], *step)
        for key, step in paragraph_steps.items()
    }
    return loso_table(by_set, seen, ours)


def _keep_recorded(key: str) -> None:
    """File what the recorders saw on the page just cleaned under its key."""
    for recorder, store in (
        (RECORDER, recorded),
        (ALTERNATIVES, alternatives),
        (FILLS, fills),
        (PARAGRAPHS, paragraph_steps),
        (HEADLINES, headlines),
        (STANDFIRSTS, standfirsts),
    ):
        if recorder.last is not None:
            store[key] = recorder.last
        recorder.last = None


_REPLAY_NOTE = (
    "Replayed bodies go through drop_noise_paragraphs only, not the end-of-body cuts "
    "(drop_link_list_tail, drop_credit_tail), so the shipped default column can read "
    "slightly under the tables above."
)


def _replay(
    by_set: dict[str, list[Page]],
    seen_by_key: dict[str, tuple],
    ours: dict[str, Output],
    body_of: Callable[[tuple], list[str]],
) -> dict[str, SetScore]:
    """Scores of clean_html making another choice on each page from what it saw there
    (`body_of` the recorded candidates gives the body paragraphs); a page where nothing
    was recorded (empty or unparsable) keeps its output."""
    scores = {}
    for set_name, pages in by_set.items():
        outputs = {}
        for page in pages:
            key = f"{set_name}/{page.id}"
            seen, output = seen_by_key.get(key), ours[key]
            if seen is None:
                outputs[page.id] = output
                continue
            meta = Metadata(authors=output.authors)
            kept = drop_noise_paragraphs(body_of(seen), output.title, meta, [])
            outputs[page.id] = Output("\n\n".join(kept))
        scores[set_name] = score_set(pages, outputs, None)
    return scores


def _page_weighted_f1(
    scores: dict[str, SetScore], sets: list[str], by_set: dict[str, list[Page]]
) -> float:
    n = sum(len(by_set[s]) for s in sets)
    return sum(scores[s].f1 * len(by_set[s]) for s in sets) / n


def _loso_rows(
    by_set: dict[str, list[Page]],
    grid: dict[tuple, dict[str, SetScore]],
    default: dict[str, SetScore],
    none: dict[str, SetScore],
    describe: Callable[[tuple], str],
) -> list[str]:
    """Table rows of a leave-one-set-out choice over `grid` (setting -> replayed scores):
    per set, the setting best on the other sets, scored on it, beside the shipped default
    and the step switched off; then the page-weighted overall."""
    held = {}
    for held_out in by_set:
        rest = [s for s in by_set if s != held_out]
        chosen = max(grid, key=lambda cell: _page_weighted_f1(grid[cell], rest, by_set))
        held[held_out] = (describe(chosen), grid[chosen][held_out].f1)
    return loso_rows(by_set, held, default, none)


def loso_rows(
    by_set: dict[str, list[Page]],
    held: dict[str, tuple[str, float]],
    default: dict[str, SetScore],
    none: dict[str, SetScore],
) -> list[str]:
    """Table rows of a leave-one-set-out check: per set, what was chosen without it
    (described) and its F1 there, beside the shipped default and the step switched off;
    then the page-weighted overall."""
    rows = [
        f"| {s} | {described} | {f1:.4f} | {default[s].f1:.4f} | {none[s].f1:.4f} |"
        for s, (described, f1) in held.items()
    ]
    n = sum(len(p) for p in by_set.values())
    loso = sum(held[s][1] * len(by_set[s]) for s in by_set) / n
    rows.append(
        f"| overall (page-weighted) | – | {loso:.4f} | {overall(default)[2]:.4f} "
        f"| {overall(none)[2]:.4f} |"
    )
    return rows


def replay_alternative(by_set, ours, gain: float, shared: float) -> dict[str, SetScore]:
    options = HtmlOptions(alternative_gain=gain, alternative_shared=shared)

    def body_of(seen: tuple) -> list[str]:
        chosen, alternative = seen
        return alternative if prefer_alternative(chosen, alternative, options) else chosen

    return _replay(by_set, alternatives, ours, body_of)


def alternative_leave_one_set_out(by_set, ours) -> str:
    grid = {cell: replay_alternative(by_set, ours, *cell) for cell in ALTERNATIVE_GRID}
    shipped = HtmlOptions()
    default = replay_alternative(by_set, ours, shipped.alternative_gain, shipped.alternative_shared)
    lines = [
        "Leave-one-set-out check of the candidate comparison (cleaning.html.prefer_alternative: "
        "take the recall-mode body when it is at least *gain* times as long and under *shared* "
        "of its word 3-grams are in the precision body): for each set, the setting with the "
        "best page-weighted F1 on the *other* sets, scored on it; grid: gain "
        "{0.8, 1, 1.5, 2, 3} x shared {0.2, 0.35, 0.5, 0.65}. " + _REPLAY_NOTE,
        "",
        "| left-out set | chosen without it | F1 there | shipped default F1 | no comparison F1 |",
        "|---|---|---|---|---|",
    ]
    none = replay_alternative(by_set, ours, 1e9, 0.0)
    lines += _loso_rows(
        by_set, grid, default, none, lambda cell: f"gain {cell[0]}, shared {cell[1]}"
    )
    return "\n".join(lines) + "\n"


def replay(
    by_set: dict[str, list[Page]],
    recorded: dict[str, tuple],
    ours: dict[str, Output],
    settings: VoteSettings,
) -> dict[str, SetScore]:
    return _replay(by_set, recorded, ours, lambda seen: vote(*seen, settings))


def leave_one_set_out(by_set, recorded, ours) -> str:
    grid = {settings: replay(by_set, recorded, ours, settings) for settings in VOTE_GRID}
    default = VoteSettings()
    lines = [
        "Leave-one-set-out check of the vote settings (cleaning.html_vote): for each set, "
        "the settings with the best page-weighted F1 on the *other* sets, scored on it; "
        "grid: support {0.3, 0.5, 0.7} x fast path {on (0.9), off}, 2 of 3 votes.",
        "",
        "| left-out set | chosen without it | F1 there | shipped default F1 |",
        "|---|---|---|---|",
    ]
    for held_out in by_set:
        rest = [s for s in by_set if s != held_out]
        if not rest:
            break

        def rest_f1(settings: VoteSettings, rest: list[str] = rest) -> float:
            return _page_weighted_f1(grid[settings], rest, by_set)

        chosen = max(VOTE_GRID, key=rest_f1)
        lines.append(
            f"| {held_out} | support {chosen.support}, fast path "
            f"{'on' if chosen.agree <= 1 else 'off'} | {grid[chosen][held_out].f1:.4f} "
            f"| {grid.get(default, replay(by_set, recorded, ours, default))[held_out].f1:.4f} |"
        )
    return "\n".join(lines) + "\n"


# --- headline repeat, its word floor chosen with each set left out --------------------------

HEADLINE_GRID = [2, 3, 4, 5]


class HeadlineRecorder:
    """Keeps the paragraphs and title clean_html's headline-repeat cut saw on each page
    (installed in place of cleaning.html.drop_headline_repeat)."""

    def __init__(self) -> None:
        self.last: tuple | None = None

    def __call__(self, paragraphs, title, removed, fewest_words=HEADLINE_FEWEST_WORDS):
        self.last = (paragraphs, title)
        return drop_headline_repeat(paragraphs, title, removed, fewest_words)


HEADLINES = HeadlineRecorder()
headlines: dict[str, tuple] = {}  # "set/page id" -> what the headline cut saw there


def replay_headline(by_set, ours, fewest: int | None) -> dict[str, SetScore]:
    def body_of(seen: tuple) -> list[str]:
        paragraphs, title = seen
        return drop_headline_repeat(paragraphs, title, [], fewest) if fewest else paragraphs

    return _replay(by_set, headlines, ours, body_of)


def headline_leave_one_set_out(by_set, ours) -> str:
    grid = {(fewest,): replay_headline(by_set, ours, fewest) for fewest in HEADLINE_GRID}
    lines = [
        "Leave-one-set-out check of the headline-repeat cut (cleaning.html.drop_headline_repeat: "
        "one of the first two paragraphs whose words are a run of the page title's, with at "
        "least *fewest* words): for each set, the floor best on the *other* sets, scored on it; "
        "grid: fewest {2, 3, 4, 5}. " + _REPLAY_NOTE,
        "",
        "| left-out set | chosen without it | F1 there | shipped default F1 | no cut F1 |",
        "|---|---|---|---|---|",
    ]
    lines += _loso_rows(
        by_set,
        grid,
        grid[(HEADLINE_FEWEST_WORDS,)],
        replay_headline(by_set, ours, None),
        lambda cell: f"fewest {cell[0]}",
    )
    return "\n".join(lines) + "\n"


# --- standfirst, chosen with each set left out ----------------------------------------------

# Words of other text allowed between the standfirst and the body's first words; None: never
# put before the body, ANYWHERE: wherever it stands (HtmlOptions.standfirst=True).
ANYWHERE = 10_000
STANDFIRST_GRID = [None, 0, 2, 5, 7, 8, 10, 20, 40, ANYWHERE]


# Levels above the standfirst block to its common ancestor with the body's first words
# (HtmlOptions.standfirst_container_levels); None: words between them only.
LEVELS_GRID = [None, 1, 2, 3, 4]


class StandfirstRecorder:
    """Keeps the standfirst block clean_html found, how many words lie between it and the
    body and how many levels above it the two share an ancestor, to replay other settings
    (installed in place of cleaning.html.standfirst)."""

    def __init__(self) -> None:
        self.last: tuple[str, int | None, int | None] | None = None

    def __call__(
        self, paragraphs, tree, description, title, most_between=None, container_levels=None
    ):
        found = standfirst_block(paragraphs, tree, description, title, 40)
        self.last = found
        if found is None:
            return None
        text, between, levels = found
        if most_between is None:
            return text
        # Past 40 words the recorded distance is None: measure the shipped setting itself.
        if between is None and most_between > 40:
            return standfirst(paragraphs, tree, description, title, most_between, container_levels)
        if between is not None and between <= most_between:
            return text
        if container_levels is not None and levels is not None and levels <= container_levels:
            return text
        return None


STANDFIRSTS = StandfirstRecorder()
standfirsts: dict[str, tuple] = {}  # "set/page id" -> the standfirst found there


def _standfirst_setting() -> int | None:
    options = HtmlOptions()
    return ANYWHERE if options.standfirst else options.standfirst_adjoining


def _takes_standfirst(
    between: int | None, levels: int | None, most: int | None, most_levels: int | None
) -> bool:
    if most is None:
        return False
    distance = ANYWHERE if between is None else between
    if distance <= most:
        return True
    return most_levels is not None and levels is not None and levels <= most_levels


def replay_standfirst(
    by_set, ours, most: int | None, most_levels: int | None = None
) -> dict[str, SetScore]:
    """Scores with the standfirst put before the body where at most `most` words lie between
    them or they share an ancestor at most `most_levels` above the block, replayed on the
    shipped outputs (their own standfirst, if any, taken off first)."""
    shipped = _standfirst_setting()
    shipped_levels = HtmlOptions().standfirst_container_levels
    scores = {}
    for set_name, pages in by_set.items():
        outputs = {}
        for page in pages:
            key = f"{set_name}/{page.id}"
            output, seen = ours[key], standfirsts.get(key)
            paragraphs = [p for p in output.body.split("\n\n") if p]
            if seen is None:
                outputs[page.id] = output
                continue
            text, between, levels = seen
            shipped_took = _takes_standfirst(between, levels, shipped, shipped_levels)
            if shipped_took and paragraphs[:1] == [text]:
                paragraphs = paragraphs[1:]
            if _takes_standfirst(between, levels, most, most_levels):
                paragraphs = [text, *paragraphs]
            outputs[page.id] = Output("\n\n".join(paragraphs))
        scores[set_name] = score_set(pages, outputs, None)
    return scores


def standfirst_leave_one_set_out(by_set, ours) -> str:
    shipped_levels = HtmlOptions().standfirst_container_levels
    grid = {
        (most,): replay_standfirst(by_set, ours, most, shipped_levels) for most in STANDFIRST_GRID
    }
    shipped = _standfirst_setting()

    def describe(cell: tuple) -> str:
        most = cell[0]
        return "off" if most is None else "anywhere" if most == ANYWHERE else f"{most} words"

    lines = [
        "Standfirst (cleaning.html.standfirst: put the visible block that repeats the page's "
        "meta description before a body that lacks it when at most *n* words of other text "
        "lie between it and the body's first words; HtmlOptions.standfirst_adjoining, "
        f"shipped {describe((shipped,))}), replayed on the outputs above: per set, the "
        "setting best on the *other* sets, scored on it; grid: off, 0, 2, 5, 7, 8, 10, 20, 40 "
        "words, anywhere. Whether a standfirst in the page header is article text is each "
        "gold set's convention (fundus-dev's and trafilatura-eval-dev's gold include it, the "
        "article-extraction-benchmark's leaves it out); one that adjoins the body is its "
        "opening in all four.",
        "",
        "| left-out set | chosen without it | F1 there | shipped default F1 | off F1 |",
        "|---|---|---|---|---|",
    ]
    lines += _loso_rows(by_set, grid, grid[(shipped,)], grid[(None,)], describe)
    lines += [
        "",
        "F1 per setting (with the shipped container rule, "
        f"{_describe_levels(shipped_levels)}; shipped: the widest that lowers no set, at "
        "four decimals, below *off*):",
        "",
        *_grid_table(by_set, grid, describe, "words between"),
    ]
    return "\n".join(lines) + "\n" + "\n" + standfirst_levels_leave_one_set_out(by_set, ours)


def _describe_levels(levels: int | None) -> str:
    return "off" if levels is None else f"{levels} level{'s' if levels > 1 else ''}"


def standfirst_levels_leave_one_set_out(by_set, ours) -> str:
    """The container rule of the standfirst over LEVELS_GRID, at the shipped word limit."""
    shipped = _standfirst_setting()
    shipped_levels = HtmlOptions().standfirst_container_levels
    grid = {(levels,): replay_standfirst(by_set, ours, shipped, levels) for levels in LEVELS_GRID}

    def describe(cell: tuple) -> str:
        return _describe_levels(cell[0])

    lines = [
        "Standfirst in the body's container (HtmlOptions.standfirst_container_levels: a "
        "standfirst block that is not a heading is also put before the body, however many "
        "words lie between, when it and the element holding the body's first words share an "
        f"ancestor at most *n* levels above the block; shipped {describe((shipped_levels,))}), "
        f"replayed at the shipped word limit ({shipped} words): per set, the setting best on "
        "the *other* sets, scored on it; grid: off, 1, 2, 3, 4 levels. Shipped: the widest "
        "that lowers no set.",
        "",
        "| left-out set | chosen without it | F1 there | shipped default F1 | off F1 |",
        "|---|---|---|---|---|",
    ]
    lines += _loso_rows(by_set, grid, grid[(shipped_levels,)], grid[(None,)], describe)
    lines += ["", *_grid_table(by_set, grid, describe, "levels")]
    return "\n".join(lines) + "\n"


def _grid_table(by_set, grid, describe, setting: str) -> list[str]:
    """Table rows: F1 of each setting in `grid` per set and page-weighted overall."""
    lines = [
        f"| {setting} | " + " | ".join(by_set) + " | overall |",
        "|---|" + "---|" * (len(by_set) + 1),
    ]
    for cell, scores in grid.items():
        weighted = _page_weighted_f1(scores, list(by_set), by_set)
        row = " | ".join(f"{scores[s].f1:.4f}" for s in by_set)
        lines.append(f"| {describe(cell)} | {row} | {weighted:.4f} |")
    return lines


# --- report ---------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def report(
    table: dict[str, dict[str, SetScore]], speed: tuple[float, float] | None, n_pages: int
) -> str:
    names = list(table)
    sets = list(next(iter(table.values())))
    lines = [
        "Body F1 per set (P / R in the detail table); trafilatura-eval-dev is snippet F1; "
        "overall is page-weighted over the sets:",
        "",
        "| extractor | " + " | ".join(sets) + " | overall |",
        "|---|" + "---|" * (len(sets) + 1),
    ]
    for name in names:
        row = [_fmt(table[name][s].f1, 4) for s in sets]
        lines.append(f"| {name} | " + " | ".join(row) + f" | {overall(table[name])[2]:.4f} |")
    peers = [n for n in names if n != OURS]
    lines += ["", "Margin of clean_html over the best peer on each set (best peer named):", ""]
    lines += ["| set | clean_html | best peer | margin |", "|---|---|---|---|"]
    for s in sets:
        best = max(peers, key=lambda n: table[n][s].f1)
        margin = table[OURS][s].f1 - table[best][s].f1
        lines.append(
            f"| {s} | {table[OURS][s].f1:.4f} | {best} {table[best][s].f1:.4f} | {margin:+.4f} |"
        )
    best_overall = max(peers, key=lambda n: overall(table[n])[2])
    ours_f1, peer_f1 = overall(table[OURS])[2], overall(table[best_overall])[2]
    lines.append(
        f"| overall | {ours_f1:.4f} | {best_overall} {peer_f1:.4f} | {ours_f1 - peer_f1:+.4f} |"
    )
    lines += [
        "",
        "Detail (P / R / F1; glued = output word tokens found nowhere in the page's text):",
        "",
        "| set | extractor | P | R | F1 | glued tokens |",
        "|---|---|---|---|---|---|",
    ]
    for s in sets:
        for name in names:
            sc = table[name][s]
            lines.append(
                f"| {s} | {name} | {sc.precision:.4f} | {sc.recall:.4f} | {sc.f1:.4f} "
                f"| {sc.glued if sc.glued >= 0 else '–'} |"
            )
    meta_rows = [
        (s, name)
        for s in sets
        for name in names
        if any(v is not None for v in (table[name][s].title, table[name][s].authors))
    ]
    if meta_rows:
        lines += [
            "",
            "Metadata where the set has gold (title exact match, authors mean per-page F1 of "
            "name tokens, date same day; over the pages with that gold field):",
            "",
            "| set | extractor | title | authors F1 | date same day |",
            "|---|---|---|---|---|",
        ]
        for s, name in meta_rows:
            sc = table[name][s]
            lines.append(
                f"| {s} | {name} | {_fmt(sc.title)} | {_fmt(sc.authors)} | {_fmt(sc.date)} |"
            )
    if speed:
        ours_s, ref_s = speed
        lines += [
            "",
            f"Speed on the same {n_pages} pages (CPU time, interleaved): clean_html "
            f"{1000 * ours_s / n_pages:.1f} ms/page, trafilatura.bare_extraction with metadata "
            f"{1000 * ref_s / n_pages:.1f} ms/page: clean_html runs at "
            f"**{ref_s / ours_s:.2f}x** trafilatura's speed (target >= 0.6).",
        ]
    return "\n".join(lines) + "\n"


def write_section(text: str, path: Path = RESULTS) -> None:
    import platform

    import trafilatura

    section = (
        "## HTML\n\n"
        f"Command: `.venv/bin/python bench/html_bench.py` (also run by `make bench`), "
        f"{time.strftime('%Y-%m-%d %H:%M')}; Python {platform.python_version()}, "
        f"trafilatura {trafilatura.__version__}, {os.cpu_count()} cores. Sets and gold: "
        "bench/html_sets.py; metric definitions: the bench's docstring.\n\n" + text
    )
    results.write_section(section, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", choices=SETS, default=list(SETS))
    parser.add_argument("--only", nargs="*", choices=list(EXTRACTORS), help="extractors")
    parser.add_argument("--limit", type=int, default=0, help="first N pages of each set")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing run")
    parser.add_argument("--no-glued", action="store_true", help="skip the glued-token count")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    parser.add_argument("--no-loso", action="store_true", help="skip leave-one-set-out")
    parser.add_argument("--dump", type=Path, help="write per-page P/R as JSON here")
    args = parser.parse_args(argv)
    missing = [s for s in args.sets if not set_dir(s).exists()]
    if missing:
        print(f"benchmark data missing: {missing}", file=sys.stderr)
        return 2
    names = args.only or list(EXTRACTORS)
    for required in (REFERENCE, OURS):
        if required not in names:
            names.insert(0, required)
    by_set = {s: load_set(s) for s in args.sets}
    if args.limit:
        by_set = {s: pages[: args.limit] for s, pages in by_set.items()}
    all_pages = [p for pages in by_set.values() for p in pages]

    cleaning.html.vote = RECORDER  # see VoteRecorder
    cleaning.html.prefer_alternative = ALTERNATIVES  # see AlternativeRecorder
    cleaning.html.fill_gaps = FILLS  # see FillRecorder
    cleaning.html.drop_unlike_article = PARAGRAPHS  # see ModelRecorder
    cleaning.html.drop_headline_repeat = HEADLINES  # see HeadlineRecorder
    cleaning.html.standfirst = STANDFIRSTS  # see StandfirstRecorder
    speed = None
    ours: dict[str, Output] = {}
    if not args.no_speed:
        ours_s, ref_s, ours = time_against_reference(all_pages)
        speed = (ours_s, ref_s)
    for page in all_pages:
        key = f"{page.set}/{page.id}"
        if key not in ours:
            ours[key] = _safe(EXTRACTORS[OURS], page)
            _keep_recorded(key)
    table: dict[str, dict[str, SetScore]] = {name: {} for name in names}
    for set_name, pages in by_set.items():
        vocab = None if args.no_glued else vocabularies(set_name, pages)
        for name in names:
            if name == OURS:
                outputs = {p.id: ours[f"{set_name}/{p.id}"] for p in pages}
            else:
                outputs = peer_outputs(name, set_name, pages)
            table[name][set_name] = score_set(pages, outputs, vocab)
        print(f"scored {set_name} ({len(pages)} pages)", file=sys.stderr, flush=True)
    text = report(table, speed, len(all_pages))
    if not args.no_loso and len(by_set) > 1 and alternatives:
        text += "\n" + alternative_leave_one_set_out(by_set, ours)
    if not args.no_loso and len(by_set) > 1 and fills:
        text += "\n" + fill_leave_one_set_out(by_set, ours)
    if not args.no_loso and len(by_set) > 1 and headlines:
        text += "\n" + headline_leave_one_set_out(by_set, ours)
    if not args.no_loso and len(by_set) > 1 and standfirsts:
        text += "\n" + standfirst_leave_one_set_out(by_set, ours)
    if not args.no_loso and len(by_set) > 1 and paragraph_steps:
        text += "\n" + paragraph_model_leave_one_set_out(by_set, ours)
    elif not paragraph_steps:
        text += (
            "\nclean_html ran without the paragraph model (HtmlOptions.paragraph_model is "
            "False, the default): trained with each set left out it gained nothing on the "
            "left-out set (bench/RESULTS.md, ## HTML paragraph model).\n"
        )
    if not args.no_loso and len(by_set) > 1 and recorded:
        text += "\n" + leave_one_set_out(by_set, recorded, ours)
    elif not recorded:
        text += (
            "\nclean_html ran without the vote (HtmlOptions.vote is None, the default), so "
            "there are no vote settings to choose and no leave-one-set-out table for them.\n"
        )
    print(text)
    if args.dump:
        args.dump.write_text(
            json.dumps({n: {s: sc.per_page for s, sc in table[n].items()} for n in names}, indent=0)
        )
    if not args.no_write and not args.limit and not args.only and args.sets == list(SETS):
        write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
