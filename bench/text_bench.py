"""Generalization bench for `clean_text`: every page of the four development sets in
../shared/benchmarks flattened to text the way scrapers do, scored against each set's gold,
per set and per language group, beside the peers run on the same text.

    .venv/bin/python bench/text_bench.py                  # all sets, prints the tables
    .venv/bin/python bench/text_bench.py --write          # ... and `## Text` in RESULTS.md
    .venv/bin/python bench/text_bench.py --sets fundus-dev --limit 40 --only clean_text

Sets: article-extraction-benchmark, fundus-dev, readability-tests (gold bodies: the
4-token-shingle F1 of `cleaning.scoring`), trafilatura-eval-dev (gold snippets: a `with`
snippet found is a true positive, a `without` snippet found a false positive, summed over
the set, as trafilatura's own evaluation does).

Flattenings: `gettext` = BeautifulSoup(lxml).get_text("\\n") with blank-line runs
collapsed; `markdown` = html2text (links kept as `[text](url)`, no wrapping). Peers on the
same text: raw (no cleaning), trafilatura and jusText on the text with each line wrapped in
`<p>`; jusText gets the stop list of the page's language (declared by the set where it
says, else the best-fitting stop list), or its language-independent mode where it has none.

Flattened texts and peer outputs are cached in bench/.cache/ (gitignored): they do not
change while clean_text is tuned. `--refresh` rebuilds them. Speed is measured live in
every run, before any scoring: clean_text and trafilatura, CPU time, on the same sample
of texts (every 5th page), each after a warm-up on other pages of the sets.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import results  # noqa: E402
from bench.timing import frozen_heap  # noqa: E402
from cleaning.scoring import Score, body_score, collapse, corpus_score  # noqa: E402
from cleaning.text import clean_text  # noqa: E402
from cleaning.text_lines import ISO_639_1, pick_language, split_lines  # noqa: E402

BENCHMARKS = REPO.parent / "shared" / "benchmarks"
CACHE = REPO / "bench" / ".cache" / "text"
RESULTS = REPO / "bench" / "RESULTS.md"
FLATTENINGS = ("gettext", "markdown")
SETS = ("article-extraction-benchmark", "fundus-dev", "readability-tests", "trafilatura-eval-dev")
_BLANKS = re.compile(r"\n\s*\n+")

# Fundus groups publishers by country; the language they write in, where it is one.
_COUNTRY_LANGUAGE = {
    "at": "de", "ch": "de", "de": "de", "li": "de", "us": "en", "uk": "en", "ca": "en",
    "au": "en", "za": "en", "ind": "en", "my": "en", "tz": "en", "lb": "en", "es": "es",
    "mx": "es", "py": "es", "fr": "fr", "be": "fr", "it": "it", "pl": "pl", "tr": "tr",
    "ru": "ru", "cz": "cs", "jp": "ja", "cn": "zh", "tw": "zh", "kr": "ko", "dk": "da",
    "no": "nb", "se": "sv", "lt": "lt", "isl": "is", "gl": "da",
}  # fmt: skip
_JUSTEXT_NAME = {code: name for name, code in ISO_639_1.items()}


@dataclass
class Page:
    set: str
    id: str
    url: str
    html: str
    body: str | None = None  # gold body (body sets)
    with_: list[str] = field(default_factory=list)  # gold snippets (snippet set)
    without: list[str] = field(default_factory=list)
    language: str | None = None  # declared by the set, ISO 639-1


# --- loading -------------------------------------------------------------------------------


def _gunzip_text(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def load_article_extraction(limit: int | None = None, step: int = 1) -> list[Page]:
    root = BENCHMARKS / "article-extraction-benchmark"
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    return [
        Page("article-extraction-benchmark", key, truth[key]["url"],
             _gunzip_text(root / "html" / f"{key}.html.gz"), body=truth[key]["articleBody"])
        for key in sorted(truth)[:limit:step]
    ]  # fmt: skip


def load_fundus(limit: int | None = None, step: int = 1) -> list[Page]:
    root = BENCHMARKS / "fundus-dev"
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    return [
        Page("fundus-dev", key, truth[key]["url"], _gunzip_text(root / "pages" / f"{key}.html.gz"),
             body=truth[key]["article_body"],
             language=_COUNTRY_LANGUAGE.get(truth[key]["country"]))
        for key in sorted(truth)[:limit:step]
    ]  # fmt: skip


def load_readability(limit: int | None = None, step: int = 1) -> list[Page]:
    root = BENCHMARKS / "readability-tests"
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    return [
        Page("readability-tests", key, "", _gunzip_text(root / "pages" / f"{key}.html.gz"),
             body=truth[key]["article_body"],
             language=(truth[key].get("lang") or "").split("-")[0].lower() or None)
        for key in sorted(truth)[:limit:step]
    ]  # fmt: skip


def load_trafilatura_eval(limit: int | None = None, step: int = 1) -> list[Page]:
    from cleaning.decoding import decode_html

    root = BENCHMARKS / "trafilatura-eval-dev"
    truth = json.loads((root / "evaldata.json").read_text("utf-8"))
    pages = []
    for url in sorted(truth)[:limit:step]:
        item = truth[url]
        raw = gzip.decompress((root / "pages" / item["file"]).read_bytes())
        decoded = decode_html(raw)
        page_html = decoded.text if decoded else raw.decode("utf-8", "replace")
        real_url = url.split("::", 1)[-1]
        pages.append(
            Page("trafilatura-eval-dev", url, real_url if "." in real_url else "", page_html,
                 with_=item.get("with") or [], without=item.get("without") or [])
        )  # fmt: skip
    return pages


# (limit, step) -> the set's pages in id order
LOADERS: dict[str, Callable[..., list[Page]]] = {
    "article-extraction-benchmark": load_article_extraction,
    "fundus-dev": load_fundus,
    "readability-tests": load_readability,
    "trafilatura-eval-dev": load_trafilatura_eval,
}


# --- flattening ----------------------------------------------------------------------------


def flatten_gettext(page_html: str) -> str:
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():  # XHTML pages: parsed as HTML all the same, on purpose
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        text = BeautifulSoup(page_html, "lxml").get_text("\n")
    return _BLANKS.sub("\n\n", text)


def flatten_markdown(page_html: str) -> str:
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0  # one paragraph per line, as markdown dumps usually are
    return converter.handle(page_html)


FLATTEN: dict[str, Callable[[str], str]] = {
    "gettext": flatten_gettext,
    "markdown": flatten_markdown,
}


# --- extractors ----------------------------------------------------------------------------


def wrap_lines_as_html(text: str) -> str:
    """How the baselines get flattened text: one `<p>` per non-blank line."""
    paras = "".join(
        f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip()
    )
    return f"<html><body>{paras}</body></html>"


def run_clean_text(text: str, page: Page) -> str:
    return clean_text(text, page.url or None).body


def run_trafilatura(text: str, page: Page) -> str:
    import trafilatura

    return (
        trafilatura.extract(wrap_lines_as_html(text), url=page.url or None, include_comments=False)
        or ""
    )


def run_justext(text: str, page: Page) -> str:
    import justext

    name = _JUSTEXT_NAME.get(page_language(text, page) or "")
    if name:
        paragraphs = justext.justext(wrap_lines_as_html(text), justext.get_stoplist(name))
    else:  # jusText's documented language-independent mode
        paragraphs = justext.justext(
            wrap_lines_as_html(text), frozenset(), stopwords_low=0, stopwords_high=0
        )
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def run_raw(text: str, page: Page) -> str:
    return text


EXTRACTORS: dict[str, Callable[[str, Page], str]] = {
    "clean_text": run_clean_text,
    "raw": run_raw,
    "trafilatura": run_trafilatura,
    "justext": run_justext,
}
CACHED = ("trafilatura", "justext")  # peers: their output does not change between runs


def page_language(text: str, page: Page) -> str | None:
    """The set's declared language, else the best-fitting stop list's."""
    return page.language or pick_language(split_lines(text))[0]


def language_group(language: str | None) -> str:
    if language in ("en", "de"):
        return language
    if language in ("fr", "es", "it", "pt", "ca", "ro"):
        return "fr/es/it/pt"
    if language in ("nl", "pl", "ru", "tr", "cs", "da", "nb", "sv", "fi", "uk", "hu", "lt"):
        return "other European"
    return "other / undetected"


# --- cache ---------------------------------------------------------------------------------


def cache_file(*parts: str) -> Path:
    return CACHE.joinpath(*parts).with_suffix(".json.gz")


def read_cache(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))


def _write_cache(path: Path, data: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(json.dumps(data).encode("utf-8"), 3))


def page_key(page: Page) -> str:
    """A page's key in the caches under bench/.cache/text (shared by the bench scripts)."""
    return hashlib.sha1(page.id.encode()).hexdigest()[:16]


