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


# --- trafilatura-eval-dev snippets ------------------------------------------------------------

# Where a snippet is on the captured page: in its visible text, only in a script-rendered
# payload (JSON state, <template>, an escaped string), or nowhere at all.
VISIBLE, PAYLOAD, ABSENT = "visible", "payload", "absent"

# Third-party comment widgets that load their thread with JavaScript after the page: when
# a snippet is absent, the page's mention of one of these is the reason printed.
_LOADERS = {
    "Disqus": r"disqus_thread|disqus\.com/embed|\.disqus\.com/|disqus_shortname\s*=",
    "Viafoura": r"viafoura",
    "Commento": r"commento\.js|id=\"commento\"",
    "Facebook comments plugin": r"class=\"fb-comments|facebook\.com/plugins/comments",
    "Coral Talk": r"coralproject|coral\.js|coral-talk",
    "OpenWeb / Spot.IM": r"spot\.im/|launcher\.spot\.im|openweb\.com",
    "Livefyre": r"livefyre",
    "Hyvor Talk": r"hyvor-talk|talk\.hyvor",
    "Vuukle": r"vuukle",
    "Squarespace comments": r"\"commentsenabled\":true",
    "LinkedIn comments": r"read-comment_intent",
}


def normalise(text: str) -> str:
    """The form both sides are compared in: entities decoded, NFKC, typographic quotes,
    dashes and apostrophes unified, soft hyphens and zero-width characters dropped,
    whitespace collapsed, case folded."""
    import html
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = re.sub(r"[\u00ad\u200b-\u200d\u2060\ufeff]", "", text)
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032`´]", "'", text)
    text = re.sub(r"[\u201c-\u201f\u2033«»]", '"', text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return collapse(text).casefold()


_key = normalise


@dataclass
class Capture:
    """One captured page's text in the forms a snippet can be looked up in."""

    visible: str  # rendered text, <noscript> and <template> content included
    payload: str  # everything else the bytes carry: tags stripped, JSON escapes undone
    loaders: list[str]

    def where(self, snippet: str) -> str:
        if snippet in self.visible:
            return VISIBLE
        if snippet in self.payload:
            return PAYLOAD
        return ABSENT


def read_capture(html: bytes) -> Capture:
    import re

    import lxml.html

    from cleaning.decoding import decode_html

    decoded = decode_html(html)
    source = decoded.text if decoded is not None else html.decode("utf-8", "replace")
    visible = ""
    try:
        tree = lxml.html.fromstring(source)
        for node in tree.xpath("//script|//style"):
            node.drop_tree()
        visible = tree.text_content()
        for node in tree.xpath("//template|//noscript"):
            visible += " " + (node.text or "") + " " + node.text_content()
    except (ValueError, lxml.etree.ParserError):
        pass

    def unescape_json(match: re.Match[str]) -> str:
        return chr(int(match.group(1), 16))

    payload = re.sub(r"\\u([0-9a-fA-F]{4})", unescape_json, source)
    payload = payload.replace('\\"', '"').replace("\\/", "/").replace("\\n", " ")
    payload = re.sub(r"<[^>]{0,2000}>", " ", payload)
    lowered = source.casefold()
    loaders = [name for name, pattern in _LOADERS.items() if re.search(pattern, lowered)]
    return Capture(normalise(visible), normalise(payload), loaders)


@dataclass
class SnippetScore:
    name: str
    snippets: int = 0
    present: int = 0  # snippets on the captured page at all (visible or in a payload)
    in_comments: int = 0
    in_body: int = 0
    quoted: int = 0  # in the body, but the page prints it outside the thread too

    def row(self) -> str:
        def pct(n: int, d: int) -> str:
            return f"{100 * n / d:.1f} % ({n})" if d else "-"

        return (
            f"| {self.name} | {self.snippets} | {self.present} | "
            f"{pct(self.in_comments, self.present)} | {pct(self.in_body, self.present)} | "
            f"{pct(self.in_comments, self.snippets)} | {pct(self.in_body, self.snippets)} |"
        )


@dataclass
class AbsentSnippet:
    file: str
    snippet: str
    reason: str


@dataclass
class SnippetRun:
    scores: list[SnippetScore]
    absent: list[AbsentSnippet]
    payload: list[AbsentSnippet]  # present only in a script-rendered payload


def _comment_record_text(comments) -> str:
    """What a comment record shows: its author, its time as the page wrote it, its text."""
    return " ".join(" ".join(filter(None, (c.author, c.published_text, c.text))) for c in comments)


def score_snippets(root: Path = TRAFILATURA_EVAL) -> SnippetRun:
    import trafilatura

    gold = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    ours, theirs = SnippetScore("clean_html"), SnippetScore("trafilatura include_comments")
    run = SnippetRun([ours, theirs], [], [])
    for url, entry in sorted(gold.items()):
        snippets = entry.get("comments") or []
        if not snippets:
            continue
        html = gzip.decompress((root / "pages" / entry["file"]).read_bytes())
        capture = read_capture(html)
        article = clean_html(html, url)
        doc = trafilatura.bare_extraction(html, url=url, include_comments=True)
        outputs = (
            (ours, _key(_comment_record_text(article.comments)), _key(article.body)),
            (theirs, _key(doc.comments or "") if doc else "", _key(doc.text or "") if doc else ""),
        )
        for raw_snippet in snippets:
            snippet = _key(raw_snippet)
            where = capture.where(snippet)
            if where != VISIBLE:
                reason = (
                    "only in a script-rendered payload (JSON state), not in the markup"
                    if where == PAYLOAD
                    else "not in the capture: "
                    + (
                        f"thread loaded by JavaScript ({', '.join(capture.loaders)})"
                        if capture.loaders
                        else "no copy in markup, scripts or payloads (no known widget named)"
                    )
                )
                bucket = run.payload if where == PAYLOAD else run.absent
                bucket.append(AbsentSnippet(entry["file"], raw_snippet, reason))
            for score, comments, body in outputs:
                score.snippets += 1
                if where == ABSENT:
                    continue
                score.present += 1
                score.in_comments += snippet in comments
                # A comment quoting the article: the page prints the words twice, and the
                # body keeping the article's copy is no leak. A leak is the body holding
                # as many copies as the whole page shows.
                in_body = snippet in body
                leaked = in_body and body.count(snippet) >= max(1, capture.visible.count(snippet))
                score.in_body += leaked
                score.quoted += in_body and not leaked
    return run


# --- fixture corpus -----------------------------------------------------------------------


@dataclass
class PRF:
    predicted: int = 0
    gold: int = 0
    found: int = 0
    replies: int = 0
    parents_right: int = 0
    shown: int = 0  # replies whose nesting the input shows at all (the DOM always does)
    shown_right: int = 0
    top_level: int = 0
    false_parents: int = 0  # top-level comments we hung under another one

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
        for name in (
            "predicted",
            "gold",
            "found",
            "replies",
            "parents_right",
            "shown",
            "shown_right",
            "top_level",
            "false_parents",
        ):
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


def nesting_shown(text: str | None, expected: list[dict]) -> list[bool]:
    """For each gold comment, whether the input shows where it hangs: always in HTML (the
    DOM nests it); in a flattening, when the lines from the previous comment's text to its
    own name the replied-to author (a reply marker, a quote header, "@name"), or its
    header line sits deeper (list/quote depth, indentation) than its parent's. A get_text
    dump of nested <div>s shows neither: no reader of the text could tell."""
    if text is None:
        return [True] * len(expected)
    lines = text.splitlines()
    keys = [_key(line) for line in lines]
    pos: list[int | None] = []
    start = 0
    for c in expected:
        head = _key(c["text"])[:30]
        found = next((i for i in range(start, len(keys)) if head and head in keys[i]), None)
        pos.append(found)
        start = found + 1 if found is not None else start

    def region(i: int) -> range:
        end = pos[i]
        if end is None:
            return range(0)
        before = next((pos[j] for j in range(i - 1, -1, -1) if pos[j] is not None), None)
        return range(before + 1 if before is not None else max(0, end - 6), end + 1)

    def depth(i: int) -> int | None:
        author = _key(expected[i]["author"] or "")
        rows = [k for k in region(i) if author and author in keys[k]]
        if not rows:
            return None
        line = lines[rows[-1]]
        stripped = line.lstrip(" \t>")
        return len(line) - len(stripped) + 4 * line[: len(line) - len(stripped)].count(">")

    shown = []
    for i, c in enumerate(expected):
        parent = c.get("parent")
        if parent is None:
            shown.append(True)
            continue
        name = _key(expected[parent]["author"] or "")
        own = _key(c["author"] or "")
        marker = any(
            name and name in keys[k] and keys[k] != own and not keys[k].startswith(own + " ")
            for k in region(i)
        )
        mine, theirs = depth(i), depth(parent)
        deeper = mine is not None and theirs is not None and mine > theirs
        shown.append(marker or deeper)
    return shown


def score_comments(comments, expected: list[dict], shown: list[bool] | None = None) -> PRF:
    got = [(c.author, c.text) for c in comments]
    gold = [(c["author"], c["text"]) for c in expected]
    prf = PRF(predicted=len(got), gold=len(gold), found=comment_matches(got, gold))
    shown = shown or [True] * len(expected)
    # parent links: a gold reply counts as right when our comment with the same author
    # and text start has a parent with the gold parent's author; a gold top-level comment
    # we gave a parent is a false parent.
    for n, g in enumerate(expected):
        mine = next(
            (
                c
                for c in comments
                if _key(c.author or "") == _key(g["author"] or "")
                and _key(c.text)[:40] == _key(g["text"])[:40]
            ),
            None,
        )
        if g.get("parent") is None:
            prf.top_level += 1
            prf.false_parents += mine is not None and mine.parent is not None
            continue
        want = expected[g["parent"]]["author"]
        right = (
            mine is not None
            and mine.parent is not None
            and _key(comments[mine.parent].author or "") == _key(want)
        )
        prf.replies += 1
        prf.parents_right += right
        prf.shown += shown[n]
        prf.shown_right += shown[n] and right
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
            text = None
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
            prf = score_comments(comments, gold, nesting_shown(text, gold))
            groups = out.setdefault(kind, {"platform": {}, "language": {}, "all": {}})
            for axis, value in (("platform", platform), ("language", language), ("all", "all")):
                groups[axis].setdefault(value, PRF()).add(prf)
    return out


# --- report -----------------------------------------------------------------------------------


def report(run: SnippetRun | None, fixtures: dict[str, dict[str, dict[str, PRF]]]) -> str:
    lines = ["## Comments", ""]
    if run is not None:
        lines += [
            "trafilatura-eval-dev, pages with comment snippets: share of snippets found in the",
            "comment records (author, time, text) and leaked into the body, over the snippets",
            "present on the captured page (visible, or in a script-rendered payload) and over",
            "all snippets. Compared after decoding entities, NFKC, unified quotes/dashes,",
            "whitespace and case. A snippet the article also prints outside the thread (a",
            "comment quoting it) is no leak when the body keeps only the article's copy.",
            "",
            "| extractor | snippets | present | in comments (present) | in body (present) "
            "| in comments (all) | in body (all) |",
            "|---|---|---|---|---|---|---|",
            *(s.row() for s in run.scores),
            "",
            f"Snippets not in the page's markup ({len(run.absent) + len(run.payload)}): "
            f"{len(run.absent)} absent from the capture, {len(run.payload)} only in a "
            "script payload (counted as present).",
            "",
            "| page | snippet | reason |",
            "|---|---|---|",
            *(
                f"| {a.file} | {a.snippet[:50].replace('|', '/')} | {a.reason} |"
                for a in run.payload + run.absent
            ),
            "",
        ]
    lines += [
        "Comment fixtures (tests/fixtures/comments, hand-labelled): P / R / F1, and parent",
        "links right on replies, per input kind, platform and language: over all gold",
        "replies, and over the replies whose nesting the input shows (HTML: all; a",
        "flattening: a reply marker or quote naming the parent, or a deeper list/quote",
        "level or indent, see nesting_shown), and top-level comments given a parent.",
        "",
    ]
    for kind, groups in fixtures.items():
        lines += [
            f"### {kind}",
            "",
            "| group | P | R | F1 | parents right (all replies) "
            "| parents right (nesting shown) | false parents |",
            "|---|---|---|---|---|---|---|",
        ]
        for axis in ("all", "platform", "language"):
            for value, prf in sorted(groups[axis].items()):
                parents = f"{prf.parents_right}/{prf.replies}" if prf.replies else "-"
                shown = f"{prf.shown_right}/{prf.shown}" if prf.shown else "-"
                lines.append(
                    f"| {axis}: {value} | {prf.precision:.3f} | {prf.recall:.3f} | "
                    f"{prf.f1:.3f} | {parents} | {shown} | {prf.false_parents}/{prf.top_level} |"
                )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    run = score_snippets() if TRAFILATURA_EVAL.exists() else None
    if run is None:
        print(f"skipped trafilatura-eval-dev: {TRAFILATURA_EVAL} is missing", file=sys.stderr)
    text = report(run, score_fixtures())
    print(text)
    if not args.no_write:
        results.write_section(text)


if __name__ == "__main__":
    main()
