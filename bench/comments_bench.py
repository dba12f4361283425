"""Reader-comment quality of clean_html (and clean_text on flattened pages), in one run.

1. trafilatura-eval-dev (../shared/benchmarks/trafilatura-eval-dev, 65 pages with
   `comments` snippets): the share of comment snippets found in our comments and the
   share leaked into the body, over all snippets and over the snippets present in the
   captured page's visible text at all (many threads were loaded by JavaScript after the
   capture, so their text is not in the file). trafilatura with include_comments=True is
   scored beside us on the same pages.
2. The hand-labelled comment fixtures (tests/fixtures/comments/*.expected.json): comment
   P/R/F1 per platform and per language (same match rule as DESIGN.md: author and body
   F1 >= 0.9) and parent links right on replies; HTML input, and each page flattened two
   ways (get_text-style and markdown-style via html2text) through clean_text.

    .venv/bin/python bench/comments_bench.py             # table, and `## Comments` in RESULTS.md
    .venv/bin/python bench/comments_bench.py --no-write  # table only
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import results  # noqa: E402
from cleaning import clean_html, clean_text  # noqa: E402
from cleaning.scoring import collapse, comment_matches  # noqa: E402

TRAFILATURA_EVAL = REPO.parent / "shared" / "benchmarks" / "trafilatura-eval-dev"
FIXTURES = REPO / "tests" / "fixtures" / "comments"


def _key(text: str) -> str:
    return collapse(text).casefold()


# --- trafilatura-eval-dev snippets ------------------------------------------------------------


@dataclass
class SnippetScore:
    name: str
    snippets: int = 0
    present: int = 0  # snippets in the page's visible text at all
    in_comments: int = 0
    in_body: int = 0

    def row(self) -> str:
        def pct(n: int, d: int) -> str:
            return f"{100 * n / d:.1f} %" if d else "-"

        return (
            f"| {self.name} | {self.snippets} | {self.present} | "
            f"{pct(self.in_comments, self.snippets)} | {pct(self.in_comments, self.present)} | "
            f"{pct(self.in_body, self.snippets)} | {pct(self.in_body, self.present)} |"
        )


def _visible_text(html: bytes) -> str:
    import lxml.html

    from cleaning.decoding import decode_html

    decoded = decode_html(html)
    if decoded is None:
        return ""
    try:
        tree = lxml.html.fromstring(decoded.text)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for node in tree.xpath("//script|//style|//template"):
        node.drop_tree()
    return _key(tree.text_content())


def score_snippets(root: Path = TRAFILATURA_EVAL) -> list[SnippetScore]:
    import trafilatura

    gold = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    ours, theirs = SnippetScore("clean_html"), SnippetScore("trafilatura include_comments")
    for url, entry in sorted(gold.items()):
        snippets = entry.get("comments") or []
        if not snippets:
            continue
        html = gzip.decompress((root / "pages" / entry["file"]).read_bytes())
        visible = _visible_text(html)
        article = clean_html(html, url)
        doc = trafilatura.bare_extraction(html, url=url, include_comments=True)
        outputs = (
            (ours, _key(" ".join(c.text for c in article.comments)), _key(article.body)),
            (theirs, _key(doc.comments or "") if doc else "", _key(doc.text or "") if doc else ""),
        )
        for snippet in map(_key, snippets):
            present = snippet in visible
            for score, comments, body in outputs:
                score.snippets += 1
                score.present += present
                score.in_comments += present and snippet in comments
                score.in_body += present and snippet in body
    return [ours, theirs]


# --- fixture corpus -----------------------------------------------------------------------


@dataclass
class PRF:
    predicted: int = 0
    gold: int = 0
    found: int = 0
    replies: int = 0
    parents_right: int = 0

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        for name in ("predicted", "gold", "found", "replies", "parents_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class FixtureRuns:
    by_input: dict[str, dict[str, dict[str, PRF]]] = field(default_factory=dict)


def get_text_flattening(html: bytes | str) -> str:
    """What `soup.get_text("\\n")` gives: one text node a line, no markup."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for node in soup(["script", "style", "noscript", "template"]):
        node.decompose()
    lines = (collapse(line) for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def markdown_flattening(html: bytes | str) -> str:
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    return converter.handle(text)


def _score_one(comments, expected: list[dict]) -> PRF:
    got = [(c.author, c.text) for c in comments]
    gold = [(c["author"], c["text"]) for c in expected]
    prf = PRF(predicted=len(got), gold=len(gold), found=comment_matches(got, gold))
    # parent links: a gold reply counts as right when our comment with the same author
    # and text start has a parent with the gold parent's author.
    for g in expected:
        if g.get("parent") is None:
            continue
        prf.replies += 1
        want = expected[g["parent"]]["author"]
        for c in comments:
            if (
                _key(c.author or "") == _key(g["author"] or "")
                and _key(c.text)[:40] == _key(g["text"])[:40]
            ):
                if c.parent is not None and _key(comments[c.parent].author or "") == _key(want):
                    prf.parents_right += 1
                break
    return prf


def score_fixtures(root: Path = FIXTURES) -> dict[str, dict[str, dict[str, PRF]]]:
    """{input kind: {"platform"/"language": {value: PRF}}}."""
    out: dict[str, dict[str, dict[str, PRF]]] = {}
    flatten = {"html": None, "get_text": get_text_flattening, "markdown": markdown_flattening}
    for path in sorted(root.rglob("*.expected.json")):
        page = path.with_name(path.name.replace(".expected.json", ".html"))
        if not page.exists():
            continue
        expected = json.loads(path.read_text(encoding="utf-8"))
        html = page.read_bytes()
        platform = expected.get("platform", path.stem)
        language = expected.get("language", "en")
        for kind, flat in flatten.items():
            if flat is None:
                comments, gold = clean_html(html, expected["url"]).comments, expected["comments"]
            else:
                text = flat(html)
                comments = clean_text(text, expected["url"]).comments
                # JSON-LD comments are not in the visible text a flattening keeps
                visible = _key(text)
                gold = [c for c in expected["comments"] if _key(c["text"])[:30] in visible]
                if len(gold) < len(expected["comments"]):
                    gold = [] if not gold else expected["comments"]
            prf = _score_one(comments, gold)
            groups = out.setdefault(kind, {"platform": {}, "language": {}, "all": {}})
            for axis, value in (("platform", platform), ("language", language), ("all", "all")):
                groups[axis].setdefault(value, PRF()).add(prf)
    return out


# --- report -----------------------------------------------------------------------------------


def report(snippets: list[SnippetScore], fixtures: dict[str, dict[str, dict[str, PRF]]]) -> str:
    lines = [
        "## Comments",
        "",
        "trafilatura-eval-dev, pages with comment snippets: share of snippets found in the",
        "comments / leaked into the body, over all snippets and over those present in the",
        "captured page's visible text (the rest were loaded by JavaScript after capture).",
        "",
        "| extractor | snippets | present | in comments (all) | in comments (present) "
        "| in body (all) | in body (present) |",
        "|---|---|---|---|---|---|---|",
        *(s.row() for s in snippets),
        "",
        "Comment fixtures (tests/fixtures/comments, hand-labelled): P / R / F1, and parent",
        "links right on replies, per input kind, platform and language.",
        "",
    ]
    for kind, groups in fixtures.items():
        lines += [
            f"### {kind}",
            "",
            "| group | P | R | F1 | parents right |",
            "|---|---|---|---|---|",
        ]
        for axis in ("all", "platform", "language"):
            for value, prf in sorted(groups[axis].items()):
                parents = f"{prf.parents_right}/{prf.replies}" if prf.replies else "-"
                lines.append(
                    f"| {axis}: {value} | {prf.precision:.3f} | {prf.recall:.3f} | "
                    f"{prf.f1:.3f} | {parents} |"
                )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    snippets = score_snippets() if TRAFILATURA_EVAL.exists() else []
    if not snippets:
        print(f"skipped trafilatura-eval-dev: {TRAFILATURA_EVAL} is missing", file=sys.stderr)
    text = report(snippets, score_fixtures())
    print(text)
    if not args.no_write:
        results.write_section(text)


if __name__ == "__main__":
    main()