def cached_map(
    path: Path, pages: list[Page], compute: Callable[[Page], str], refresh: bool
) -> dict[str, str]:
    """{page key: compute(page)}, from the cache file where it already holds the page."""
    data = {} if refresh else read_cache(path)
    missing = [p for p in pages if page_key(p) not in data]
    for page in missing:
        data[page_key(page)] = compute(page)
    if missing:
        _write_cache(path, data)
    return data


# --- scoring -------------------------------------------------------------------------------


@dataclass
class SnippetCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: SnippetCounts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def score(self) -> Score:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return Score(p, r)


def snippet_counts(predicted: str, page: Page) -> SnippetCounts:
    text = collapse(predicted)
    found = [collapse(s) in text for s in page.with_]
    leaked = [collapse(s) in text for s in page.without]
    return SnippetCounts(tp=sum(found), fn=len(found) - sum(found), fp=sum(leaked))


def score_group(outputs: list[tuple[Page, str]]) -> Score:
    if outputs and outputs[0][0].body is None:
        total = SnippetCounts()
        for page, predicted in outputs:
            total.add(snippet_counts(predicted, page))
        return total.score
    return corpus_score(body_score(predicted, page.body or "") for page, predicted in outputs)


# --- the run -------------------------------------------------------------------------------


@dataclass
class Run:
    # (set, flattening, extractor) -> [(page, output)]
    outputs: dict[tuple[str, str, str], list[tuple[Page, str]]]
    languages: dict[tuple[str, str], str | None]  # (set, page key) -> language
    speed: dict[str, float]  # flattening -> clean_text speed / trafilatura speed


