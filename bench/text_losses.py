"""Where `clean_text` loses on the flattened development sets, page by page.

    .venv/bin/python bench/text_losses.py --save before          # per-page scores -> cache
    .venv/bin/python bench/text_losses.py --against before       # what moved since, per set
    .venv/bin/python bench/text_losses.py --worst 10 --lines     # biggest losses + the lines

Per page and flattening it scores clean_text as `text_bench` does (shingle F1 against the
gold body; snippet counts on trafilatura-eval-dev). `--lines` shows, for the worst pages,
the kept lines gold lacks (precision losses) and the dropped lines gold has (recall
losses, with the reason clean_text recorded), the lines of the flattened input in order.
Uses the flattened texts that `text_bench.py` cached in bench/.cache/text/.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.text_bench import (  # noqa: E402
    CACHE,
    FLATTENINGS,
    LOADERS,
    SETS,
    Page,
    cache_file,
    page_key,
    read_cache,
    score_group,
    snippet_counts,
)
from cleaning.scoring import body_score, collapse, shingles  # noqa: E402
from cleaning.text import clean_text  # noqa: E402


def page_f1(page: Page, body: str) -> float:
    if page.body is None:
        return snippet_counts(body, page).score.f1 if (page.with_ or page.without) else 1.0
    return body_score(body, page.body).f1


def gold_share(text: str, gold: Counter[tuple[str, ...]]) -> float:
    got = shingles(text)
    total = sum(got.values())
    return sum((got & gold).values()) / total if total else 1.0


def line_report(page: Page, text: str, width: int = 110) -> list[str]:
    result = clean_text(text, page.url or None)
    out: list[str] = []
    if page.body is not None:
        gold = shingles(page.body)
        for para in result.paragraphs:
            if gold_share(para, gold) < 0.5:
                out.append(f"    + KEPT  {para[:width]!r}")
        for removal in result.removed:
            if len(removal.text.split()) >= 2 and gold_share(removal.text, gold) >= 0.5:
                out.append(f"    - DROP  [{removal.reason}] {removal.text[:width]!r}")
    else:
        body = collapse(result.body)
        for snippet in page.without:
            if collapse(snippet) in body:
                out.append(f"    + KEPT  (without) {snippet[:width]!r}")
        for snippet in page.with_:
            s = collapse(snippet)
            if s in body:
                continue
            why = next((r.reason for r in result.removed if s[:40] in collapse(r.text)), "?")
            out.append(f"    - DROP  [{why}] {snippet[:width]!r}")
    return out


def score_pair(
    args: tuple[str, str, dict[str, float], int, bool, int],
) -> tuple[list[str], dict[str, float]]:
    """One set and flattening: the report lines and {set|flattening|page id: F1}."""
    set_name, flattening, old, worst, lines, moved = args
    pages = LOADERS[set_name]()
    texts = read_cache(cache_file(set_name, flattening, "text"))
    outputs = [(p, clean_text(texts[page_key(p)], p.url or None).body) for p in pages]
    per_page = [(page_f1(p, o), p, o) for p, o in outputs]
    scores = {f"{set_name}|{flattening}|{p.id}": f1 for f1, p, _ in per_page}
    total = score_group(outputs)
    out = [
        f"{set_name:30} {flattening:8} F1 {total.f1:.4f} "
        f"(P {total.precision:.3f} R {total.recall:.3f})"
    ]
    if old:
        prev = [(old.get(k), f1, k.split("|", 2)[2]) for k, f1 in scores.items()]
        ups = sorted((f - o, pid) for o, f, pid in prev if o is not None and f - o > 1e-9)
        downs = sorted((f - o, pid) for o, f, pid in prev if o is not None and o - f > 1e-9)
        out[0] += (
            f"  moved: {len(ups)} up (+{sum(d for d, _ in ups):.2f}), "
            f"{len(downs)} down ({sum(d for d, _ in downs):.2f})"
        )
        out += [f"    down {d:+.3f} {pid}" for d, pid in downs[:moved]]
        out += [f"    up   {d:+.3f} {pid}" for d, pid in ups[::-1][:moved]]
    per_page.sort(key=lambda t: t[0])
    for f1, p, body in per_page[:worst]:
        extra = ""
        if p.body is not None:
            s = body_score(body, p.body)
            extra = f" P={s.precision:.2f} R={s.recall:.2f}"
        out.append(f"  {f1:.3f}{extra} {p.id} {p.url}")
        if lines:
            out += line_report(p, texts[page_key(p)])[:40]
    return out, scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--save", help="store per-page F1 under this name")
    parser.add_argument("--against", help="compare with per-page F1 stored under this name")
    parser.add_argument("--worst", type=int, default=0, help="N worst pages per set/flattening")
    parser.add_argument("--lines", action="store_true", help="show the lines of worst pages")
    parser.add_argument("--flattening", choices=FLATTENINGS, action="append")
    parser.add_argument("--moved", type=int, default=8, help="list N largest moves each way")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    args = parser.parse_args(argv)

    flattenings = args.flattening or list(FLATTENINGS)
    old = json.loads((CACHE / f"scores-{args.against}.json").read_text()) if args.against else {}
    tasks = [
        (s, f, {k: v for k, v in old.items() if k.startswith(f"{s}|{f}|")}, args.worst,
         args.lines, args.moved)
        for s in args.sets for f in flattenings
    ]  # fmt: skip
    if args.jobs > 1:
        from multiprocessing import Pool

        with Pool(args.jobs) as pool:
            results = pool.map(score_pair, tasks, chunksize=1)
    else:
        results = [score_pair(t) for t in tasks]
    scores: dict[str, float] = {}
    for out, got in results:
        print("\n".join(out), flush=True)
        scores.update(got)
    if args.save:
        (CACHE / f"scores-{args.save}.json").write_text(json.dumps(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