def evaluate(
    sets: list[str],
    extractors: list[str],
    limit: int | None = None,
    refresh: bool = False,
    speed_step: int = 5,
) -> Run:
    outputs: dict[tuple[str, str, str], list[tuple[Page, str]]] = {}
    languages: dict[tuple[str, str], str | None] = {}
    speed_texts: dict[str, list[tuple[str, Page]]] = defaultdict(list)
    warm_texts: dict[str, list[tuple[str, Page]]] = defaultdict(list)
    flats: dict[tuple[str, str], tuple[list[Page], dict[str, str]]] = {}
    for set_name in sets:
        pages = LOADERS[set_name](limit)
        for flattening in FLATTENINGS:
            flat = cached_map(
                cache_file(set_name, flattening, "text"),
                pages,
                lambda p, f=flattening: FLATTEN[f](p.html),
                refresh,
            )
            flats[(set_name, flattening)] = (pages, flat)
            speed_texts[flattening].extend((flat[page_key(p)], p) for p in pages[::speed_step])
            warm_texts[flattening].extend((flat[page_key(p)], p) for p in pages[2::speed_step])
    # Speed first, before any page was cleaned: the line caches then hold only what other
    # pages (warm_texts, which also pay the one-time regex compilation) put there.
    speed = {}
    if "clean_text" in extractors:
        speed = {f: speed_ratio(texts, warm_texts[f]) for f, texts in speed_texts.items() if texts}
    for set_name in sets:
        for flattening in FLATTENINGS:
            pages, flat = flats[(set_name, flattening)]
            if flattening == "gettext":
                lang_map = cached_map(
                    cache_file(set_name, "language"),
                    pages,
                    lambda p, flat=flat: page_language(flat[page_key(p)], p) or "",
                    refresh,
                )
                for p in pages:
                    languages[(set_name, page_key(p))] = lang_map[page_key(p)] or None
            for name in extractors:
                run = EXTRACTORS[name]
                if name in CACHED:
                    got = cached_map(
                        cache_file(set_name, flattening, name),
                        pages,
                        lambda p, run=run, flat=flat: run(flat[page_key(p)], p),
                        refresh,
                    )
                    outputs[(set_name, flattening, name)] = [(p, got[page_key(p)]) for p in pages]
                else:
                    outputs[(set_name, flattening, name)] = [
                        (p, run(flat[page_key(p)], p)) for p in pages
                    ]
    return Run(outputs, languages, speed)


def speed_ratio(texts: list[tuple[str, Page]], warm: list[tuple[str, Page]]) -> float:
    """trafilatura CPU seconds / clean_text CPU seconds on the same texts (> 1: faster),
    after a warm-up run of both on other pages (`warm`). The two take turns text by text,
    so a change of load on the shared machine weighs on both alike."""
    names = ("clean_text", "trafilatura")
    for text, page in warm:
        for name in names:
            EXTRACTORS[name](text, page)
    seconds = dict.fromkeys(names, 0.0)
    with frozen_heap():
        for text, page in texts:
            for name in names:
                t0 = time.process_time()  # CPU time, not wall time: the machine is shared
                EXTRACTORS[name](text, page)
                seconds[name] += time.process_time() - t0
    return seconds["trafilatura"] / seconds["clean_text"] if seconds["clean_text"] else 0.0


def _fmt(s: Score) -> str:
    return f"{s.f1:.3f} ({s.precision:.2f}/{s.recall:.2f})"


def set_table(run: Run, sets: list[str], extractors: list[str]) -> str:
    rows = [
        "| set | flattening | pages | " + " | ".join(extractors) + " |",
        "|---|---|---|" + "---|" * len(extractors),
    ]
    for set_name in sets:
        for flattening in FLATTENINGS:
            cells = [_fmt(score_group(run.outputs[(set_name, flattening, e)])) for e in extractors]
            n = len(run.outputs[(set_name, flattening, extractors[0])])
            rows.append(f"| {set_name} | {flattening} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def language_table(run: Run, sets: list[str], extractors: list[str]) -> str:
    """get_text flattening, per set and language group."""
    rows = [
        "| set | language group | pages | " + " | ".join(extractors) + " |",
        "|---|---|---|" + "---|" * len(extractors),
    ]
    for set_name in sets:
        groups: dict[str, dict[str, list[tuple[Page, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for e in extractors:
            for page, out in run.outputs[(set_name, "gettext", e)]:
                group = language_group(run.languages[(set_name, page_key(page))])
                groups[group][e].append((page, out))
        for group in sorted(groups):
            cells = [_fmt(score_group(groups[group][e])) for e in extractors]
            n = len(groups[group][extractors[0]])
            rows.append(f"| {set_name} | {group} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def worst_pages(run: Run, sets: list[str], n: int) -> str:
    out = []
    for set_name in sets:
        items = run.outputs.get((set_name, "gettext", "clean_text"), [])
        if not items or items[0][0].body is None:
            scored = [(snippet_counts(o, p).score, p.id) for p, o in items]
        else:
            scored = [(body_score(o, p.body or ""), p.id) for p, o in items]
        scored.sort(key=lambda t: t[0].f1)
        out.append(f"worst {set_name} (gettext):")
        out.extend(
            f"  {s.f1:.3f} P={s.precision:.2f} R={s.recall:.2f} {pid}" for s, pid in scored[:n]
        )
    return "\n".join(out)


TAIL_SHARES = (0.0, 0.15, 0.25, 0.4)  # the one learned threshold: TextOptions.tail_prose_share


# The learned thresholds, each with the values its leave-one-set-out check tries and the
# flattening it acts on: (TextOptions field, values, flattening).
LOSO_KNOBS = (
    ("tail_prose_share", TAIL_SHARES, "gettext"),
    ("teaser_linked_share", (0.0, 0.34, 0.5, 0.67, 1.0), "markdown"),  # links show in markdown
    ("contents_section_words", (0, 20, 40, 80, 160), "gettext"),
)


def leave_one_set_out(
    sets: list[str],
    step: int = 3,
    field: str = "tail_prose_share",
    values: tuple[float, ...] = TAIL_SHARES,
    flattening: str = "gettext",
) -> str:
    """Leave-one-set-out check of one TextOptions threshold: for each set, the value that
    is best on the other sets (F1 over every `step`th page of `flattening`) and what it
    scores on the held-out set, beside the best value there in hindsight."""
    from cleaning.text import TextOptions

    scores: dict[tuple[str, float], float] = {}
    for set_name in sets:
        pages = LOADERS[set_name](None, step)
        texts = read_cache(cache_file(set_name, flattening, "text"))
        pages = [p for p in pages if page_key(p) in texts]
        for value in values:
            opts = TextOptions(**{field: value})
            outputs = [
                (p, clean_text(texts[page_key(p)], p.url or None, options=opts).body) for p in pages
            ]
            scores[(set_name, value)] = score_group(outputs).f1
    rows = [
        "| held-out set | value chosen on the others | held-out F1 | best in hindsight |",
        "|---|---|---|---|",
    ]
    for held in sets:
        others = [s for s in sets if s != held]
        chosen = max(values, key=lambda v: sum(scores[(s, v)] for s in others))
        best = max(values, key=lambda v: scores[(held, v)])
        rows.append(
            f"| {held} | {chosen} | {scores[(held, chosen)]:.3f} | "
            f"{best} ({scores[(held, best)]:.3f}) |"
        )
    return "\n".join(rows)


def write_results(text: str) -> None:
    """Replace (or add) the `## Text` section of bench/RESULTS.md, leaving others alone."""
    results.write_section(f"## Text\n\n{text.strip()}\n", RESULTS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--limit", type=int, help="only the first N pages (by id) of each set")
    parser.add_argument(
        "--only", choices=list(EXTRACTORS), action="append", help="run only these extractors"
    )
    parser.add_argument("--worst", type=int, default=0, help="list the N lowest pages per set")
    parser.add_argument("--refresh", action="store_true", help="rebuild the cached texts/peers")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument(
        "--loso", action="store_true", help="leave-one-set-out check of the learned thresholds"
    )
    args = parser.parse_args(argv)

    missing = [s for s in args.sets if not (BENCHMARKS / s).exists()]
    if missing:
        print(f"benchmark data missing: {', '.join(missing)} under {BENCHMARKS}", file=sys.stderr)
        return 2
    extractors = args.only or list(EXTRACTORS)
    started = time.strftime("%Y-%m-%d %H:%M")
    run = evaluate(args.sets, extractors, args.limit, args.refresh)

    report = [
        "Cells: F1 (precision/recall). Body sets: 4-token-shingle F1 (mean P, mean R); "
        "trafilatura-eval-dev: snippet F1 (with/without snippets, summed).\n",
        set_table(run, args.sets, extractors),
        "\nPer language group (get_text flattening):\n",
        language_table(run, args.sets, extractors),
    ]
    if run.speed:
        report.append(
            "\nSpeed, trafilatura CPU time / clean_text CPU time on the same texts (every 5th "
            "page, timed before any scoring, each after a warm-up on other pages; > 1 means "
            "clean_text is faster): " + ", ".join(f"{k} {v:.2f}x" for k, v in run.speed.items())
        )
    report.append(
        f"\nRun {started}; limit {args.limit or 'none'}. Command: "
        "`.venv/bin/python bench/text_bench.py --write`."
    )
    if args.loso:
        for field, values, flattening in LOSO_KNOBS:
            report.append(
                f"\nLeave-one-set-out, TextOptions.{field} over {values} "
                f"({flattening}, every 3rd page):\n\n"
                + leave_one_set_out(args.sets, 3, field, values, flattening)
            )
    text = "\n".join(report)
    print(text)
    if args.worst and "clean_text" in extractors:
        print(worst_pages(run, args.sets, args.worst))
    if args.write:
        write_results(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
